package com.cleversync.incremental;

import com.cleversync.importing.RunOptions;
import com.cleversync.simulator.SimUser;
import com.cleversync.sync.GracefulJobShutdown;
import com.cleversync.sync.NightlyReport;
import com.cleversync.system.ExitCodes;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A district's imports run two at once in a night (after the first): four schools, of which neighbours share a
 * teacher, give the same booking rows as the same imports run one after the other, and the district's contacts are
 * read from Clever once. A shutdown stops both running imports, restartably.
 */
@TestPropertySource(properties = "clever-sync.nightly.import-concurrency=2")
class ParallelNightlyTest extends NightlyTestSupport {

    @Autowired
    GracefulJobShutdown shutdown;

    @Test
    void importsRunTwoAtOnceGiveTheRosterOfImportsRunOneAfterTheOther() {
        sim = SIMULATOR.fresh(settings().withSchools(4));
        District parallel = district("Parallel", 0, 1, 2, 3);
        assertThat(sim.district().users(SimUser.TEACHER).stream().filter(t -> t.schoolIds().size() > 1).count())
                .as("teachers of two schools").isPositive();
        sim.requests().reset();

        NightlyReport night = runNightly();

        assertThat(line(night, parallel.accountId())).contains("FULL sync", "4 import(s) run");
        long contacts = sim.district().users(SimUser.CONTACT).size();
        assertThat(sim.requests().count("/v3.0/users")).as("pages of the district's contacts, read once: " + sim.requests())
                .isEqualTo((contacts + 49) / 50);

        District serial = district("One after the other", 0, 1, 2, 3);
        for (long id : serial.importIds()) {
            assertThat(imports.run(id, RunOptions.manual()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        }
        assertSameRoster(parallel.accountId(), serial.accountId());
        assertThat(count("""
                SELECT COUNT(*) FROM contact c WHERE c.account_id = ?
                  AND NOT EXISTS (SELECT 1 FROM contact_clever_user ccu WHERE ccu.contact_id = c.id)""", parallel.accountId()))
                .as("contacts no Clever user is linked to").isZero();
    }

    /**
     * A shutdown while two imports of the district run stops them at a chunk boundary (restartable) and starts no
     * other; the next night restarts the stopped ones and runs the rest.
     */
    @Test
    void aShutdownStopsBothRunningImportsAndTheNextNightCompletesEveryImport() throws Exception {
        sim = SIMULATOR.fresh(settings().withSchools(4));
        District parallel = district("Parallel", 0, 1, 2, 3);
        sim.faults().latency(Duration.ofMillis(300));
        CompletableFuture<NightlyReport> night = CompletableFuture.supplyAsync(() -> nightly.run(1));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE STATUS = 'STARTED'") < 2) {
            assertThat(night).as("the night ended before two imports ran at once").isNotDone();
            assertThat(System.nanoTime()).as("two imports never ran at once").isLessThan(deadline);
            Thread.sleep(20);
        }

        NightlyReport stopped;
        try {
            shutdown.stop();
            stopped = night.get(60, TimeUnit.SECONDS);
        } finally {
            // The Spring context is shared with other test classes: it accepts runs again.
            shutdown.start();
            sim.faults().latency(Duration.ZERO);
        }

        // Both were running; one may have reached its end before the stop request did.
        assertThat(stopped.exitCode()).as(stopped.format()).isEqualTo(ExitCodes.STOPPED);
        assertThat(stopped.rows()).as(stopped.format()).allSatisfy(r -> assertThat(r.status())
                .isIn("COMPLETED", NightlyReport.STOPPED, NightlyReport.NOT_RUN));
        assertThat(stopped.rows().stream().filter(r -> r.status().equals(NightlyReport.STOPPED)).count()).as(stopped.format())
                .isBetween(1L, 2L);
        assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE STATUS IN ('STARTED', 'STOPPING')")).isZero();

        NightlyReport next = runNightly();

        assertThat(next.rows()).as(next.format()).hasSize(4).allSatisfy(r -> assertThat(r.status()).isEqualTo("COMPLETED"));
        for (NightlyReport.Row stoppedRow : stopped.rows()) {
            if (stoppedRow.status().equals(NightlyReport.STOPPED)) {
                NightlyReport.Row restarted = next.rows().stream().filter(r -> r.eventImportId() == stoppedRow.eventImportId())
                        .findFirst().orElseThrow();
                assertThat(instanceOf(restarted.executionId())).as("import %d was restarted, not started over", stoppedRow.eventImportId())
                        .isEqualTo(instanceOf(stoppedRow.executionId()));
            }
        }
    }

    private long instanceOf(Long executionId) {
        return count("SELECT JOB_INSTANCE_ID FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?", executionId);
    }

    private long count(String sql, Object... args) {
        Long n = jdbcTemplate.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}
