package com.cleversync.importing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one run (job instance): counters per entity and the records skipped, merged, matched and
 * found ambiguous. Built from what the run persisted, so it is the same after a restart.
 */
public record ImportReport(long jobExecutionId, long jobInstanceId, long eventImportId, String status, String exitMessage,
                           Duration elapsed, List<String> entities, Map<String, Map<String, Long>> counts,
                           List<Issue> issues, long issueTotal) {

    public static final List<String> METRICS = List.of(RunStats.READ, RunStats.CREATED, RunStats.UPDATED,
            RunStats.UNCHANGED, RunStats.REMOVED, RunStats.RESTORED, RunStats.SKIPPED, RunStats.MERGED,
            RunStats.MATCHED, RunStats.AMBIGUOUS);

    public record Issue(String entity, String cleverId, String kind, String reason) {
    }

    public long count(String entity, String metric) {
        return counts.getOrDefault(entity, Map.of()).getOrDefault(metric, 0L);
    }

    /** Whether the run changed nothing (every record unchanged). */
    public boolean allUnchanged() {
        for (String entity : entities) {
            for (String m : List.of(RunStats.CREATED, RunStats.UPDATED, RunStats.REMOVED, RunStats.RESTORED)) {
                if (count(entity, m) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A printable table. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "import %d, execution %d: %s in %.1f s%n", eventImportId, jobExecutionId, status,
                elapsed.toMillis() / 1000.0));
        if (exitMessage != null && !exitMessage.isBlank()) {
            sb.append("  ").append(exitMessage.lines().findFirst().orElse("")).append(System.lineSeparator());
        }
        List<String> header = new ArrayList<>();
        header.add("entity");
        header.addAll(METRICS);
        sb.append(String.format(Locale.ROOT, "%-15s", header.get(0)));
        for (String m : METRICS) {
            sb.append(String.format(Locale.ROOT, " %9s", m));
        }
        sb.append(System.lineSeparator());
        for (String entity : entities) {
            sb.append(String.format(Locale.ROOT, "%-15s", entity));
            for (String m : METRICS) {
                sb.append(String.format(Locale.ROOT, " %9d", count(entity, m)));
            }
            sb.append(System.lineSeparator());
        }
        for (Issue i : issues) {
            sb.append(String.format(Locale.ROOT, "  %-9s %-14s %s: %s%n", i.kind(), i.entity(), i.cleverId(), i.reason()));
        }
        if (issueTotal > issues.size()) {
            sb.append(String.format(Locale.ROOT, "  … and %d more (table import_run_issue, job_instance_id %d)%n",
                    issueTotal - issues.size(), jobInstanceId));
        }
        return sb.toString();
    }
}
