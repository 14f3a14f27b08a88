package com.cleversync.incremental;

import com.cleversync.sync.NightlyReport;
import com.cleversync.sync.StaleExecutionRecovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The nightly sync in manager mode: recovers what dead processes left running, then restarts the last
 * {@value RemoteNightlyConfig#JOB_NAME} run if it failed or stopped within {@code restart-within} (its completed
 * partitions are not redone), else starts a new one; waits for it and reports per district and per import from the partitions' contexts.
 */
public class RemoteNightly {

    private static final Logger log = LoggerFactory.getLogger(RemoteNightly.class);

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job job;
    private final StaleExecutionRecovery recovery;
    private final JdbcClient jdbc;
    private final Duration restartWithin;

    RemoteNightly(JobOperator jobOperator, JobRepository jobRepository, Job job, StaleExecutionRecovery recovery, JdbcClient jdbc,
                  Duration restartWithin) {
        this.restartWithin = restartWithin;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.job = job;
        this.recovery = recovery;
        this.jdbc = jdbc;
    }

    public NightlyReport run() {
        long started = System.nanoTime();
        List<StaleExecutionRecovery.Recovered> recovered = recovery.recoverStale();
        JobExecution execution;
        try {
            JobExecution last = lastExecution();
            if (last != null && (last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED)
                    && last.getEndTime() != null
                    && last.getEndTime().isAfter(java.time.LocalDateTime.now().minus(restartWithin))) {
                log.info("nightly: restarting run {} ({}); its completed districts are not redone", last.getId(), last.getStatus());
                execution = jobOperator.restart(last);
            } else {
                execution = jobOperator.start(job, new JobParametersBuilder()
                        .addString("run", Instant.now().toString()).toJobParameters());
            }
        } catch (Exception e) {
            throw new IllegalStateException("the nightly run could not be launched: " + e.getMessage(), e);
        }
        log.info("nightly: run {} ended {}", execution.getId(), execution.getStatus());
        return report(execution, recovered, Duration.ofNanos(System.nanoTime() - started));
    }

    private JobExecution lastExecution() {
        Long id = jdbc.sql("""
                SELECT MAX(e.JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION e
                JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID WHERE i.JOB_NAME = ?""")
                .param(RemoteNightlyConfig.JOB_NAME).query(Long.class).optional().orElse(null);
        return id == null ? null : jobRepository.getJobExecution(id);
    }

    /** Newest partition execution per district across every execution of the run's job instance. */
    private NightlyReport report(JobExecution execution, List<StaleExecutionRecovery.Recovered> recovered, Duration elapsed) {
        Map<String, StepExecution> latest = new TreeMap<>();
        for (JobExecution e : jobRepository.getJobExecutions(execution.getJobInstance())) {
            for (StepExecution step : e.getStepExecutions()) {
                if (step.getStepName().startsWith(RemoteNightlyConfig.WORKER_STEP + ":")) {
                    latest.merge(step.getStepName(), step, (a, b) -> a.getId() > b.getId() ? a : b);
                }
            }
        }
        List<NightlyReport.Row> rows = new ArrayList<>();
        List<String> districts = new ArrayList<>();
        for (StepExecution step : latest.values()) {
            long accountId = PartitionWatchdog.accountOf(step.getStepName());
            StepExecution fresh = jobRepository.getStepExecution(step.getId());
            String outcome = fresh.getExecutionContext().containsKey(DistrictPartitionTasklet.OUTCOME)
                    ? fresh.getExecutionContext().getString(DistrictPartitionTasklet.OUTCOME) : "account " + accountId + ":";
            String status = fresh.getStatus() == BatchStatus.COMPLETED && fresh.getJobExecutionId() != execution.getId()
                    ? "done in run " + fresh.getJobExecutionId() : fresh.getStatus().name();
            String exit = fresh.getStatus() == BatchStatus.COMPLETED ? "" : " " + firstLine(fresh.getExitStatus().getExitDescription());
            districts.add(outcome + " [partition " + status + exit + "]");
            List<NightlyReport.Row> partitionRows = DistrictPartitionTasklet.decode(
                    fresh.getExecutionContext().containsKey(DistrictPartitionTasklet.ROWS)
                            ? fresh.getExecutionContext().getString(DistrictPartitionTasklet.ROWS) : null);
            if (partitionRows.isEmpty() && fresh.getStatus() != BatchStatus.COMPLETED) {
                rows.add(new NightlyReport.Row(0, 0, accountId, NightlyReport.FAILED, null, Duration.ZERO, 0, 0, 0, 0, 0,
                        "district partition " + fresh.getStatus() + exit));
            }
            rows.addAll(partitionRows);
        }
        rows.sort(Comparator.comparingLong(NightlyReport.Row::accountId).thenComparingLong(NightlyReport.Row::eventId)
                .thenComparingLong(NightlyReport.Row::eventImportId));
        if (execution.getStatus() != BatchStatus.COMPLETED && rows.stream().noneMatch(r -> r.status().equals(NightlyReport.FAILED))) {
            rows.add(new NightlyReport.Row(0, 0, 0, NightlyReport.FAILED, execution.getId(), Duration.ZERO, 0, 0, 0, 0, 0,
                    "nightly run " + execution.getId() + " " + execution.getStatus() + " "
                            + firstLine(execution.getExitStatus().getExitDescription())));
        }
        return new NightlyReport(recovered, List.of(), rows, elapsed, districts);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
