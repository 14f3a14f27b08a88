package com.cleversync.sync;

import com.cleversync.system.ExitCodes;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a nightly run did: stale executions recovered, events skipped, one row per import, and per district which
 * mode ran (incremental or full) and why.
 */
public record NightlyReport(List<StaleExecutionRecovery.Recovered> recovered, List<SkippedEvent> skippedEvents,
                            List<Row> rows, Duration elapsed, List<String> districts) {

    public NightlyReport(List<StaleExecutionRecovery.Recovered> recovered, List<SkippedEvent> skippedEvents,
                         List<Row> rows, Duration elapsed) {
        this(recovered, skippedEvents, rows, elapsed, List.of());
    }

    public static final String FAILED = "FAILED";
    public static final String STOPPED = "STOPPED";
    public static final String NOT_RUN = "NOT RUN";
    public static final String RUNNING_ELSEWHERE = "RUNNING ELSEWHERE";

    public record SkippedEvent(long eventId, long accountId, String eventName, int imports) {
    }

    /** One import: its status (a BatchStatus, or one of the constants above), the execution, duration, counts. */
    public record Row(long eventImportId, long eventId, long accountId, String status, Long executionId,
                      Duration duration, long read, long created, long updated, long removed, long skipped,
                      String message) {
    }

    public boolean anyFailed() {
        return rows.stream().anyMatch(r -> r.status().equals(FAILED));
    }

    /** 1 when an import failed; else 3 when one was stopped or not run (shutdown); else 0. */
    public int exitCode() {
        if (anyFailed()) {
            return ExitCodes.FAILED;
        }
        if (rows.stream().anyMatch(r -> r.status().equals(STOPPED) || r.status().equals(NOT_RUN))) {
            return ExitCodes.STOPPED;
        }
        return ExitCodes.OK;
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        for (StaleExecutionRecovery.Recovered r : recovered) {
            sb.append(String.format(Locale.ROOT, "recovered stale execution %d (import %s): %s%n", r.executionId(),
                    r.eventImportId() == null ? "-" : r.eventImportId(), r.reason()));
        }
        for (SkippedEvent e : skippedEvents) {
            sb.append(String.format(Locale.ROOT, "event %d (account %d, %s): sync stopped, %d import(s) skipped%n",
                    e.eventId(), e.accountId(), e.eventName(), e.imports()));
        }
        for (String district : districts) {
            sb.append(district).append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "%-8s %-8s %-8s %-18s %-10s %9s %8s %8s %8s %8s %8s  %s%n", "IMPORT", "EVENT",
                "ACCOUNT", "STATUS", "EXECUTION", "DURATION", "READ", "CREATED", "UPDATED", "REMOVED", "SKIPPED", "MESSAGE"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-8d %-8d %-8d %-18s %-10s %8.1fs %8d %8d %8d %8d %8d  %s%n",
                    r.eventImportId(), r.eventId(), r.accountId(), r.status(),
                    r.executionId() == null ? "-" : r.executionId().toString(), r.duration().toMillis() / 1000.0,
                    r.read(), r.created(), r.updated(), r.removed(), r.skipped(), r.message() == null ? "" : r.message()));
        }
        long failed = rows.stream().filter(r -> r.status().equals(FAILED)).count();
        sb.append(String.format(Locale.ROOT, "%d import(s), %d failed, %d event(s) skipped (sync stopped), %.1f s%n",
                rows.size(), failed, skippedEvents.size(), elapsed.toMillis() / 1000.0));
        return sb.toString();
    }
}
