package com.cleversync.incremental;

import com.cleversync.account.AccountService;
import com.cleversync.clever.CleverClient;
import com.cleversync.simulator.SimSection;
import com.cleversync.sync.NightlyReport;
import com.cleversync.sync.SyncSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every reason for a full sync, one night after the other on one district; each full night runs every import
 * and leaves a cursor the next night can use. Where the events could not have told the change, the full sync
 * still brings it.
 */
class FallbackToFullSyncTest extends NightlyTestSupport {

    @Autowired
    CleverClient clever;

    @Autowired
    SyncSettings syncSettings;

    @Test
    void everyFallbackReasonRunsAFullSyncOfTheDistrict() {
        District d = district("Fallback", 0);
        long account = d.accountId();
        assertFull(runNightly(), account, "no full sync yet");
        assertIncremental(runNightly(), account);

        jdbc.sql("UPDATE clever_connection SET events_cursor = NULL WHERE account_id = ?").param(account).update();
        assertFull(runNightly(), account, "no events cursor");
        assertIncremental(runNightly(), account);

        ageFullSync(account, 8);
        assertFull(runNightly(), account, "full-resync interval of 7 days passed");
        assertIncremental(runNightly(), account);

        long added = register(d.eventId(), 1);
        NightlyReport withNewImport = runNightly();
        assertFull(withNewImport, account, "1 import(s) added since the last full sync");
        assertThat(status(withNewImport, added)).isEqualTo("COMPLETED");
        assertIncremental(runNightly(), account);

        syncSettings.stopEvent(d.eventId());
        syncSettings.enableEvent(d.eventId());
        assertFull(runNightly(), account, "sync re-enabled for 1 event(s) since the last full sync");

        // A change whose event Clever no longer has: the cursor is 31 days old, so the feed cannot be trusted.
        SimSection section = IncrementalNightlyTest.termSections(sim.district().schools().get(0)).get(0);
        String student = section.studentIds().getFirst();
        sim.mutations().renameUser(student, "Expired-Event");
        Instant later = Instant.now().plus(Duration.ofDays(31));
        sim.clock(() -> later);
        assertThat(clever.events(accounts.credentials(account)).page(cursor(account)).items()).isEmpty();
        jdbc.sql("UPDATE clever_connection SET events_cursor_at = events_cursor_at - INTERVAL 31 DAY, "
                + "last_full_sync_at = last_full_sync_at - INTERVAL 1 DAY WHERE account_id = ?").param(account).update();
        assertFull(runNightly(), account, "events cursor older than 29 days");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM contact WHERE account_id = ? AND last_name = 'Expired-Event'")
                .param(account).query(Long.class).single()).isOne();
        assertIncremental(runNightly(), account);

        sim.faults().eventsDisabled(true);
        assertFull(runNightly(), account, "events disabled (404)");
        assertThat(cursor(account)).isNull();
        sim.requests().reset();
        NightlyReport disabled = runNightly();
        assertFull(disabled, account, "no events cursor");
        assertThat(line(disabled, account)).contains("events disabled (404)", "cursor not moved");
        assertThat(sim.requests().countStatus(404)).isEqualTo(1);

        sim.faults().eventsDisabled(false);
        assertFull(runNightly(), account, "no events cursor");
        assertIncremental(runNightly(), account);
    }

    @Test
    void aFailedImportKeepsTheCursorSoTheEventsAreAppliedAgain() {
        District d = district("Failing", 0);
        long account = d.accountId();
        runNightly();
        String seeded = cursor(account);
        SimSection section = IncrementalNightlyTest.termSections(sim.district().schools().get(0)).get(0);
        // A student of another school joins the section: the import has to read that user from Clever.
        String outsider = IncrementalNightlyTest.termSections(sim.district().schools().get(1)).get(0).studentIds().getFirst();
        sim.mutations().enrollStudent(section.id(), outsider);

        sim.faults().failAfter(1, 500);   // the events page answers, every import request fails
        NightlyReport failed = nightly.run(1);
        assertThat(failed.anyFailed()).isTrue();
        assertThat(line(failed, account)).contains("INCREMENTAL", "1 event(s), 1 import(s) run", "cursor not moved");
        assertThat(cursor(account)).isEqualTo(seeded);

        sim.faults().clear();
        NightlyReport retried = runNightly();
        assertThat(line(retried, account)).contains("INCREMENTAL", "1 event(s), 1 import(s) run", "cursor advanced");
        assertThat(cursor(account)).isNotEqualTo(seeded);
        assertThat(line(failed, account)).contains("1 on the night's changes");
        // The retried import did not complete last time: it re-read its school, where the outsider is not listed.
        assertThat(line(retried, account)).contains("0 on the night's changes");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM contact_clever_user WHERE account_id = ? AND clever_user_id = ?")
                .params(account, outsider).query(Long.class).single()).isZero();
    }

    static void assertFull(NightlyReport report, long account, String reason) {
        assertThat(line(report, account)).contains("FULL sync (" + reason);
        assertThat(report.rows()).allSatisfy(r -> assertThat(r.status()).as(report.format()).isEqualTo("COMPLETED"));
    }

    static void assertIncremental(NightlyReport report, long account) {
        assertThat(line(report, account)).contains("INCREMENTAL (no new events)", "cursor advanced");
        assertThat(report.rows()).allSatisfy(r -> assertThat(r.status()).isEqualTo(DistrictNightly.UNCHANGED));
    }
}
