package com.cleversync.clever;

import org.springframework.batch.infrastructure.item.ItemStreamException;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One page read ahead on a daemon thread of its own while the reader's step processes the current one. The
 * readers keep their cursor themselves: a page fetched ahead moves nothing until it is taken. Not thread-safe
 * (used by one step thread).
 */
public final class PageAhead<P> implements AutoCloseable {

    private final String threadName;
    private final String what;
    private ExecutorService executor;
    private Future<P> ahead;

    /** {@code what} names the collection in error messages. */
    public PageAhead(String threadName, String what) {
        this.threadName = threadName;
        this.what = what;
    }

    /** Starts fetching the next page (a page already pending is dropped). */
    public void start(Callable<P> fetch) {
        cancel();
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(runnable -> {
                Thread t = new Thread(runnable, threadName);
                t.setDaemon(true);
                return t;
            });
        }
        ahead = executor.submit(fetch);
    }

    public boolean pending() {
        return ahead != null;
    }

    /** Waits for the page started last and hands it over; its failure is thrown as the fetch threw it. */
    public P take() {
        Future<P> future = ahead;
        ahead = null;
        if (future == null) {
            throw new IllegalStateException("no page of " + what + " is being read ahead");
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ItemStreamException("interrupted while reading " + what, e);
        } catch (CancellationException e) {
            throw new ItemStreamException("reading " + what + " was cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new ItemStreamException("reading " + what + " failed", cause);
        }
    }

    /** Drops a pending page (a reader reopened or closed). */
    public void cancel() {
        if (ahead != null) {
            ahead.cancel(true);
            ahead = null;
        }
    }

    /** Drops a pending page and stops the thread. */
    @Override
    public void close() {
        cancel();
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
