package com.cleversync.sync;

import com.cleversync.ops.OpsFixtures;
import com.cleversync.ops.OpsFixtures.Run;
import com.cleversync.support.DatabaseTest;
import com.cleversync.system.ExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** stop-sync, enable-sync and sync-status against the database. */
class SyncSettingsCommandsTest extends DatabaseTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    SyncSettings settings;

    OpsFixtures data;
    long acme;
    long other;
    long spring;
    long fall;
    long stopped;
    long otherEvent;

    @BeforeEach
    void data() {
        data = new OpsFixtures(jdbc);
        acme = data.account("Acme");
        other = data.account("Other");
        spring = data.event(acme, "Spring conferences", true);
        fall = data.event(acme, "Fall conferences", true);
        stopped = data.event(acme, "Old", false);
        otherEvent = data.event(other, "Other's event", true);
    }

    @Test
    void stopAndEnableOneEvent() {
        Run r = OpsFixtures.run(context, "stop-sync", "--event", String.valueOf(spring));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("sync stopped for event " + spring, "Spring conferences");
        assertThat(syncOn(spring)).isFalse();
        assertThat(data.count("SELECT COUNT(*) FROM event WHERE id = ? AND sync_changed_at IS NOT NULL", spring)).isOne();
        assertThat(syncOn(fall)).isTrue();

        r = OpsFixtures.run(context, "stop-sync", "--event", String.valueOf(spring));
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("already stopped");

        r = OpsFixtures.run(context, "enable-sync", "--event", String.valueOf(spring));
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("sync enabled for event " + spring);
        assertThat(syncOn(spring)).isTrue();
    }

    @Test
    void stopAllEventsOfAnAccountListsTheOnesThatWereOn() {
        Run r = OpsFixtures.run(context, "stop-sync", "--account", String.valueOf(acme), "--all");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 event(s)", "Spring conferences", "Fall conferences").doesNotContain("Old");
        assertThat(data.count("SELECT COUNT(*) FROM event WHERE account_id = ? AND sync_enabled", acme)).isZero();
        assertThat(syncOn(otherEvent)).isTrue();

        assertThat(settings.stopAccount(acme)).isEmpty();
    }

    @Test
    void syncStatusListsEventsWithSyncOn() {
        Run all = OpsFixtures.run(context, "sync-status");
        assertThat(all.code()).isZero();
        assertThat(all.out()).contains("3 event(s)", "Spring conferences", "Fall conferences", "Other's event").doesNotContain("Old");

        Run one = OpsFixtures.run(context, "sync-status", "--account", String.valueOf(other));
        assertThat(one.out()).contains("1 event(s)", "Other's event").doesNotContain("Spring");
    }

    @Test
    void badInputExitsTwoOnOneLineAndWritesNothing() {
        String[][] bad = {
                {"stop-sync", "--event", "abc"},
                {"stop-sync", "--event", "-4"},
                {"stop-sync", "--event", "0"},
                {"stop-sync", "--event", "999999"},
                {"stop-sync", "--event", "99999999999999999999"},
                {"stop-sync", "--account", String.valueOf(acme)},
                {"stop-sync", "--account", "999999", "--all"},
                {"stop-sync", "--event", String.valueOf(spring), "--account", String.valueOf(acme), "--all"},
                {"stop-sync"},
                {"enable-sync", "--event", "x1"},
                {"enable-sync", "--event", "424242"},
                {"enable-sync"},
                {"sync-status", "--account", "424242"},
                {"sync-status", "--account", "-1"},
        };
        for (String[] args : bad) {
            Run r = OpsFixtures.run(context, args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip().lines()).as(String.join(" ", args)).hasSize(1);
        }
        assertThat(data.count("SELECT COUNT(*) FROM event WHERE sync_changed_at IS NOT NULL")).isZero();
        assertThat(data.count("SELECT COUNT(*) FROM event WHERE sync_enabled")).isEqualTo(3);
    }

    @Test
    void helpOnEveryCommand() {
        for (String command : new String[] {"stop-sync", "enable-sync", "sync-status"}) {
            Run r = OpsFixtures.run(context, command, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("Usage:", command);
        }
    }

    private boolean syncOn(long eventId) {
        return data.count("SELECT COUNT(*) FROM event WHERE id = ? AND sync_enabled", eventId) == 1;
    }
}
