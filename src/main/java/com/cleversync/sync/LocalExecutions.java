package com.cleversync.sync;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job executions running in this process. Every job of the context gets this listener, so graceful
 * shutdown stops exactly what this process runs, and stale recovery never touches it.
 */
@Component("localExecutions")
public class LocalExecutions implements BeanPostProcessor, JobExecutionListener {

    private final Map<Long, JobExecution> running = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AbstractJob job) {
            job.registerJobExecutionListener(this);
        }
        return bean;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        running.put(execution.getId(), execution);
    }

    @Override
    public void afterJob(JobExecution execution) {
        running.remove(execution.getId());
    }

    /** The live execution objects of the jobs running here. */
    public List<JobExecution> running() {
        return List.copyOf(running.values());
    }

    public boolean isRunningHere(long executionId) {
        return running.containsKey(executionId);
    }

    /** Set once the context is shutting down: no new run should start. */
    public boolean shuttingDown() {
        return shuttingDown;
    }

    void markShuttingDown() {
        shuttingDown = true;
    }

    /** A stopped context can be started again (tests pause cached contexts): runs may start again. */
    void markAccepting() {
        shuttingDown = false;
    }
}
