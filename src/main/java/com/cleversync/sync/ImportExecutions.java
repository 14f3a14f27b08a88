package com.cleversync.sync;

import com.cleversync.importing.ImportJobConfig;
import com.cleversync.importing.ImportService;
import com.cleversync.importing.RunOptions;
import com.cleversync.system.BadInputException;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.NoSuchJobExecutionException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * Job executions as ops sees them: status and progress, the failed and stopped ones, restart, stop. One
 * service behind the {@code status}, {@code restart} and {@code stop} commands and {@code /actuator/imports}.
 * Restarts of an import go through {@link ImportService}, so they hold the import's lock.
 */
@Service("importExecutions")
public class ImportExecutions {

    private final JdbcClient jdbc;
    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final ImportService imports;

    public ImportExecutions(JdbcClient jdbc, JobRepository jobRepository, JobOperator jobOperator, ImportService imports) {
        this.jdbc = jdbc;
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.imports = imports;
    }

    public ExecutionStatus status(long executionId) {
        return describe(execution(executionId));
    }

    /** Executions still running (per the job repository), oldest first. */
    public List<ExecutionStatus> running() {
        return jdbc.sql("SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION WHERE STATUS IN ('STARTING', 'STARTED', 'STOPPING') "
                        + "ORDER BY JOB_EXECUTION_ID").query(Long.class).list().stream()
                .map(id -> describe(jobRepository.getJobExecution(id))).toList();
    }

    /** The last execution of every job instance that ended FAILED or STOPPED and was not restarted since. */
    public List<ExecutionStatus> restartable() {
        return jdbc.sql("""
                        SELECT e.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION e
                        WHERE e.STATUS IN ('FAILED', 'STOPPED')
                          AND e.JOB_EXECUTION_ID = (SELECT MAX(x.JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION x
                                                    WHERE x.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID)
                        ORDER BY e.JOB_EXECUTION_ID""").query(Long.class).list().stream()
                .map(id -> describe(jobRepository.getJobExecution(id)))
                .filter(ExecutionStatus::restartable)
                .toList();
    }

    /** Restarts a failed or stopped execution and waits for the run to end. */
    public JobExecution restart(long executionId, String trigger) {
        JobExecution execution = restartableExecution(executionId);
        Long importId = StaleExecutionRecovery.eventImportId(execution);
        if (importId != null) {
            // A run on a night's change set is restarted on that set (ImportService restarts only a run of the same set).
            return imports.run(importId, new RunOptions(false, trigger, null, execution.getJobParameters().getLong("changeSet")));
        }
        try {
            return jobOperator.restart(execution);
        } catch (Exception e) {
            throw new IllegalStateException("execution " + executionId + " could not be restarted: " + e.getMessage(), e);
        }
    }

    /** Restarts a failed or stopped import execution in the background; returns the new execution id. */
    public long restartAsync(long executionId, String trigger) {
        JobExecution execution = restartableExecution(executionId);
        Long importId = StaleExecutionRecovery.eventImportId(execution);
        if (importId == null) {
            throw new BadInputException("execution " + executionId + " is not an import; restart it from the command line");
        }
        return imports.runAsync(importId, new RunOptions(false, trigger));
    }

    /**
     * Asks a running execution to stop at its next chunk boundary; it ends STOPPED and stays restartable.
     * Works for executions of any process: the runner sees the request in the job repository.
     */
    public ExecutionStatus stop(long executionId) {
        JobExecution execution = execution(executionId);
        try {
            requestStop(jobRepository, executionId);
        } catch (JobExecutionNotRunningException e) {
            throw new ExecutionConflictException("execution " + executionId + " is not running (" + execution.getStatus() + ")");
        }
        return status(executionId);
    }

