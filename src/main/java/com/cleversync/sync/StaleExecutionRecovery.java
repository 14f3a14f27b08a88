package com.cleversync.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.net.InetAddress;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Executions left STARTED/STOPPING by a process that died (kill -9, OOM, node loss). An import's execution
 * is stale when nobody holds the import's lock: a live run always does, on any pod. Executions of other jobs
 * (no import id) are stale when not running here and untouched for {@code clever-sync.ops.stale-after}.
 * Recovery marks them FAILED with the reason, so the next run restarts them.
 */
@Service("staleExecutionRecovery")
public class StaleExecutionRecovery {

    private static final Logger log = LoggerFactory.getLogger(StaleExecutionRecovery.class);

    private final JdbcClient jdbc;
    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final ImportLock lock;
    private final LocalExecutions local;
    private final Duration staleAfter;

    public StaleExecutionRecovery(JdbcClient jdbc, JobRepository jobRepository, JobOperator jobOperator, ImportLock lock,
                                  LocalExecutions local, @Value("${clever-sync.ops.stale-after:30m}") Duration staleAfter) {
        this.jdbc = jdbc;
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.lock = lock;
        this.local = local;
        this.staleAfter = staleAfter;
    }

    public record Recovered(long executionId, String jobName, Long eventImportId, String reason) {
    }

    /** Recovers every stale execution; returns what it recovered. */
    public List<Recovered> recoverStale() {
        List<Long> candidates = jdbc.sql("""
                SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION
                WHERE STATUS IN ('STARTING', 'STARTED', 'STOPPING') ORDER BY JOB_EXECUTION_ID""").query(Long.class).list();
        List<Recovered> recovered = new ArrayList<>();
        for (long id : candidates) {
            if (local.isRunningHere(id)) {
                continue;
            }
            JobExecution execution = jobRepository.getJobExecution(id);
            if (execution == null || !execution.getStatus().isRunning()) {
                continue;
            }
            Long importId = eventImportId(execution);
            Optional<Recovered> r = importId == null ? recoverIfIdle(execution) : recoverIfUnlocked(execution, importId);
            r.ifPresent(recovered::add);
        }
        return recovered;
    }

    /** The import an execution runs: job parameter {@code eventImportId}, else its execution context. */
    public static Long eventImportId(JobExecution execution) {
        Long id = execution.getJobParameters().getLong("eventImportId");
        if (id == null && execution.getExecutionContext().containsKey("eventImportId")) {
            Object v = execution.getExecutionContext().get("eventImportId");
            id = v instanceof Number n ? n.longValue() : v == null ? null : Long.valueOf(v.toString());
        }
        return id;
    }

    private Optional<Recovered> recoverIfUnlocked(JobExecution execution, long importId) {
        // Holding the lock while recovering keeps a run that starts right now from racing with us.
        Optional<ImportLock.Lease> lease = lock.tryAcquire(importId);
        if (lease.isEmpty()) {
            return Optional.empty();
        }
        try (ImportLock.Lease held = lease.get()) {
            JobExecution fresh = jobRepository.getJobExecution(execution.getId());
            if (fresh == null || !fresh.getStatus().isRunning()) {
                return Optional.empty();
            }
            return recover(fresh, importId);
        }
    }

    private Optional<Recovered> recoverIfIdle(JobExecution execution) {
        LocalDateTime last = execution.getLastUpdated();
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getLastUpdated() != null && (last == null || step.getLastUpdated().isAfter(last))) {
                last = step.getLastUpdated();
            }
        }
        if (last != null && last.isAfter(LocalDateTime.now().minus(staleAfter))) {
            return Optional.empty();
        }
        return recover(execution, null);
    }

    private Optional<Recovered> recover(JobExecution execution, Long importId) {
        String reason = "process died; recovered by " + host();
        ExitStatus exit = new ExitStatus(ExitStatus.FAILED.getExitCode(), reason);
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus().isRunning()) {
                step.setExitStatus(exit);
            }
        }
        execution.setExitStatus(exit);
        try {
            jobOperator.recover(execution);
        } catch (OptimisticLockingFailureException e) {
            // another process recovered it first
            return Optional.empty();
        }
        log.warn("execution {} of {} (import {}) was left running by a dead process; marked FAILED, restartable",
                execution.getId(), execution.getJobInstance().getJobName(), importId);
        return Optional.of(new Recovered(execution.getId(), execution.getJobInstance().getJobName(), importId, reason));
    }

    static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown host";
        }
    }
}
