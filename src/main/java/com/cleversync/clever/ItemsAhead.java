package com.cleversync.clever;

import org.springframework.batch.infrastructure.item.ItemStreamException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Items taken from a source a batch ahead, on a daemon thread of its own, while the step works on the batch before:
 * the step's thread gets them in the source's order, and what the source threw in its place. At most
 * {@code batchesReady} batches (one unless given) wait ready, and one more is being filled. The source is called on
 * that thread only; {@link #next}, {@link #nextBatch} and {@link #close} are for one consumer thread.
 */
public final class ItemsAhead<T> implements AutoCloseable {

    private record Entry<T>(T item, RuntimeException failure, boolean last) {
    }

    private static final Duration JOIN_WAIT = Duration.ofSeconds(90);

    private final BlockingQueue<List<Entry<T>>> ready;
    private final Thread thread;
    private volatile boolean closed;
    private ListIterator<Entry<T>> current = Collections.emptyListIterator();
    private Entry<T> last;

    /**
     * Starts taking items from {@code source} (null: no more). After a failure the source is asked again only if
     * {@code goesOn} accepts it (a record the step skips); otherwise the failure ends the items.
     */
    public ItemsAhead(String threadName, int batchSize, Supplier<T> source, Predicate<RuntimeException> goesOn) {
        this(threadName, batchSize, 1, source, goesOn);
    }

    /**
     * As {@link #ItemsAhead(String, int, Supplier, Predicate)}, with up to {@code batchesReady} batches waiting ready
     * (a consumer that takes several batches at a time, then works a while, finds them all there).
     */
    public ItemsAhead(String threadName, int batchSize, int batchesReady, Supplier<T> source, Predicate<RuntimeException> goesOn) {
        if (batchSize < 1 || batchesReady < 1) {
            throw new IllegalArgumentException("batch size and batches ready must be at least 1");
        }
        ready = new ArrayBlockingQueue<>(batchesReady);
        thread = Thread.ofPlatform().daemon().name(threadName).unstarted(() -> fill(source, batchSize, goesOn));
        thread.start();
    }

    private void fill(Supplier<T> source, int batchSize, Predicate<RuntimeException> goesOn) {
        try {
            while (!closed) {
                List<Entry<T>> batch = new ArrayList<>(batchSize);
                Entry<T> end = null;
                while (end == null && batch.size() < batchSize) {
                    try {
                        T item = source.get();
                        if (item == null) {
                            end = new Entry<>(null, null, true);
                        } else {
                            batch.add(new Entry<>(item, null, false));
                        }
                    } catch (RuntimeException e) {
                        if (goesOn.test(e)) {
                            batch.add(new Entry<>(null, e, false));
                        } else {
                            end = new Entry<>(null, e, true);
                        }
                    } catch (Error e) {
                        end = new Entry<>(null, new ItemStreamException("reading ahead failed", e), true);
                    }
                }
                if (end != null) {
                    batch.add(end);
                }
                ready.put(batch);
                if (end != null) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed meanwhile
        }
    }

    /** The next item, null when there is none; throws, in its place, what the source threw. */
    public T next() {
        if (last != null) {
            return endOrThrow();
        }
        while (!current.hasNext()) {
            current = take().listIterator();
        }
        Entry<T> entry = current.next();
        if (entry.last()) {
            last = entry;
            return endOrThrow();
        }
        if (entry.failure() != null) {
            throw entry.failure();
        }
        return entry.item();
    }

    /**
     * The next items, at most {@code max} of them: those up to the source's end or its next failure, which the call
     * after throws (as {@link #next} would). Empty when there are none; throws when the very next is a failure.
     */
    public List<T> nextBatch(int max) {
        if (last != null) {
            endOrThrow();
            return List.of();
        }
        List<T> items = new ArrayList<>(max);
        while (items.size() < max) {
            if (!current.hasNext()) {
                if (!items.isEmpty() && ready.isEmpty()) {
                    break; // hand out what is here rather than wait for the next batch
                }
                current = take().listIterator();
                continue;
            }
            Entry<T> entry = current.next();
            if (entry.last() || entry.failure() != null) {
                if (items.isEmpty()) {
                    if (entry.last()) {
                        last = entry;
                        endOrThrow();
                        return items;
                    }
                    throw entry.failure();
                }
                current.previous(); // the call after meets it
                break;
            }
            items.add(entry.item());
        }
        return items;
    }

    private T endOrThrow() {
        if (last.failure() != null) {
            throw last.failure();
        }
        return null;
    }

    private List<Entry<T>> take() {
        if (closed) {
            throw new IllegalStateException("items read ahead after close");
        }
        try {
            return ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ItemStreamException("interrupted while waiting for the items read ahead", e);
        }
    }

    /** Stops the thread and waits for it: the source is not called after this returns. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            // The source waits interruptibly (for a page, or a response): this is quick.
            thread.join(JOIN_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ready.clear();
        current = Collections.emptyListIterator();
    }
}
