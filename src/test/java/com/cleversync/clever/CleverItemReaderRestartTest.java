package com.cleversync.clever;

import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimUser;
import com.cleversync.simulator.SimulatorSettings;
import com.cleversync.support.DatabaseTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real chunk step reads students from the simulator into a table of the test database (primary key on the
 * Clever id, so a record written twice fails the step), fails part-way, and is restarted with JobOperator: the
 * new reader instance resumes after the last committed record, nothing read twice, nothing missed, and the
 * malformed record is skipped once.
 */
class CleverItemReaderRestartTest extends DatabaseTest {

    static CleverSimulator sim;
    static volatile String failOnId;
    static final AtomicInteger READERS = new AtomicInteger();
    static final List<Long> READ_COUNTS = new ArrayList<>();

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier("cleverReaderRestartJob")
    Job job;

    @Autowired
    CleverClient cleverClient;

    @BeforeAll
    static void start() {
        sim = CleverSimulator.start(SimulatorSettings.defaults());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void table() {
        jdbcTemplate.execute("CREATE TABLE IF NOT EXISTS test_clever_read (id VARCHAR(24) PRIMARY KEY, "
                + "seq BIGINT NOT NULL AUTO_INCREMENT UNIQUE) ENGINE=InnoDB");
        jdbcTemplate.execute("DELETE FROM test_clever_read");
        sim.faults().clear();
        READERS.set(0);
    }

    List<String> written() {
        return jdbc.sql("SELECT id FROM test_clever_read ORDER BY seq").query(String.class).list();
    }

    @Test
    void aRestartedReaderResumesExactlyAfterTheLastCommittedRecord() throws Exception {
        List<String> expected = sim.district().users(SimUser.STUDENT).stream().map(SimUser::id).sorted().toList();
        String malformed = expected.get(8);
        sim.faults().malformedRecord(malformed);
        failOnId = expected.get(61);

        JobExecution failed = jobOperator.start(job, new JobParametersBuilder().addString("run", "restart").toJobParameters());

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        List<String> committed = written();
        assertThat(committed).isNotEmpty().doesNotContain(failOnId, malformed);
        List<String> good = new ArrayList<>(expected);
        good.remove(malformed);
        assertThat(committed).containsExactlyElementsOf(good.subList(0, committed.size()));
        StepExecution firstStep = failed.getStepExecutions().iterator().next();
        assertThat(firstStep.getReadSkipCount()).isEqualTo(1);
        assertThat(firstStep.getExecutionContext().getString("students.starting_after"))
                .as("cursor saved with the last commit").isEqualTo(committed.getLast());

        failOnId = null;
        JobExecution restarted = jobOperator.restart(failed);

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(written()).containsExactlyElementsOf(good);
        StepExecution secondStep = restarted.getStepExecutions().iterator().next();
        assertThat(secondStep.getReadCount()).as("records read after the restart")
                .isEqualTo(good.size() - committed.size());
        assertThat(secondStep.getExecutionContext().getString("students.starting_after")).isEqualTo(expected.getLast());
        assertThat(READERS).as("a new reader instance per run").hasValue(2);
    }

    @Test
    void theClientBeanIsConfiguredFromApplicationYml() {
        CleverProperties p = cleverClient.properties();
        assertThat(p.api().baseUrl()).isEqualTo("https://api.clever.com");
        assertThat(p.api().version()).isEqualTo("v3.0");
        assertThat(p.oauth().baseUrl()).isEqualTo("https://clever.com");
        assertThat(p.pageLimit()).isEqualTo(10000);
        assertThat(p.connectTimeout()).hasSeconds(5);
        assertThat(p.readTimeout()).hasSeconds(60);
        assertThat(p.retry()).isEqualTo(CleverProperties.Retry.defaults());
        assertThat(p.rateLimit()).isEqualTo(CleverProperties.RateLimit.defaults());
        assertThat(p.app().configured()).isFalse();
    }

    /** Opens a new {@link CleverItemReader} on every step execution, as a step-scoped bean would. */
    static final class FreshReader implements ItemStreamReader<CleverUser> {
        private CleverItemReader<CleverUser> delegate;

        @Override
        public void open(ExecutionContext executionContext) {
            READERS.incrementAndGet();
            CleverClient client = new CleverClient(CleverProperties.defaults(sim.baseUrl()).withPageLimit(7),
                    new SimpleMeterRegistry());
            CleverCredentials credentials = new CleverCredentials("Demo District", sim.settings().token());
            delegate = new CleverItemReader<>("students", client.users(credentials, "student"), true);
            delegate.open(executionContext);
        }

        @Override
        public CleverUser read() {
            return delegate.read();
        }

        @Override
        public void update(ExecutionContext executionContext) {
            delegate.update(executionContext);
        }

        @Override
        public void close() {
            if (delegate != null) {
                delegate.close();
            }
        }
    }

    @TestConfiguration
    static class RestartJob {
        @Bean
        Job cleverReaderRestartJob(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                                   JdbcTemplate jdbcTemplate) {
            return new JobBuilder("cleverReaderRestartJob", jobRepository)
                    .start(new StepBuilder("readStudents", jobRepository).<CleverUser, CleverUser>chunk(5)
                            .transactionManager(transactionManager)
                            .reader(new FreshReader())
                            .writer(chunk -> {
                                for (CleverUser u : chunk) {
                                    jdbcTemplate.update("INSERT INTO test_clever_read (id) VALUES (?)", u.id());
                                    if (u.id().equals(failOnId)) {
                                        throw new IllegalStateException("injected failure at " + u.id());
                                    }
                                }
                            })
                            .faultTolerant()
                            .skipPolicy((t, skipCount) -> t instanceof MalformedRecordException && skipCount < 10)
                            .build())
                    .build();
        }
    }
}
