package com.cleversync.incremental;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The manager's watch on its workers while the partition step waits: a partition a worker took (STARTED) holds
 * its district lock for as long as the worker lives; when nobody has held it for {@code dead-after}, the worker
 * is gone (killed, evicted, node lost) and the partition is marked FAILED, so the manager stops waiting for it
 * and a restart of the job redoes it. Partitions still in the queue (STARTING) are only waited for.
 */
final class PartitionWatchdog implements StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionWatchdog.class);

    private final JdbcClient jdbc;
    private final JobRepository jobRepository;
    private final DistrictLock lock;
    private final NightlyProperties.Remote settings;
    private final Map<Long, ScheduledExecutorService> watching = new HashMap<>();

    PartitionWatchdog(JdbcClient jdbc, JobRepository jobRepository, DistrictLock lock, NightlyProperties.Remote settings) {
        this.jdbc = jdbc;
        this.jobRepository = jobRepository;
        this.lock = lock;
        this.settings = settings;
    }

    @Override
    public synchronized void beforeStep(StepExecution managerStep) {
        long jobExecutionId = managerStep.getJobExecutionId();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nightly-watchdog-" + jobExecutionId);
            t.setDaemon(true);
            return t;
        });
        Map<Long, Long> unlockedSince = new HashMap<>();
        long period = Math.max(200, settings.pollInterval().toMillis());
        timer.scheduleWithFixedDelay(() -> check(jobExecutionId, unlockedSince), period, period, TimeUnit.MILLISECONDS);
        watching.put(managerStep.getId(), timer);
    }

    @Override
    public synchronized ExitStatus afterStep(StepExecution managerStep) {
        ScheduledExecutorService timer = watching.remove(managerStep.getId());
        if (timer != null) {
            timer.shutdownNow();
        }
        return null;
    }

    private void check(long jobExecutionId, Map<Long, Long> unlockedSince) {
        try {
            List<Object[]> started = jdbc.sql("""
                            SELECT STEP_EXECUTION_ID, STEP_NAME FROM BATCH_STEP_EXECUTION
                            WHERE JOB_EXECUTION_ID = ? AND STATUS = 'STARTED' AND STEP_NAME LIKE ?""")
                    .params(jobExecutionId, RemoteNightlyConfig.WORKER_STEP + ":%")
                    .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}).list();
            Set<Long> seen = new HashSet<>();
            long now = System.nanoTime();
            for (Object[] row : started) {
                long stepExecutionId = (Long) row[0];
                long accountId = accountOf((String) row[1]);
                seen.add(stepExecutionId);
                if (lock.isHeld(accountId)) {
                    unlockedSince.remove(stepExecutionId);
                    continue;
                }
                long since = unlockedSince.computeIfAbsent(stepExecutionId, k -> now);
                if (now - since >= settings.deadAfter().toNanos()) {
                    markFailed(stepExecutionId, accountId);
                    unlockedSince.remove(stepExecutionId);
                }
            }
            unlockedSince.keySet().retainAll(seen);
        } catch (RuntimeException e) {
            log.warn("nightly watchdog: {}", e.getMessage());
        }
    }

    private void markFailed(long stepExecutionId, long accountId) {
        StepExecution step = jobRepository.getStepExecution(stepExecutionId);
        if (step == null || step.getStatus() != BatchStatus.STARTED) {
            return;
        }
        String reason = "the worker of account " + accountId + " is gone (its district lock was free for "
                + settings.deadAfter().toSeconds() + " s); restart the nightly run to redo it";
        step.setStatus(BatchStatus.FAILED);
        step.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), reason));
        step.setEndTime(LocalDateTime.now());
        try {
            jobRepository.update(step);
            log.warn("nightly: partition {} ({}) marked FAILED: {}", stepExecutionId, step.getStepName(), reason);
        } catch (OptimisticLockingFailureException e) {
            // the worker wrote meanwhile: it is alive after all
        }
    }

    static long accountOf(String stepName) {
        int at = stepName.lastIndexOf(RemoteNightlyConfig.PARTITION_PREFIX);
        return Long.parseLong(stepName.substring(at + RemoteNightlyConfig.PARTITION_PREFIX.length()));
    }
}
