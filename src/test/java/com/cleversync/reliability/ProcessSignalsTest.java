package com.cleversync.reliability;

import com.cleversync.system.Cli;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real clever-sync process killed in the middle of an import: SIGKILL (the pod is OOM-killed or its node dies),
 * after which the nightly sync recovers the execution the dead process left running and completes it; and SIGTERM
 * (Kubernetes stops the pod), after which the run is STOPPED at a chunk boundary and a restart completes it. Both
 * end with the booking tables identical to an undisturbed run's.
 */
class ProcessSignalsTest extends SimulatedDistrictTest {

    private static void requireCommands(String... names) {
        var commands = Cli.commandLine().getSubcommands().keySet();
        for (String name : names) {
            assumeTrue(commands.contains(name), "command " + name + " is not registered yet");
        }
    }

    private ChildJvm startSlowImport(Fixture f) {
        // Slow pages keep the run going long enough to be killed in the middle of a read step.
        sim.faults().latency(Duration.ofMillis(150));
        ChildJvm child = ChildJvm.start(childProperties(), Map.of(), List.of(),
                "import", "--event", Long.toString(f.eventId()), "--school", f.schoolId(), "--term", f.termId());
        await("a committed chunk of students", Duration.ofSeconds(120), () -> !child.isAlive()
                || count("SELECT COUNT(*) FROM contact WHERE account_id = ? AND kind = 'STUDENT'", f.accountId()) > 0);
        assertThat(child.isAlive()).as("the import is still running: " + child.output()).isTrue();
        return child;
    }

    private String lastStatus(Fixture f) {
        return jdbcTemplate.queryForObject("""
                SELECT e.STATUS FROM BATCH_JOB_EXECUTION e
                JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID
                WHERE p.PARAMETER_NAME = 'eventImportId' AND p.PARAMETER_VALUE = ?
                ORDER BY e.JOB_EXECUTION_ID DESC LIMIT 1""", String.class, Long.toString(f.eventImportId()));
    }

    private long instances(Fixture f) {
        return count("""
                SELECT COUNT(DISTINCT e.JOB_INSTANCE_ID) FROM BATCH_JOB_EXECUTION e
                JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID
                WHERE p.PARAMETER_NAME = 'eventImportId' AND p.PARAMETER_VALUE = ?""", Long.toString(f.eventImportId()));
    }

    @Test
    void sigkillMidImportThenTheNightlySyncRecoversAndCompletesIt() {
        requireCommands("nightly");
        String reference = referenceInitialImport();
        Fixture f = fixture();
        ChildJvm killed = startSlowImport(f);
        try {
            killed.signal("KILL");
            assertThat(killed.waitFor(30)).isEqualTo(137);
        } finally {
            killed.destroy();
        }
        assertThat(lastStatus(f)).as("left running by the dead process").isEqualTo("STARTED");
        assertThat(count("SELECT COUNT(*) FROM event_class WHERE event_id = ?", f.eventId())).isZero();

        sim.faults().clear();
        ChildJvm nightly = ChildJvm.start(childProperties(), Map.of(), List.of(), "nightly");
        assertThat(nightly.waitFor(180)).as(nightly.output()).isZero();

        assertThat(lastStatus(f)).isEqualTo("COMPLETED");
        assertThat(instances(f)).as("the killed run was resumed, not started over").isEqualTo(1);
        assertThat(checksum(f)).isEqualTo(reference);
    }

    @Test
    void sigtermMidImportStopsTheRunAndARestartCompletesIt() {
        requireCommands("restart");
        String reference = referenceInitialImport();
        Fixture f = fixture();
        ChildJvm stopped = startSlowImport(f);
        try {
            stopped.signal("TERM");
            // 3 (stopped) when the command returns first, 143 when the JVM ends by the signal after stopping the job.
            assertThat(stopped.waitFor(120)).as(stopped.output()).isIn(3, 143);
        } finally {
            stopped.destroy();
        }
        assertThat(lastStatus(f)).isEqualTo("STOPPED");
        assertThat(count("SELECT COUNT(*) FROM event_class WHERE event_id = ?", f.eventId())).isZero();
        long execution = count("""
                SELECT MAX(e.JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION e
                JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID
                WHERE p.PARAMETER_NAME = 'eventImportId' AND p.PARAMETER_VALUE = ?""", Long.toString(f.eventImportId()));

        sim.faults().clear();
        ChildJvm restart = ChildJvm.start(childProperties(), Map.of(), List.of(), "restart", Long.toString(execution));
        assertThat(restart.waitFor(180)).as(restart.output()).isZero();

        assertThat(lastStatus(f)).isEqualTo("COMPLETED");
        assertThat(instances(f)).isEqualTo(1);
        assertThat(checksum(f)).isEqualTo(reference);
    }
}
