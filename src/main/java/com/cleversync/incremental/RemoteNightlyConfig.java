package com.cleversync.incremental;

import com.cleversync.sync.NightlySync;
import com.cleversync.sync.StaleExecutionRecovery;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.integration.config.annotation.EnableBatchIntegration;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilderFactory;
import org.springframework.batch.integration.partition.RemotePartitioningWorkerStepBuilderFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.jdbc.store.channel.MySqlChannelMessageStoreQueryProvider;
import org.springframework.integration.scheduling.PollerMetadata;
import org.springframework.integration.store.MessageGroupQueue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.support.PeriodicTrigger;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remote partitioning of the nightly sync ({@code clever-sync.nightly.mode} manager or worker; local mode
 * creates none of this). The job {@value #JOB_NAME} has one manager step; it splits the night into one partition
 * per district (Clever connection) and sends a request per partition to the queue in {@code INT_CHANNEL_MESSAGE};
 * workers poll it, run the district and record the outcome in the job repository, which the manager polls. The
 * district lock keeps every district to one worker at a time, as Clever's rate limit is per district token.
 * {@code @EnableBatchIntegration} adds the builder factories and Spring Integration; unlike
 * {@code @EnableBatchProcessing} it leaves Boot's batch auto-configuration (job repository, JobOperator) in place.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${clever-sync.nightly.mode:local}'.toLowerCase() != 'local'")
@EnableBatchIntegration
public class RemoteNightlyConfig {

    public static final String JOB_NAME = "nightlySyncJob";
    public static final String MANAGER_STEP = "nightlyManagerStep";
    public static final String WORKER_STEP = "nightlyDistrictStep";
    static final String PARTITION_PREFIX = "account-";
    static final String QUEUE = "clever-sync.nightly.partitions";

    @Bean
    JdbcChannelMessageStore nightlyMessageStore(DataSource dataSource) {
        JdbcChannelMessageStore store = new JdbcChannelMessageStore(dataSource);
        store.setChannelMessageStoreQueryProvider(new MySqlChannelMessageStoreQueryProvider());
        // Java-serialized messages: only the classes a partition request is made of may be read back.
        store.addAllowedPatterns("org.springframework.messaging.support.*", "org.springframework.messaging.MessageHeaders",
                "org.springframework.integration.message.*", "org.springframework.integration.support.*",
                "org.springframework.batch.integration.partition.StepExecutionRequest", "java.util.*", "java.lang.*");
        return store;
    }

    /** Partition requests, kept in MySQL until a worker takes one. */
    @Bean
    QueueChannel nightlyPartitionRequests(JdbcChannelMessageStore nightlyMessageStore) {
        return new QueueChannel(new MessageGroupQueue(nightlyMessageStore, QUEUE));
    }

    /** One partition per account with a Clever connection and an import of an event with sync on. */
    @Bean
    Partitioner nightlyDistrictPartitioner(JdbcClient jdbc) {
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            jdbc.sql("""
                    SELECT DISTINCT e.account_id FROM event_import ei JOIN event e ON e.id = ei.event_id
                    JOIN clever_connection cc ON cc.account_id = e.account_id
                    WHERE e.sync_enabled ORDER BY e.account_id""").query(Long.class).list().forEach(account -> {
                ExecutionContext context = new ExecutionContext();
                context.putLong(DistrictPartitionTasklet.ACCOUNT_ID, account);
                partitions.put(PARTITION_PREFIX + account, context);
            });
            return partitions;
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "clever-sync.nightly.mode", havingValue = "manager")
    static class Manager {

        @Bean
        Step nightlyManagerStep(RemotePartitioningManagerStepBuilderFactory steps, Partitioner nightlyDistrictPartitioner,
                                QueueChannel nightlyPartitionRequests, PartitionWatchdog partitionWatchdog,
                                NightlyProperties properties) {
            return steps.get(MANAGER_STEP)
                    .partitioner(WORKER_STEP, nightlyDistrictPartitioner)
                    .outputChannel(nightlyPartitionRequests)
                    .pollInterval(properties.remote().pollInterval().toMillis())
                    .timeout(properties.remote().timeout().toMillis())
                    .listener(partitionWatchdog)
                    .build();
        }

        @Bean(JOB_NAME)
        Job nightlySyncJob(JobRepository jobRepository, @Qualifier("nightlyManagerStep") Step nightlyManagerStep) {
            return new JobBuilder(JOB_NAME, jobRepository).start(nightlyManagerStep).build();
        }

        @Bean
        RemoteNightly remoteNightly(JobOperator jobOperator, JobRepository jobRepository, @Qualifier(JOB_NAME) Job nightlySyncJob,
                                    StaleExecutionRecovery recovery, JdbcClient jdbc, NightlyProperties properties) {
            return new RemoteNightly(jobOperator, jobRepository, nightlySyncJob, recovery, jdbc, properties.remote().restartWithin());
        }

        @Bean
        PartitionWatchdog partitionWatchdog(JdbcClient jdbc, JobRepository jobRepository, DistrictLock districtLock,
                                            NightlyProperties properties) {
            return new PartitionWatchdog(jdbc, jobRepository, districtLock, properties.remote());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "clever-sync.nightly.mode", havingValue = "worker")
    static class Worker {

        /** A worker takes one partition at a time; more pods, more partitions at once. */
        @Bean(PollerMetadata.DEFAULT_POLLER)
        PollerMetadata nightlyWorkerPoller(NightlyProperties properties) {
            PollerMetadata poller = new PollerMetadata();
            poller.setTrigger(new PeriodicTrigger(properties.remote().workerPoll()));
            poller.setMaxMessagesPerPoll(1);
            return poller;
        }

        @Bean
        Step nightlyDistrictStep(RemotePartitioningWorkerStepBuilderFactory steps, QueueChannel nightlyPartitionRequests,
                                 NightlySync nightlySync) {
            // No transaction around the tasklet: it launches import jobs, whose repository refuses a surrounding one.
            return steps.get(WORKER_STEP)
                    .inputChannel(nightlyPartitionRequests)
                    .tasklet(new DistrictPartitionTasklet(nightlySync), new ResourcelessTransactionManager())
                    .build();
        }
    }
}
