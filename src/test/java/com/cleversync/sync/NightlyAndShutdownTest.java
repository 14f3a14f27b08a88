package com.cleversync.sync;

import com.cleversync.ops.OpsFixtures;
import com.cleversync.ops.OpsFixtures.Run;
import com.cleversync.ops.OpsWebTest;
import com.cleversync.support.DatabaseTest;
import com.cleversync.importing.ImportRequest;
import com.cleversync.importing.ImportService;
import com.cleversync.support.TestDatabase;
import com.cleversync.system.ExitCodes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nightly run, graceful shutdown and crash recovery with real processes: a child JVM runs {@code nightly}
 * against the simulator; SIGTERM leaves its execution STOPPED (then restart completes it); SIGKILL leaves it
 * STARTED, and the next nightly recovers it and completes the import.
 */
class NightlyAndShutdownTest extends OpsWebTest {

    @Autowired
    ApplicationContext context;

    @Test
    void nightlyRunsEnabledEventsSkipsStoppedOnesAndPrintsASummary() {
        OpsFixtures.Imported a = data.connectedImport(context, "Acme", 0);
        OpsFixtures.Imported b = data.connectedImport(context, "Bravo", 1);
        OpsFixtures.Imported c = data.connectedImport(context, "Charlie", 1);
        jdbc.sql("UPDATE event SET sync_enabled = FALSE WHERE id = ?").param(c.eventId()).update();

        Run run = OpsFixtures.run(context, "nightly", "--concurrency", "2");
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("event " + c.eventId(), "sync stopped, 1 import(s) skipped", "2 import(s), 0 failed");
        assertThat(run.out().lines().filter(l -> l.contains("COMPLETED")).count()).isEqualTo(2);
        assertThat(data.count("SELECT COUNT(*) FROM event_import WHERE last_status = 'COMPLETED'")).isEqualTo(2);
        assertThat(data.count("SELECT COUNT(*) FROM event_import WHERE id = ? AND last_status IS NULL", c.eventImportId())).isOne();
        assertThat(data.count("SELECT COUNT(*) FROM contact WHERE account_id = ?", a.accountId())).isPositive();
        assertThat(data.count("SELECT COUNT(*) FROM contact WHERE account_id = ?", b.accountId())).isPositive();

        // A revoked token fails one account's import; the other still completes and the exit code says 1.
        long failing = data.connectedImport(context, "Delta", 0).eventImportId();
        jdbc.sql("UPDATE clever_connection SET token = 'v1:00000000:broken' WHERE account_id = "
                + "(SELECT e.account_id FROM event e JOIN event_import ei ON ei.event_id = e.id WHERE ei.id = ?)").param(failing).update();
        Run second = OpsFixtures.run(context, "nightly");
        assertThat(second.code()).as(second.out() + second.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(second.out()).containsPattern("(?m)^" + failing + "\\s.*FAILED");
        // Nothing changed at Clever since the first night: the other two districts run incrementally, nothing to re-import.
        assertThat(second.out().lines().filter(l -> l.contains("UNCHANGED")).count()).isEqualTo(2);
        assertThat(second.out().lines().filter(l -> l.contains("INCREMENTAL (no new events)")).count()).isEqualTo(2);

        assertThat(OpsFixtures.run(context, "nightly", "--concurrency", "0").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(OpsFixtures.run(context, "nightly", "--help").out()).contains("--concurrency");
    }

    @Test
    void sigtermStopsTheRunRestartCompletesItSigkillLeavesItStaleAndNightlyRecoversIt() throws Exception {
        OpsFixtures.Imported imp = data.connectedImport(context, "Acme", 0);
        CLEVER.faults().latency(Duration.ofMillis(250));

        // SIGTERM: the child stops at a chunk boundary, the execution is STOPPED and restartable.
        Process child = startNightly("sigterm");
        long execution = waitForRunning(child);
        long t0 = System.nanoTime();
        child.destroy();
        assertThat(child.waitFor(150, TimeUnit.SECONDS)).as("child exits after SIGTERM").isTrue();
        long stopMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(status(execution)).as(log("sigterm")).isEqualTo("STOPPED");
        System.out.println("SIGTERM to exit: " + stopMillis + " ms");

        CLEVER.faults().latency(Duration.ZERO);
        Run restart = OpsFixtures.run(context, "restart", String.valueOf(execution));
        assertThat(restart.code()).as(restart.out() + restart.err()).isEqualTo(ExitCodes.OK);
        assertThat(restart.out()).contains("COMPLETED");
        assertThat(data.count("SELECT COUNT(DISTINCT JOB_INSTANCE_ID) FROM BATCH_JOB_EXECUTION")).isOne();

        // SIGKILL: the execution stays STARTED with nobody holding the import's lock.
        CLEVER.faults().latency(Duration.ofMillis(250));
        Process killed = startNightly("sigkill");
        long stale = waitForRunning(killed);
        killed.destroyForcibly();
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(status(stale)).isEqualTo("STARTED");
        ImportLock lock = context.getBean(ImportLock.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (lock.isHeld(imp.eventImportId()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        CLEVER.faults().latency(Duration.ZERO);
        Run nightly = OpsFixtures.run(context, "nightly");
        assertThat(nightly.code()).as(nightly.out() + nightly.err()).isEqualTo(ExitCodes.OK);
        assertThat(nightly.out()).contains("recovered stale execution " + stale, "process died; recovered by");
        assertThat(status(stale)).isEqualTo("FAILED");
        assertThat(jdbc.sql("SELECT EXIT_MESSAGE FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?").param(stale)
                .query(String.class).single()).startsWith("process died; recovered by ");
        long restartedInstance = jdbc.sql("SELECT JOB_INSTANCE_ID FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = "
                + "(SELECT MAX(JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION)").query(Long.class).single();
        long staleInstance = jdbc.sql("SELECT JOB_INSTANCE_ID FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?")
                .param(stale).query(Long.class).single();
        assertThat(restartedInstance).as("the stale run was restarted, not started over").isEqualTo(staleInstance);
        assertThat(data.count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE JOB_INSTANCE_ID = ? AND STATUS = 'COMPLETED'",
                staleInstance)).isOne();
    }

    /**
     * SIGTERM while two imports of one district run at once (a night's first import alone, then two): both stop at a
     * chunk boundary, the third is not started, nothing is left STARTED, and the next night restarts the stopped ones on
     * their own job instances and completes every import.
     */
    @Test
    void sigtermWhileTwoImportsOfADistrictRunStopsBothAndTheNextNightCompletesAll() throws Exception {
        OpsFixtures.Imported first = data.connectedImport(context, "Acme", 0);
        ImportService imports = context.getBean(ImportService.class);
        var district = CLEVER.district();
        String otherSchool = district.schools().get(1).id();
        long second = imports.register(new ImportRequest(data.event(first.accountId(), "Acme evenings", true),
                first.schoolId(), first.termId()));
        long third = imports.register(new ImportRequest(data.event(first.accountId(), "Acme spring", true),
                otherSchool, district.termsOf(otherSchool).getFirst().id()));
        CLEVER.faults().latency(Duration.ofMillis(150));

        Process child = startNightly("sigterm-two");
        waitForRunning(child, 2);
        List<Long> running = jdbc.sql("SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION WHERE STATUS = 'STARTED'")
                .query(Long.class).list();
        child.destroy();
        assertThat(child.waitFor(150, TimeUnit.SECONDS)).as("child exits after SIGTERM").isTrue();
        CLEVER.faults().latency(Duration.ZERO);

        assertThat(running).hasSize(2);
        for (long execution : running) {
            assertThat(status(execution)).as(log("sigterm-two")).isIn("STOPPED", "COMPLETED");
        }
        assertThat(running.stream().filter(e -> status(e).equals("STOPPED")).count()).as(log("sigterm-two")).isPositive();
        assertThat(data.count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE STATUS IN ('STARTED', 'STOPPING')")).isZero();
        assertThat(data.count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).as("the first import and the two stopped, no other")
                .isEqualTo(3);

        Run next = OpsFixtures.run(context, "nightly");
        assertThat(next.code()).as(next.out() + next.err()).isEqualTo(ExitCodes.OK);
        for (long importId : List.of(first.eventImportId(), second, third)) {
            assertThat(data.count("SELECT COUNT(*) FROM event_import WHERE id = ? AND last_status = 'COMPLETED'", importId))
                    .as("import %d completed: %s", importId, next.out()).isOne();
        }
        for (long execution : running) {
            long instance = data.count("SELECT JOB_INSTANCE_ID FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?", execution);
            assertThat(data.count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE JOB_INSTANCE_ID = ? AND STATUS = 'COMPLETED'",
                    instance)).as("execution %d's instance completed, restarted rather than started over", execution).isOne();
        }
    }

    private Process startNightly(String name) throws Exception {
        TestDatabase db = TestDatabase.get();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dspring.datasource.url=" + db.url(),
                "-Dspring.datasource.username=" + db.username(),
                "-Dspring.datasource.password=" + db.password(),
                "-Dclever.api.base-url=" + CLEVER.baseUrl(),
                "-Dclever.oauth.base-url=" + CLEVER.baseUrl(),
                "-Dclever.page-limit=" + PAGE_LIMIT,
                "-Dclever-sync.import.chunk-size=" + CHUNK_SIZE,
                "-Dclever-sync.token-key=" + DatabaseTest.TEST_TOKEN_KEY,
                "-Dclever-sync.ops.shutdown-timeout=120s",
                "com.cleversync.CleverSyncApplication", "nightly"));
        File out = logFile(name);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
    }

    private static File logFile(String name) {
        return new File("target/nightly-child-" + name + ".log");
    }

    private static String log(String name) {
        try {
            return Files.readString(logFile(name).toPath());
        } catch (Exception e) {
            return "(no log)";
        }
    }

    /** Waits until one of the child's executions has committed at least one chunk of a read step; returns it. */
    private long waitForRunning(Process child) throws InterruptedException {
        return waitForRunning(child, 1).getLast();
    }

    /** Waits until {@code executions} of the child's executions have each committed a chunk of a read step at once. */
    private List<Long> waitForRunning(Process child, int executions) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("child JVM still running").isTrue();
            List<Long> ids = jdbc.sql("""
                    SELECT DISTINCT e.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION e JOIN BATCH_STEP_EXECUTION s
                      ON s.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID
                    WHERE e.STATUS = 'STARTED' AND s.STATUS = 'STARTED' AND s.COMMIT_COUNT > 0
                    ORDER BY e.JOB_EXECUTION_ID""").query(Long.class).list();
            if (ids.size() >= executions) {
                return ids;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(executions + " execution(s) of the child never got going at once");
    }

    private String status(long executionId) {
        return jdbc.sql("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?").param(executionId)
                .query(String.class).single();
    }
}
