package com.cleversync.importing;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run report's counters and issues, written in the caller's transaction so that they commit (or roll
 * back) with the chunk they describe: a restarted run never counts a record twice.
 */
@Component("runStats")
public class RunStats {

    public static final String READ = "read";
    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String UNCHANGED = "unchanged";
    public static final String REMOVED = "removed";
    public static final String RESTORED = "restored";
    public static final String SKIPPED = "skipped";
    public static final String MERGED = "merged";
    public static final String MATCHED = "matched";
    public static final String AMBIGUOUS = "ambiguous";

    private final JdbcTemplate jdbc;

    public RunStats(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Counters of one entity for one chunk or step. */
    public static final class Counts {
        private final Map<String, Long> values = new TreeMap<>();

        public Counts add(String metric, long n) {
            if (n != 0) {
                values.merge(metric, n, Long::sum);
            }
            return this;
        }

        public long get(String metric) {
            return values.getOrDefault(metric, 0L);
        }
    }

    public record Issue(String entity, String cleverId, String kind, String reason) {
    }

    public void add(long jobInstanceId, String entity, Counts counts) {
        if (counts.values.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        counts.values.forEach((metric, value) -> rows.add(new Object[] {jobInstanceId, entity, metric, value}));
        jdbc.batchUpdate("""
                INSERT INTO import_run_stat (job_instance_id, entity, metric, value) VALUES (?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE value = value + VALUES(value)""", rows);
    }

    /** Records issues once each: a re-run of the same chunk does not repeat them. */
    public void issues(long jobInstanceId, List<Issue> issues) {
        if (issues.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(issues.size());
        for (Issue i : issues) {
            String reason = i.reason().length() > 1000 ? i.reason().substring(0, 1000) : i.reason();
            rows.add(new Object[] {jobInstanceId, i.entity(), i.cleverId(), i.kind(), reason});
        }
        jdbc.batchUpdate("""
                INSERT INTO import_run_issue (job_instance_id, entity, clever_id, kind, reason) VALUES (?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE reason = VALUES(reason)""", rows);
    }

    public long issueCount(long jobInstanceId, String kind) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM import_run_issue WHERE job_instance_id = ? AND kind = ?",
                Long.class, jobInstanceId, kind);
        return n == null ? 0 : n;
    }
}
