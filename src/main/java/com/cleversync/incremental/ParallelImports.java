package com.cleversync.incremental;

import org.springframework.batch.core.BatchStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs the imports of one district's night, several at once. One import mostly waits for the database while the
 * database waits for it, so two at once keep both busy. They share the account's contacts, so when the imports read
 * the district's contacts the first runs alone until one completes: it leaves the night's read of the district's
 * contacts complete, and the others share it instead of each reading Clever's list again. Imports on a night's change
 * set read no contacts from Clever (they use the stored ones, which the nightly brought up to date first): they all
 * start at once. Imports of one account that meet at a contact (a teacher of two schools, a parent of students at
 * both) wait for each other's transaction in the database, and the one that comes second takes the other's contact
 * (see {@code ContactWriter}).
 */
public final class ParallelImports {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private ParallelImports() {
    }

    /**
     * Runs every import ({@code runs}, each returning its final status, a {@link BatchStatus} name or another nightly
     * status), at most {@code concurrency} at once once one has COMPLETED; returns whether all of them COMPLETED. A
     * run that throws fails the batch only after the others ended: the first exception is thrown then.
     */
    public static boolean runAll(List<Supplier<String>> runs, int concurrency) {
        return runAll(runs, concurrency, true);
    }

    /**
     * {@link #runAll(List, int)}, the first run alone until one completes only if {@code firstAlone} (the runs read
     * the district's contacts; put one that does first).
     */
    public static boolean runAll(List<Supplier<String>> runs, int concurrency, boolean firstAlone) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("import concurrency must be at least 1");
        }
        boolean allCompleted = true;
        boolean oneCompleted = false;
        int next = 0;
        // On this thread, one at a time: every import at concurrency 1, else (first alone) until one completes.
        while (next < runs.size() && (concurrency == 1 || firstAlone && !oneCompleted)) {
            boolean completed = BatchStatus.COMPLETED.name().equals(runs.get(next++).get());
            allCompleted &= completed;
            oneCompleted |= completed;
        }
        if (next == runs.size()) {
            return allCompleted;
        }
        List<Supplier<String>> rest = runs.subList(next, runs.size());
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(concurrency, rest.size()), r -> {
            Thread t = new Thread(r, "imports-" + pool + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> futures = new ArrayList<>();
            rest.forEach(run -> futures.add(executor.submit(run::get)));
            RuntimeException failure = null;
            for (Future<String> f : futures) {
                try {
                    allCompleted &= BatchStatus.COMPLETED.name().equals(f.get());
                } catch (ExecutionException e) {
                    allCompleted = false;
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(other -> other.cancel(true));
                    throw new IllegalStateException("interrupted while the district's imports ran", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return allCompleted;
        } finally {
            executor.shutdown();
        }
    }
}
