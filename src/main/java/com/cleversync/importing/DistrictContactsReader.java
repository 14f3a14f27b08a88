package com.cleversync.importing;

import com.cleversync.clever.CleverUser;
import com.cleversync.clever.Item;
import com.cleversync.clever.MalformedRecordException;
import com.cleversync.clever.PageAhead;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * The district's stored contact users (as refreshed by the job instance's district read) that are related to the
 * import's students, and the malformed ones, in Clever's order: their ids are looked up once when the reader opens
 * (a school's worth), the contacts a page at a time, the next page read on a prefetch thread while the current one
 * is written (the stored contacts are not written by this step). Its state is the id of the last record handed out, under
 * {@code <name>.starting_after}, so a restart resumes after the last committed chunk.
 */
public class DistrictContactsReader implements ItemStreamReader<CleverUser> {

    static final String COLLECTION = "users?role=contact";

    private final String name;
    private final DistrictContacts store;
    private final long jobInstanceId;
    private final int pageSize;
    private final Function<DistrictContacts.Read, List<String>> idsOf;

    private DistrictContacts.Read read;
    private List<String> ids = List.of();
    private int next;
    private Iterator<Item<CleverUser>> buffer = Collections.emptyIterator();
    private PageAhead<List<Item<CleverUser>>> ahead;
    private String lastHandedOut;

    /** {@code idsOf}: the ids of the contacts to read, in id order, from the job instance's read. */
    public DistrictContactsReader(String name, DistrictContacts store, long jobInstanceId, int pageSize,
                                  Function<DistrictContacts.Read, List<String>> idsOf) {
        this.name = name;
        this.idsOf = idsOf;
        this.store = store;
        this.jobInstanceId = jobInstanceId;
        this.pageSize = pageSize;
    }

    private String key() {
        return name + ".starting_after";
    }

    @Override
    public void open(ExecutionContext executionContext) throws ItemStreamException {
        read = store.readOf(jobInstanceId).orElseThrow(() ->
                new ItemStreamException("job instance " + jobInstanceId + " has no district read of contacts"));
        lastHandedOut = executionContext.containsKey(key()) ? executionContext.getString(key()) : null;
        ids = idsOf.apply(read);
        next = ChangedRecordsReader.indexAfter(ids, lastHandedOut);
        buffer = Collections.emptyIterator();
        if (ahead == null) {
            ahead = new PageAhead<>("contacts-prefetch-" + name, "the district's stored contacts");
        }
        ahead.cancel();
    }

    @Override
    public CleverUser read() {
        while (!buffer.hasNext()) {
            if (!ahead.pending() && next >= ids.size()) {
                return null;
            }
            buffer = nextPage().iterator();
        }
        Item<CleverUser> item = buffer.next();
        lastHandedOut = item.id();
        if (item.malformed()) {
            throw new MalformedRecordException(COLLECTION, item.id(), item.error());
        }
        return item.value();
    }

    /** The next page of contacts; the one after it is then read on the prefetch thread while this one is written. */
    private List<Item<CleverUser>> nextPage() {
        List<Item<CleverUser>> page = ahead.pending() ? ahead.take() : store.contacts(read, takePage());
        if (next < ids.size()) {
            DistrictContacts.Read of = read;
            List<String> following = takePage();
            ahead.start(() -> store.contacts(of, following));
        }
        return page;
    }

    private List<String> takePage() {
        List<String> page = ids.subList(next, Math.min(ids.size(), next + pageSize));
        next += page.size();
        return page;
    }

    @Override
    public void update(ExecutionContext executionContext) throws ItemStreamException {
        if (lastHandedOut != null) {
            executionContext.putString(key(), lastHandedOut);
        }
    }

    @Override
    public void close() throws ItemStreamException {
        buffer = Collections.emptyIterator();
        if (ahead != null) {
            ahead.close();
            ahead = null;
        }
    }
}
