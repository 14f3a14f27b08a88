package com.cleversync.incremental;

import org.springframework.batch.core.BatchStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs the imports of one district's night, several at once. One import mostly waits for the database while the
 * database waits for it, so several at once keep the CPUs busy. They share the account's contacts, so the first
 * runs alone until the night's read of the district's contacts is complete (its contacts step made it; the others
 * share it instead of each reading Clever's list again) or until it completes. Imports of one account that meet at
 * a contact (a teacher of two schools, a parent of students at both) wait for each other's transaction in the
 * database, and the one that comes second takes the other's contact (see {@code ContactWriter}).
 */
public final class ParallelImports {

    /** How often the imports waiting for the first one ask whether the shared read is complete. */
    static final Duration POLL = Duration.ofMillis(100);

    private static final AtomicInteger POOLS = new AtomicInteger();

    private ParallelImports() {
    }

    /** {@link #runAll(List, int, BooleanSupplier)} where the others wait for a run to complete. */
    public static boolean runAll(List<Supplier<String>> runs, int concurrency) {
        return runAll(runs, concurrency, () -> false);
    }

    /**
     * Runs every import ({@code runs}, each returning its final status, a {@link BatchStatus} name or another nightly
     * status), one at a time until one has COMPLETED or {@code shareable} says the others can share what the running
     * one made (asked every {@link #POLL} meanwhile), then at most {@code concurrency} at once. Returns whether all
     * of them COMPLETED. A run that throws fails the batch only after the others ended: the first exception is
     * thrown then.
     */
    public static boolean runAll(List<Supplier<String>> runs, int concurrency, BooleanSupplier shareable) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("import concurrency must be at least 1");
        }
        Batch batch = new Batch(runs, shareable);
        if (concurrency == 1 || runs.size() < 2) {
            batch.work(true);
            return batch.finish();
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        int helpers = Math.min(concurrency, runs.size()) - 1;
        ExecutorService executor = Executors.newFixedThreadPool(helpers, r -> {
            Thread t = new Thread(r, "imports-" + pool + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < helpers; i++) {
                futures.add(executor.submit(() -> batch.work(false)));
            }
            // This thread runs the first import, alone, and goes on as one of the `concurrency` once the others may.
            batch.work(true);
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    batch.failed(e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(other -> other.cancel(true));
                    throw new IllegalStateException("interrupted while the district's imports ran", e);
                }
            }
            return batch.finish();
        } finally {
            executor.shutdown();
        }
    }

    /** The runs of one call, taken in order by the threads that work on them. */
    private static final class Batch {
        private final List<Supplier<String>> runs;
        private final BooleanSupplier shareable;
        private final AtomicInteger next = new AtomicInteger();
        /** Open once runs may go several at once. */
        private final CountDownLatch together = new CountDownLatch(1);
        private final AtomicBoolean allCompleted = new AtomicBoolean(true);
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

        Batch(List<Supplier<String>> runs, BooleanSupplier shareable) {
            this.runs = runs;
            this.shareable = shareable;
        }

        /**
         * Takes runs until none is left. The first worker starts at once (alone: the others wait until a run completed
         * or the first one's work can be shared); the others start when that happens.
         */
        void work(boolean first) {
            if (!first && !awaitTogether()) {
                return;
            }
            for (int i = next.getAndIncrement(); i < runs.size(); i = next.getAndIncrement()) {
                boolean completed = false;
                try {
                    completed = BatchStatus.COMPLETED.name().equals(runs.get(i).get());
                } catch (RuntimeException e) {
                    failed(e);
                }
                if (completed) {
                    together.countDown();
                } else {
                    allCompleted.set(false);
                }
            }
        }

        /** Waits until runs may go together; false when none is left to take meanwhile. */
        private boolean awaitTogether() {
            try {
                while (!together.await(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    if (next.get() >= runs.size()) {
                        return false;
                    }
                    if (shareableNow()) {
                        together.countDown();
                    }
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** A failed question (the database is away, say) is a no: the runs go on one at a time. */
        private boolean shareableNow() {
            try {
                return shareable.getAsBoolean();
            } catch (RuntimeException e) {
                return false;
            }
        }

        void failed(RuntimeException e) {
            allCompleted.set(false);
            failure.compareAndSet(null, e);
        }

        boolean finish() {
            if (failure.get() != null) {
                throw failure.get();
            }
            return allCompleted.get();
        }
    }
}
