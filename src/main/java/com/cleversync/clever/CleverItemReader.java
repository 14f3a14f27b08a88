package com.cleversync.clever;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import java.util.ArrayDeque;

/**
 * A restartable Spring Batch reader over a {@link CleverCollection}.
 *
 * <p>Its only state is the id of the last record handed out (returned, or thrown as malformed), saved as
 * {@code <name>.starting_after}: Clever pages are keyset pages in ascending id order, so reopening with that id
 * continues with the next record, and a chunk that rolled back is read again because the step saves the state
 * only when a chunk commits. With {@code prefetch} the next page is fetched on one daemon thread while the
 * current one is processed; the prefetched page never moves the saved cursor. A record handed out leaves the
 * reader's buffer at once, so a page of 10000 records shrinks as it is read instead of staying whole until its last
 * record: less of it lives long enough to reach the old generation. Not thread-safe (one step thread), like other
 * stateful Spring Batch readers.
 */
public class CleverItemReader<T> implements ItemStreamReader<T> {

    private final String name;
    private final CleverCollection<T> collection;
    private final boolean prefetch;

    private PageAhead<CleverPage<T>> ahead;
    private final ArrayDeque<Item<T>> buffer = new ArrayDeque<>();
    private String nextCursor;
    private boolean morePages;
    private boolean opened;
    private String lastHandedOut;
    private long pagesFetched;

    public CleverItemReader(String name, CleverCollection<T> collection, boolean prefetch) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a reader needs a name: its restart state is keyed on it");
        }
        this.name = name;
        this.collection = collection;
        this.prefetch = prefetch;
    }

    public String name() {
        return name;
    }

    private String key() {
        return name + ".starting_after";
    }

    @Override
    public void open(ExecutionContext executionContext) throws ItemStreamException {
        close();
        lastHandedOut = executionContext.containsKey(key()) ? executionContext.getString(key()) : null;
        nextCursor = lastHandedOut;
        morePages = true;
        buffer.clear();
        pagesFetched = 0;
        opened = true;
        if (prefetch) {
            ahead = new PageAhead<>("clever-prefetch-" + name, collection.describe());
            fetchAhead();
        }
    }

    @Override
    public T read() {
        if (!opened) {
            open(new ExecutionContext());
        }
        while (buffer.isEmpty()) {
            if (!morePages) {
                return null;
            }
            CleverPage<T> page = nextPage();
            pagesFetched++;
            if (page.items().isEmpty()) {
                morePages = false;
                return null;
            }
            buffer.addAll(page.items());
            nextCursor = page.nextStartingAfter();
            morePages = nextCursor != null;
            if (morePages && prefetch) {
                fetchAhead();
            }
        }
        Item<T> item = buffer.poll();
        if (item.id() != null) {
            lastHandedOut = item.id();
        }
        if (item.malformed()) {
            throw new MalformedRecordException(collection.describe(), item.id(), item.error());
        }
        return item.value();
    }

    private void fetchAhead() {
        String cursor = nextCursor;
        ahead.start(() -> collection.page(cursor));
    }

    private CleverPage<T> nextPage() {
        return ahead != null && ahead.pending() ? ahead.take() : collection.page(nextCursor);
    }

    @Override
    public void update(ExecutionContext executionContext) throws ItemStreamException {
        if (lastHandedOut != null) {
            executionContext.putString(key(), lastHandedOut);
        }
    }

    @Override
    public void close() throws ItemStreamException {
        if (ahead != null) {
            ahead.close();
            ahead = null;
        }
        buffer.clear();
        opened = false;
    }

    /** Pages taken so far since open (for tests and logs). */
    public long pagesFetched() {
        return pagesFetched;
    }

    /** The id of the last record handed out, the value {@link #update} saves. */
    public String lastHandedOut() {
        return lastHandedOut;
    }

    @Override
    public String toString() {
        return "CleverItemReader[" + name + ", " + collection.describe() + "]";
    }
}
