package com.cleversync.importing;

import com.cleversync.account.AccountService;
import com.cleversync.clever.CleverClient;
import com.cleversync.clever.CleverCredentials;
import com.cleversync.clever.CleverSchool;
import com.cleversync.clever.CleverTerm;
import com.cleversync.sync.ImportLock;
import com.cleversync.system.BadInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Registers imports and runs them. Every entry point (command line, Actuator, nightly sync) goes through
 * here, so a run always holds the import's lock and always restarts a failed run instead of starting over.
 */
@Service("importService")
public class ImportService {

    private static final Logger log = LoggerFactory.getLogger(ImportService.class);
    private static final Pattern CLEVER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final List<String> ENTITIES = List.of("classes", "teachers", "students", "parents", "class_teacher",
            "class_student", "student_parent");

    /** Read steps and the entity whose "read" count (records read from Clever) they give. */
    private static final Map<String, String> STEP_ENTITIES = Map.of("importSectionsStep", "classes",
            "importTeachersStep", "teachers", "importStudentsStep", "students", "importParentsStep", "parents");

    private final JdbcClient jdbc;
    private final AccountService accounts;
    private final CleverClient clever;
    private final ImportLock lock;
    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job job;
    private final TaskExecutor executor;
    private final TransactionTemplate tx;
    private final ThreadLocal<CompletableFuture<Long>> startedExecution = new ThreadLocal<>();

    public ImportService(JdbcClient jdbc, AccountService accounts, CleverClient clever, ImportLock lock,
                         JobOperator jobOperator, JobRepository jobRepository,
                         @Qualifier(ImportJobConfig.JOB_NAME) Job job,
                         @Qualifier("importExecutor") TaskExecutor executor, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.clever = clever;
        this.lock = lock;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.job = job;
        this.executor = executor;
        this.tx = tx;
    }

    /**
     * Checks the event, school and term (in the database and at Clever), attaches the school to the account
     * and records the import. Idempotent: registering the same triple again returns the same id.
     */
    public long register(ImportRequest request) {
        String schoolId = cleverId(request.cleverSchoolId(), "school");
        String termId = cleverId(request.cleverTermId(), "term");
        long accountId = jdbc.sql("SELECT account_id FROM event WHERE id = ?").param(request.eventId())
                .query(Long.class).optional()
                .orElseThrow(() -> BadInputException.notFound("unknown event " + request.eventId()));
        CleverCredentials credentials = accounts.credentials(accountId);
        CleverSchool school = clever.school(credentials, schoolId)
                .orElseThrow(() -> BadInputException.notFound("school " + schoolId + " is not in the Clever district of account " + accountId));
        CleverTerm term = clever.term(credentials, termId)
                .orElseThrow(() -> BadInputException.notFound("term " + termId + " is not in the Clever district of account " + accountId));
        boolean taught = clever.schoolTerms(credentials, schoolId).stream().anyMatch(t -> t.id().equals(termId));
        if (!taught) {
            throw new BadInputException("term " + termId + " (" + term.name() + ") has no sections at school " + schoolId
                    + " (" + school.name() + ")");
        }
        return tx.execute(status -> {
            jdbc.sql("""
                    INSERT INTO school (account_id, clever_school_id, name, sis_id, school_number)
                    VALUES (?, ?, ?, ?, ?)
                    ON DUPLICATE KEY UPDATE name = VALUES(name), sis_id = VALUES(sis_id),
                      school_number = VALUES(school_number),
                      attached_at = IF(detached_at IS NULL, attached_at, CURRENT_TIMESTAMP(3)), detached_at = NULL""")
                    .params(accountId, schoolId, school.name() == null ? schoolId : school.name(), school.sisId(), school.schoolNumber())
                    .update();
            long schoolRow = jdbc.sql("SELECT id FROM school WHERE account_id = ? AND clever_school_id = ?")
                    .params(accountId, schoolId).query(Long.class).single();
            jdbc.sql("""
                    INSERT INTO event_import (event_id, school_id, clever_school_id, clever_term_id, term_name)
                    VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE term_name = VALUES(term_name)""")
                    .params(request.eventId(), schoolRow, schoolId, termId, term.name()).update();
            return jdbc.sql("SELECT id FROM event_import WHERE event_id = ? AND clever_school_id = ? AND clever_term_id = ?")
                    .params(request.eventId(), schoolId, termId).query(Long.class).single();
        });
    }