    /**
     * Marks the execution STOPPING in the job repository. The running step reads that status whenever it
     * saves its progress, i.e. at every chunk boundary, and ends STOPPED (restartable), in this process or any
     * other. {@link JobOperator#stop} is not used: in Batch 6 it also stops the local step object, which
     * interrupts the step's thread in the middle of a Clever request and fails the run instead of stopping it.
     */
    static void requestStop(JobRepository jobRepository, long executionId) throws JobExecutionNotRunningException {
        for (int attempt = 0; ; attempt++) {
            JobExecution fresh = jobRepository.getJobExecution(executionId);
            if (fresh == null || !fresh.getStatus().isRunning()) {
                throw new JobExecutionNotRunningException("execution " + executionId + " is not running");
            }
            if (fresh.getStatus() == BatchStatus.STOPPING) {
                return;
            }
            fresh.setStatus(BatchStatus.STOPPING);
            try {
                jobRepository.update(fresh);
                return;
            } catch (OptimisticLockingFailureException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private JobExecution restartableExecution(long executionId) {
        JobExecution execution = execution(executionId);
        BatchStatus status = execution.getStatus();
        if (status.isRunning()) {
            throw new ExecutionConflictException("execution " + executionId + " is " + status
                    + ": stop it first (or, if its process died, nightly recovers it)");
        }
        if (status != BatchStatus.FAILED && status != BatchStatus.STOPPED) {
            throw new ExecutionConflictException("execution " + executionId + " is " + status + ": only FAILED or STOPPED executions restart");
        }
        long latest = latestOfInstance(execution);
        if (latest != executionId) {
            throw new ExecutionConflictException("execution " + executionId + " was already restarted as execution " + latest);
        }
        Long importId = StaleExecutionRecovery.eventImportId(execution);
        if (importId != null) {
            JobExecution last = imports.lastExecution(importId);
            if (last != null && last.getId() != executionId) {
                throw new ExecutionConflictException("execution " + executionId + " is not the latest run of import " + importId
                        + " (that is execution " + last.getId() + ", " + last.getStatus() + ")");
            }
        }
        return execution;
    }

    private long latestOfInstance(JobExecution execution) {
        return jdbc.sql("SELECT MAX(JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION WHERE JOB_INSTANCE_ID = ?")
                .param(execution.getJobInstance().getInstanceId()).query(Long.class).single();
    }

    private JobExecution execution(long executionId) {
        if (executionId <= 0) {
            throw new BadInputException("execution id must be a positive number, got " + executionId);
        }
        // Batch 6's JDBC repository throws instead of returning null for an unknown id: ask the table first.
        boolean exists = jdbc.sql("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?").param(executionId)
                .query(Long.class).single() > 0;
        JobExecution execution = exists ? jobRepository.getJobExecution(executionId) : null;
        if (execution == null) {
            throw BadInputException.notFound("no job execution with id " + executionId);
        }
        return execution;
    }

    private ExecutionStatus describe(JobExecution e) {
        LocalDateTime start = e.getStartTime() == null ? e.getCreateTime() : e.getStartTime();
        LocalDateTime end = e.getEndTime() == null ? LocalDateTime.now() : e.getEndTime();
        Duration elapsed = start == null ? Duration.ZERO : Duration.between(start, end);
        List<ExecutionStatus.StepProgress> steps = e.getStepExecutions().stream()
                .sorted(Comparator.comparingLong(StepExecution::getId))
                .map(s -> new ExecutionStatus.StepProgress(s.getStepName(), s.getStatus().name(), s.getReadCount(),
                        s.getWriteCount(), s.getSkipCount(), s.getCommitCount(), s.getRollbackCount(),
                        s.getStartTime() == null ? 0 : Duration.between(s.getStartTime(),
                                s.getEndTime() == null ? LocalDateTime.now() : s.getEndTime()).toSeconds()))
                .toList();
        String current = e.getStatus().isRunning()
                ? steps.stream().filter(s -> BatchStatus.valueOf(s.status()).isRunning())
                .reduce((a, b) -> b).map(ExecutionStatus.StepProgress::step).orElse(null)
                : null;
        Long importId = StaleExecutionRecovery.eventImportId(e);
        Duration remaining = e.getStatus().isRunning() ? estimateRemaining(e, importId, elapsed) : null;
        boolean restartable = (e.getStatus() == BatchStatus.FAILED || e.getStatus() == BatchStatus.STOPPED)
                && latestOfInstance(e) == e.getId();
        return new ExecutionStatus(e.getId(), e.getJobInstance().getInstanceId(), e.getJobInstance().getJobName(), importId,
                e.getStatus().name(), e.getExitStatus().getExitCode(), firstLine(e.getExitStatus().getExitDescription()),
                current, steps, start, e.getEndTime(), elapsed.toSeconds(), remaining == null ? null : remaining.toSeconds(),
                restartable);
    }

    /** What the import's last completed run took, minus what this one has run so far (never below zero). */
    private Duration estimateRemaining(JobExecution e, Long importId, Duration elapsed) {
        if (importId == null) {
            return null;
        }
        return jdbc.sql("""
                        SELECT TIMESTAMPDIFF(MICROSECOND, e.START_TIME, e.END_TIME) FROM BATCH_JOB_EXECUTION e
                        JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID
                        JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID
                        WHERE i.JOB_NAME = ? AND p.PARAMETER_NAME = 'eventImportId' AND p.PARAMETER_VALUE = ?
                          AND e.STATUS = 'COMPLETED' AND e.JOB_EXECUTION_ID <> ?
                        ORDER BY e.JOB_EXECUTION_ID DESC LIMIT 1""")
                .params(ImportJobConfig.JOB_NAME, importId.toString(), e.getId()).query(Long.class).optional()
                .map(micros -> {
                    Duration left = Duration.ofNanos(micros * 1000).minus(elapsed);
                    return left.isNegative() ? Duration.ZERO : left;
                })
                .orElse(null);
    }

    private static String firstLine(String text) {
        return text == null || text.isBlank() ? null : text.lines().findFirst().orElse(null);
    }
}
