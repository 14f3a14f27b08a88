package com.cleversync.clever;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * A restartable Spring Batch reader over a {@link CleverCollection}.
 *
 * <p>Its only state is the id of the last record handed out (returned, or thrown as malformed), saved as
 * {@code <name>.starting_after}: Clever pages are keyset pages in ascending id order, so reopening with that id
 * continues with the next record, and a chunk that rolled back is read again because the step saves the state
 * only when a chunk commits. With {@code prefetch} the next page is fetched on one daemon thread while the
 * current one is processed; the prefetched page never moves the saved cursor.
 *
 * <p>Memory: a page is held as its raw body ({@link LazyPage}) and each record is mapped when it is handed out, so
 * mapped records live for one chunk and die young. The reader keeps two {@link PageBuffer}s, the page being read
 * and the page fetched ahead, and refills them page after page: however many pages a collection has (a district's
 * contacts: 15 pages of 10000 at 150k contacts), its pages cost the same two arrays, allocated once. Not
 * thread-safe (one step thread), like other stateful Spring Batch readers.
 */
public class CleverItemReader<T> implements ItemStreamReader<T> {

    private final String name;
    private final CleverCollection<T> collection;
    private final boolean prefetch;

    private PageAhead<LazyPage<T>> ahead;
    private LazyPage<T> current;
    private PageBuffer spare;
    private String nextCursor;
    private boolean morePages;
    private boolean opened;
    private String lastHandedOut;
    private long pagesFetched;
    private int buffersAllocated;

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

    /**
     * The key under which {@link #update} saves the id of the last record handed out: a reader that hands this
     * reader's records on later than it reads them saves its own last id there instead.
     */
    public String stateKey() {
        return key();
    }

    @Override
    public void open(ExecutionContext executionContext) throws ItemStreamException {
        close();
        lastHandedOut = executionContext.containsKey(key()) ? executionContext.getString(key()) : null;
        nextCursor = lastHandedOut;
        morePages = true;
        current = null;
        // New buffers: a fetch of the reader's previous opening may still be filling its old one.
        spare = null;
        pagesFetched = 0;
        buffersAllocated = 0;
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
        while (current == null || !current.hasNext()) {
            if (current != null) {
                spare = current.buffer();
                current = null;
            }
            if (!morePages) {
                return null;
            }
            LazyPage<T> page = nextPage();
            pagesFetched++;
            if (page.isEmpty()) {
                spare = page.buffer();
                morePages = false;
                return null;
            }
            current = page;
            nextCursor = page.nextStartingAfter();
            morePages = nextCursor != null;
            if (morePages && prefetch) {
                fetchAhead();
            }
        }
        Item<T> item = current.next();
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
        PageBuffer into = takeSpare();
        ahead.start(() -> collection.fetch(cursor, into));
    }

    private LazyPage<T> nextPage() {
        return ahead != null && ahead.pending() ? ahead.take() : collection.fetch(nextCursor, takeSpare());
    }

    private PageBuffer takeSpare() {
        PageBuffer buffer = spare;
        spare = null;
        if (buffer == null) {
            buffer = new PageBuffer();
            buffersAllocated++;
        }
        return buffer;
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
        current = null;
        spare = null;
        opened = false;
    }

    /** Pages taken so far since open (for tests and logs). */
    public long pagesFetched() {
        return pagesFetched;
    }

    /** Page buffers allocated since open: two with prefetch, one without, however many pages (for tests). */
    public int buffersAllocated() {
        return buffersAllocated;
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
