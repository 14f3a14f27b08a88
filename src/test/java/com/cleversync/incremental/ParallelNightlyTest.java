package com.cleversync.incremental;

import com.cleversync.importing.RunOptions;
import com.cleversync.simulator.SimUser;
import com.cleversync.sync.NightlyReport;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A district's imports run two at once in a night (after the first): four schools, of which neighbours share a
 * teacher, give the same booking rows as the same imports run one after the other, and the district's contacts are
 * read from Clever once.
 */
@TestPropertySource(properties = "clever-sync.nightly.import-concurrency=2")
class ParallelNightlyTest extends NightlyTestSupport {

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

    private long count(String sql, Object... args) {
        Long n = jdbcTemplate.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private void assertSameRoster(long accountId, long referenceAccountId) {
        assertThat(com.cleversync.support.BookingChecksum.lines(jdbcTemplate, accountId)).as("booking rows, two at once against one by one")
                .isEqualTo(com.cleversync.support.BookingChecksum.lines(jdbcTemplate, referenceAccountId));
    }
}
