package com.cleversync.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/**
 * On SIGTERM (context close), marks every job running in this process STOPPING, so it stops at its next chunk boundary and
 * waits, up to {@code clever-sync.ops.shutdown-timeout}, until they are STOPPED (restartable). It is a
 * lifecycle bean of the highest phase, so it runs before the import executor and the web server stop and long
 * before the connection pool closes (pools close when beans are destroyed, after every lifecycle stop).
 */
@Component("gracefulJobShutdown")
public class GracefulJobShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GracefulJobShutdown.class);

    private final LocalExecutions executions;
    private final JobRepository jobRepository;
    private final Duration timeout;
    private volatile boolean running;

    public GracefulJobShutdown(LocalExecutions executions, JobRepository jobRepository,
                               @Value("${clever-sync.ops.shutdown-timeout:120s}") Duration timeout) {
        this.executions = executions;
        this.jobRepository = jobRepository;
        this.timeout = timeout;
    }

    @Override
    public void start() {
        executions.markAccepting();
        running = true;
    }

    @Override
    public void stop() {
        executions.markShuttingDown();
        List<JobExecution> live = executions.running();
        if (!live.isEmpty()) {
            log.info("shutting down: stopping {} running job execution(s) {}", live.size(),
                    live.stream().map(JobExecution::getId).toList());
            for (JobExecution execution : live) {
                try {
                    ImportExecutions.requestStop(jobRepository, execution.getId());
                } catch (JobExecutionNotRunningException e) {
                    // finished meanwhile
                } catch (RuntimeException e) {
                    log.warn("execution {}: stop request failed: {}", execution.getId(), e.getMessage());
                }
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!executions.running().isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            for (JobExecution execution : live) {
                JobExecution now = jobRepository.getJobExecution(execution.getId());
                log.info("execution {} is {}", execution.getId(), now == null ? "gone" : now.getStatus());
            }
            if (!executions.running().isEmpty()) {
                log.warn("executions {} did not stop within {}; they will be recovered as stale after exit",
                        executions.running().stream().map(JobExecution::getId).toList(), timeout);
            }
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first: before the import executor (which waits for its tasks) and the web server. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
