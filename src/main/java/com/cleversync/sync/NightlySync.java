package com.cleversync.sync;

import com.cleversync.importing.ImportAlreadyRunningException;
import com.cleversync.incremental.DistrictNightly;
import com.cleversync.importing.ImportReport;
import com.cleversync.importing.ImportService;
import com.cleversync.importing.RunOptions;
import com.cleversync.importing.RunStats;
import com.cleversync.system.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The nightly sync: recovers executions a dead process left running, then, for every event with sync on,
 * runs every one of its imports ({@link ImportService#run} restarts a failed or stopped run, else starts a new
 * one). Accounts run in parallel, up to {@code clever-sync.ops.nightly-concurrency}; the imports of one account
 * run up to {@code clever-sync.nightly.import-concurrency} at once, after its first one (see
 * {@link com.cleversync.incremental.ParallelImports}); the import lock keeps any import from running twice, across
 * pods. A failure is reported and the others go on.
 */
@Service("nightlySync")
public class NightlySync {

    private static final Logger log = LoggerFactory.getLogger(NightlySync.class);

    private final JdbcClient jdbc;
    private final ImportService imports;
    private final StaleExecutionRecovery recovery;
    private final LocalExecutions local;
    private final DistrictNightly districts;
    private final int defaultConcurrency;

    public NightlySync(JdbcClient jdbc, ImportService imports, StaleExecutionRecovery recovery, LocalExecutions local,
                       DistrictNightly districts, @Value("${clever-sync.ops.nightly-concurrency:2}") int defaultConcurrency) {
        this.jdbc = jdbc;
        this.imports = imports;
        this.recovery = recovery;
        this.local = local;
        this.districts = districts;
        this.defaultConcurrency = defaultConcurrency;
    }

    public int defaultConcurrency() {
        return defaultConcurrency;
    }

    private record Planned(long eventImportId, long eventId, long accountId, String eventName, boolean syncEnabled) {
    }

    public NightlyReport run(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        long started = System.nanoTime();
        List<StaleExecutionRecovery.Recovered> recovered = recovery.recoverStale();
        List<Planned> planned = jdbc.sql("""
                        SELECT ei.id, e.id, e.account_id, e.name, e.sync_enabled FROM event_import ei
                        JOIN event e ON e.id = ei.event_id ORDER BY e.account_id, e.id, ei.id""")
                .query((rs, n) -> new Planned(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getBoolean(5)))
                .list();
        Map<Long, NightlyReport.SkippedEvent> skipped = new LinkedHashMap<>();
        Map<Long, List<Planned>> byAccount = new LinkedHashMap<>();
        for (Planned p : planned) {
            if (p.syncEnabled()) {
                byAccount.computeIfAbsent(p.accountId(), a -> new ArrayList<>()).add(p);
            } else {
                skipped.merge(p.eventId(), new NightlyReport.SkippedEvent(p.eventId(), p.accountId(), p.eventName(), 1),
                        (a, b) -> new NightlyReport.SkippedEvent(a.eventId(), a.accountId(), a.eventName(), a.imports() + 1));
            }
        }
        skipped.values().forEach(e -> log.info("nightly: event {} of account {} has sync stopped; {} import(s) skipped",
                e.eventId(), e.accountId(), e.imports()));
        log.info("nightly: {} import(s) of {} account(s), concurrency {}", byAccount.values().stream().mapToInt(List::size).sum(),
                byAccount.size(), concurrency);

        List<NightlyReport.Row> rows = Collections.synchronizedList(new ArrayList<>());
        List<DistrictNightly.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, byAccount.size())), r -> {
            Thread t = new Thread(r, "nightly-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (List<Planned> account : byAccount.values()) {
                futures.add(pool.submit(() -> outcomes.add(runDistrict(account, rows))));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (Exception e) {
                    log.error("nightly: an account's runs ended abnormally: {}", e.getMessage());
                }
            }
        } finally {
            pool.shutdown();
        }
        List<NightlyReport.Row> ordered = new ArrayList<>(rows);
        ordered.sort(java.util.Comparator.comparingLong(NightlyReport.Row::accountId)
                .thenComparingLong(NightlyReport.Row::eventId).thenComparingLong(NightlyReport.Row::eventImportId));
        List<DistrictNightly.Outcome> districtOrder = new ArrayList<>(outcomes);
        districtOrder.sort(java.util.Comparator.comparingLong(DistrictNightly.Outcome::accountId));
        NightlyReport report = new NightlyReport(recovered, List.copyOf(skipped.values()), ordered,
                Duration.ofNanos(System.nanoTime() - started), districtOrder.stream().map(DistrictNightly.Outcome::describe).toList());
        log.info("nightly: done, {} import(s), exit {}", ordered.size(), report.exitCode());
        return report;
    }

    public NightlyReport run() {
        return run(defaultConcurrency);
    }

    /**
     * One district (account): {@link DistrictNightly} picks incremental or full and which imports run; they run
     * here, several at once after the first (the rows are added from several threads: {@code rows} must be
     * synchronized). Used per account by {@link #run} and by a remote-partitioning worker.
     */
    public DistrictNightly.Outcome runDistrict(long accountId, List<NightlyReport.Row> rows) {
        List<Planned> account = jdbc.sql("""
                        SELECT ei.id, e.id, e.account_id, e.name, e.sync_enabled FROM event_import ei
                        JOIN event e ON e.id = ei.event_id WHERE e.account_id = ? AND e.sync_enabled ORDER BY e.id, ei.id""")
                .param(accountId)
                .query((rs, n) -> new Planned(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getBoolean(5)))
                .list();
        return runDistrict(account, rows);
    }

    private DistrictNightly.Outcome runDistrict(List<Planned> account, List<NightlyReport.Row> rows) {
        Map<Long, Planned> byId = new LinkedHashMap<>();
        account.forEach(p -> byId.put(p.eventImportId(), p));
        long accountId = account.isEmpty() ? 0 : account.getFirst().accountId();
        return districts.run(accountId, List.copyOf(byId.keySet()), new DistrictNightly.ImportRunner() {
            @Override
            public String run(long eventImportId) {
                NightlyReport.Row row = runOne(byId.get(eventImportId), RunOptions.nightly());
                rows.add(row);
                return row.status();
            }

            @Override
            public String runChanges(long eventImportId, long changeSetId) {
                NightlyReport.Row row = runOne(byId.get(eventImportId), RunOptions.nightlyChanges(changeSetId));
                rows.add(row);
                return row.status();
            }

            @Override
            public void skip(long eventImportId, String status, String message) {
                rows.add(row(byId.get(eventImportId), status, null, Duration.ZERO, null, message));
            }
        });
    }

    private NightlyReport.Row runOne(Planned p, RunOptions options) {
        if (local.shuttingDown()) {
            return row(p, NightlyReport.NOT_RUN, null, Duration.ZERO, null, "shutting down");
        }
        long t0 = System.nanoTime();
        try {
            JobExecution execution = imports.run(p.eventImportId(), options);
            Duration took = execution.getStartTime() != null && execution.getEndTime() != null
                    ? Duration.between(execution.getStartTime(), execution.getEndTime())
                    : Duration.ofNanos(System.nanoTime() - t0);
            String message = execution.getExitStatus().getExitDescription();
            return row(p, execution.getStatus().name(), execution.getId(), took, report(execution.getId()), firstLine(message));
        } catch (ImportAlreadyRunningException e) {
            return row(p, NightlyReport.RUNNING_ELSEWHERE, null, Duration.ofNanos(System.nanoTime() - t0), null, e.getMessage());
        } catch (RuntimeException e) {
            String message = firstLine(Secrets.redact(e.getMessage()));
            log.error("nightly: import {} failed: {}", p.eventImportId(), message);
            return row(p, NightlyReport.FAILED, null, Duration.ofNanos(System.nanoTime() - t0), null, message);
        }
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    private ImportReport report(long executionId) {
        try {
            return imports.report(executionId);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static NightlyReport.Row row(Planned p, String status, Long executionId, Duration took, ImportReport report,
                                         String message) {
        long read = 0, created = 0, updated = 0, removed = 0, skipped = 0;
        if (report != null) {
            for (String entity : report.entities()) {
                read += report.count(entity, RunStats.READ);
                created += report.count(entity, RunStats.CREATED);
                updated += report.count(entity, RunStats.UPDATED);
                removed += report.count(entity, RunStats.REMOVED);
                skipped += report.count(entity, RunStats.SKIPPED);
            }
        }
        return new NightlyReport.Row(p.eventImportId(), p.eventId(), p.accountId(), status, executionId, took, read, created,
                updated, removed, skipped, message);
    }
}
