package com.cleversync.incremental;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the nightly sync ({@code clever-sync.nightly.*}).
 *
 * @param mode               {@code local}: this process syncs every district; {@code manager}: the nightly job
 *                           sends one partition per district to worker processes; {@code worker}: this process
 *                           works partitions (the {@code worker} command)
 * @param fullResyncInterval a district gets a full sync at least this often, events or not
 * @param eventsMaxAge       an events cursor last confirmed longer ago than this is not trusted (Clever keeps
 *                           events 30 days; the margin covers clock skew and the length of a night's run)
 * @param maxEvents          more new events than this in one night: a full sync is cheaper than resolving them
 * @param applyChanges       an import the events touch applies the changed records (the night's change set)
 *                           instead of re-reading its school; off: it re-reads its school, as a full import
 * @param changeSetRetention a night's change set is kept this long, so that a failed import can be restarted on it
 * @param maxChanges         more new events than this in one night: the imports they touch re-read their schools
 *                           instead (a change set is held in memory while the imports apply it)
 * @param importConcurrency  imports of one district that run at once, once its first import of the night
 *                           completed (see {@link ParallelImports}); 1: one after the other
 * @param remote             remote partitioning (manager and worker modes)
 */
@ConfigurationProperties("clever-sync.nightly")
public record NightlyProperties(@DefaultValue("local") Mode mode,
                                @DefaultValue("7d") Duration fullResyncInterval,
                                @DefaultValue("29d") Duration eventsMaxAge,
                                @DefaultValue("200000") int maxEvents,
                                @DefaultValue("true") boolean applyChanges,
                                @DefaultValue("7d") Duration changeSetRetention,
                                @DefaultValue("20000") int maxChanges,
                                @DefaultValue("2") int importConcurrency,
                                @DefaultValue Remote remote) {

    public NightlyProperties {
        if (importConcurrency < 1) {
            throw new IllegalArgumentException("clever-sync.nightly.import-concurrency must be at least 1");
        }
    }

    public enum Mode { LOCAL, MANAGER, WORKER }

    /**
     * @param pollInterval  how often the manager reads the job repository for finished partitions
     * @param timeout       the manager gives up (job FAILED, restartable) when partitions are still running after this
     * @param deadAfter     a partition that is running but whose district lock nobody holds for this long lost its
     *                      worker (killed, node lost): the manager marks it FAILED so a restart redoes it
     * @param workerPoll    how often an idle worker looks for a partition request
     * @param restartWithin a failed or stopped run that ended less than this ago is restarted by {@code nightly}
     *                      (its completed districts are not redone); an older one is left, and a new run starts
     */
    public record Remote(@DefaultValue("5s") Duration pollInterval,
                         @DefaultValue("6h") Duration timeout,
                         @DefaultValue("60s") Duration deadAfter,
                         @DefaultValue("1s") Duration workerPoll,
                         @DefaultValue("12h") Duration restartWithin) {
    }
}
