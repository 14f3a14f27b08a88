package com.cleversync.system;

import com.cleversync.support.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The JDBC job repository on MySQL/MariaDB: a job completes, fails, and its restart resumes at the failed step. */
class JobRepositoryTest extends DatabaseTest {

    static final AtomicBoolean FAIL_SECOND_STEP = new AtomicBoolean(true);
    static final AtomicInteger FIRST_STEP_RUNS = new AtomicInteger();

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier("repositorySmokeJob")
    Job job;

    @Test
    void jobCompletesFailsAndRestartsFromTheFailedStep() throws Exception {
        JobParameters params = new JobParametersBuilder().addString("run", "r1").toJobParameters();

        JobExecution failed = jobOperator.start(job, params);
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE STATUS = 'FAILED'").query(Long.class).single())
                .isEqualTo(1L);

        FAIL_SECOND_STEP.set(false);
        JobExecution restarted = jobOperator.restart(failed);
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
        assertThat(FIRST_STEP_RUNS).hasValue(1);

        JobExecution other = jobOperator.start(job, new JobParametersBuilder().addString("run", "r2").toJobParameters());
        assertThat(other.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE").query(Long.class).single()).isEqualTo(2L);
    }

    @TestConfiguration
    static class SmokeJob {
        @Bean
        Job repositorySmokeJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
            return new JobBuilder("repositorySmokeJob", jobRepository)
                    .start(new StepBuilder("first", jobRepository).tasklet((contribution, chunk) -> {
                        FIRST_STEP_RUNS.incrementAndGet();
                        return RepeatStatus.FINISHED;
                    }, transactionManager).build())
                    .next(new StepBuilder("second", jobRepository).tasklet((contribution, chunk) -> {
                        if (FAIL_SECOND_STEP.get()) {
                            throw new IllegalStateException("injected failure");
                        }
                        return RepeatStatus.FINISHED;
                    }, transactionManager).build())
                    .build();
        }
    }
}