    static String cleverId(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new BadInputException(what + " id must not be empty");
        }
        if (!CLEVER_ID.matcher(id).matches()) {
            throw new BadInputException("malformed " + what + " id (Clever ids are letters and digits)");
        }
        return id;
    }

    /** Runs the import now, in this thread, under its lock. */
    public JobExecution run(long eventImportId, RunOptions options) {
        requireImport(eventImportId);
        ImportLock.Lease lease = lock.tryAcquire(eventImportId)
                .orElseThrow(() -> new ImportAlreadyRunningException(eventImportId));
        try (lease) {
            return launch(eventImportId, options);
        }
    }

    /** Starts the import on the import executor and returns its execution id as soon as it exists. */
    public long runAsync(long eventImportId, RunOptions options) {
        requireImport(eventImportId);
        ImportLock.Lease lease = lock.tryAcquire(eventImportId)
                .orElseThrow(() -> new ImportAlreadyRunningException(eventImportId));
        CompletableFuture<Long> id = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                startedExecution.set(id);
                try (lease) {
                    JobExecution execution = launch(eventImportId, options);
                    id.complete(execution.getId());
                } catch (RuntimeException e) {
                    id.completeExceptionally(e);
                    log.error("import {} failed to start: {}", eventImportId, e.getMessage());
                } finally {
                    startedExecution.remove();
                }
            });
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        try {
            return id.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting import " + eventImportId);
        } catch (TimeoutException e) {
            throw new IllegalStateException("import " + eventImportId + " did not start within 60 s");
        }
    }

    /** Called by the job listener as soon as an execution exists, for {@link #runAsync}. */
    void executionCreated(JobExecution execution) {
        CompletableFuture<Long> future = startedExecution.get();
        if (future != null) {
            future.complete(execution.getId());
        }
    }

    private JobExecution launch(long eventImportId, RunOptions options) {
        JobExecution last = lastExecution(eventImportId);
        try {
            if (last != null && last.getStatus().isRunning()) {
                // We hold the lock, so whoever ran it is gone: mark it failed, then restart it.
                log.warn("import {}: execution {} was left {} by a process that died; recovering it", eventImportId,
                        last.getId(), last.getStatus());
                last = jobOperator.recover(last);
            }
            if (last != null && (last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED)) {
                if (!options.allowMassRemoval() && Objects.equals(options.changeSetId(), last.getJobParameters().getLong("changeSet"))) {
                    log.info("import {}: restarting execution {} ({})", eventImportId, last.getId(), last.getStatus());
                    return jobOperator.restart(last);
                }
                // An override, or another night's changes (or a full run after a run on changes), is a new decision:
                // abandon the failed run and start afresh with it.
                jobOperator.abandon(last);
            }
            JobParametersBuilder builder = new JobParametersBuilder()
                    .addLong("eventImportId", eventImportId)
                    .addString("run", Instant.now() + "-" + UUID.randomUUID().toString().substring(0, 8))
                    .addString("trigger", options.trigger(), false)
                    .addString("districtReadKey", options.districtReadKey() == null ? "" : options.districtReadKey(), false)
                    .addString("allowMassRemoval", Boolean.toString(options.allowMassRemoval()), false);
            if (options.changeSetId() != null) {
                builder.addLong("changeSet", options.changeSetId(), false);
            }
            JobParameters params = builder.toJobParameters();
            return jobOperator.start(job, params);
        } catch (BadInputException | ImportAlreadyRunningException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("import " + eventImportId + " could not be launched: " + e.getMessage(), e);
        }
    }

    private void requireImport(long eventImportId) {
        if (jdbc.sql("SELECT COUNT(*) FROM event_import WHERE id = ?").param(eventImportId).query(Long.class).single() == 0) {
            throw BadInputException.notFound("unknown event import " + eventImportId);
        }
    }

    /** The newest execution of the import's newest job instance, or null. */
    public JobExecution lastExecution(long eventImportId) {
        Long executionId = jdbc.sql("""
                SELECT MAX(e.JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION e
                JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID
                JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID
                WHERE i.JOB_NAME = ? AND p.PARAMETER_NAME = 'eventImportId' AND p.PARAMETER_VALUE = ?""")
                .params(ImportJobConfig.JOB_NAME, Long.toString(eventImportId)).query(Long.class).optional().orElse(null);
        return executionId == null ? null : jobRepository.getJobExecution(executionId);
    }

    /** The persisted report of the run an execution belongs to. */
    public ImportReport report(long jobExecutionId) {
        JobExecution execution;
        try {
            execution = jobRepository.getJobExecution(jobExecutionId);
        } catch (org.springframework.dao.EmptyResultDataAccessException e) {
            execution = null;
        }
        if (execution == null) {
            throw BadInputException.notFound("unknown job execution " + jobExecutionId);
        }
        long instance = execution.getJobInstance().getInstanceId();
        Long importId = execution.getJobParameters().getLong("eventImportId");
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        ENTITIES.forEach(e -> counts.put(e, new LinkedHashMap<>()));
        jdbc.sql("SELECT entity, metric, value FROM import_run_stat WHERE job_instance_id = ?").param(instance)
                .query(rs -> {
                    counts.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getLong(3));
                });
        jdbc.sql("""
                SELECT s.STEP_NAME, SUM(s.READ_COUNT) FROM BATCH_STEP_EXECUTION s
                JOIN BATCH_JOB_EXECUTION e ON e.JOB_EXECUTION_ID = s.JOB_EXECUTION_ID
                WHERE e.JOB_INSTANCE_ID = ? GROUP BY s.STEP_NAME""").param(instance).query(rs -> {
            String entity = STEP_ENTITIES.get(rs.getString(1));
            if (entity != null) {
                counts.computeIfAbsent(entity, k -> new LinkedHashMap<>()).put(RunStats.READ, rs.getLong(2));
            }
        });
        jdbc.sql("SELECT entity, COUNT(*) FROM import_run_issue WHERE job_instance_id = ? AND kind = 'SKIPPED' GROUP BY entity")
                .param(instance).query(rs -> {
                    counts.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(RunStats.SKIPPED, rs.getLong(2));
                });
        List<ImportReport.Issue> issues = new ArrayList<>(jdbc.sql("""
                SELECT entity, clever_id, kind, reason FROM import_run_issue WHERE job_instance_id = ? AND kind IN ('SKIPPED', 'AMBIGUOUS')
                ORDER BY id LIMIT 50""").param(instance).query(ImportReport.Issue.class).list());
        long issueTotal = jdbc.sql("SELECT COUNT(*) FROM import_run_issue WHERE job_instance_id = ? AND kind IN ('SKIPPED', 'AMBIGUOUS')")
                .param(instance).query(Long.class).single();
        LocalDateTime start = execution.getStartTime() == null ? execution.getCreateTime() : execution.getStartTime();
        LocalDateTime end = execution.getEndTime() == null ? LocalDateTime.now() : execution.getEndTime();
        Duration elapsed = start == null ? Duration.ZERO : Duration.between(start.toInstant(ZoneOffset.UTC), end.toInstant(ZoneOffset.UTC));
        return new ImportReport(jobExecutionId, instance, importId == null ? -1 : importId, execution.getStatus().name(),
                execution.getExitStatus().getExitDescription(), elapsed, List.copyOf(counts.keySet()), counts, issues, issueTotal);
    }
}
