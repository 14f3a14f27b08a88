package com.cleversync.importing;

import com.cleversync.clever.CleverCollection;
import com.cleversync.clever.CleverItemReader;
import com.cleversync.clever.CleverUser;
import com.cleversync.clever.Item;
import com.cleversync.clever.ItemsAhead;
import com.cleversync.clever.MalformedRecordException;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import java.time.Duration;
import java.util.List;

/**
 * Reads the district's contact users from Clever to refresh the account's stored contacts, unless the job instance can use a read
 * that is already complete (its own from an earlier execution, the read of its batch of runs, or, for a nightly
 * run outside a batch, a recent shared one): then
 * it makes no request at all. Malformed records are kept (with their error) so that every import using the read
 * reports them; the read is marked complete (and contacts Clever no longer lists are deleted) when the step completes.
 * The records are mapped and prepared for the store ({@link DistrictContacts#prepare}) ahead, on a thread of their own,
 * in batches of {@code chunkSize}, up to a whole commit interval while the step writes the one before (this read runs
 * before any other import of the night can start).
 * Restartable like {@link CleverItemReader}, whose cursor it keeps: the id of the last record handed to the step.
 */
public class DistrictContactsFillReader implements ItemStreamReader<List<DistrictContacts.Prepared>>, StepExecutionListener {

    private final CleverCollection<CleverUser> contacts;
    private final DistrictContacts store;
    private final ImportContext ctx;
    private final boolean shared;
    private final String key;
    private final Duration maxAge;
    private final boolean changes;
    private final int chunkSize;
    private final int batchesReady;

    private DistrictContacts.Read read;
    private CleverItemReader<CleverUser> delegate;
    private ItemsAhead<DistrictContacts.Prepared> ahead;
    private String lastHandedOut;

    public DistrictContactsFillReader(CleverCollection<CleverUser> contacts, DistrictContacts store, ImportContext ctx,
                                      boolean shared, String key, Duration maxAge, boolean changes, int chunkSize,
                                      int commitInterval) {
        this.changes = changes;
        this.chunkSize = chunkSize;
        // A whole commit interval prepared while the step writes the one before (the step takes it all, then writes).
        this.batchesReady = Math.max(1, batchesPerTransaction(chunkSize, commitInterval) - 1);
        this.contacts = contacts;
        this.store = store;
        this.ctx = ctx;
        this.shared = shared;
        this.key = key;
        this.maxAge = maxAge;
    }

    /** How many of this reader's items (batches of {@code chunkSize} contacts) make {@code commitInterval} contacts. */
    static int batchesPerTransaction(int chunkSize, int commitInterval) {
        return (commitInterval + chunkSize - 1) / chunkSize;
    }

    /** The read this job instance uses; known once the reader is open. */
    public DistrictContacts.Read districtRead() {
        if (read == null) {
            throw new IllegalStateException("the contacts reader is not open");
        }
        return read;
    }

    @Override
    public void open(ExecutionContext executionContext) throws ItemStreamException {
        close();
        // A run on a night's changes uses the stored contacts as they are: the nightly applied the changes to them.
        read = changes ? store.current(ctx.jobInstanceId(), ctx.accountId())
                : store.choose(ctx.jobInstanceId(), ctx.accountId(), shared, key, maxAge);
        if (!read.complete()) {
            CleverItemReader<CleverUser> reader = new CleverItemReader<>("contactsReader", contacts, true);
            reader.open(executionContext);
            lastHandedOut = reader.lastHandedOut();
            long account = read.accountId();
            delegate = reader;
            // A malformed record without an id is skipped by the step, which then reads on.
            ahead = new ItemsAhead<>("contacts-ahead-" + ctx.jobInstanceId(), chunkSize, batchesReady, () -> next(reader, account),
                    e -> e instanceof MalformedRecordException);
        }
    }

    /** The next record of Clever's list, prepared for the store (on the read-ahead thread). */
    private static DistrictContacts.Prepared next(CleverItemReader<CleverUser> reader, long account) {
        Item<CleverUser> item;
        try {
            CleverUser user = reader.read();
            if (user == null) {
                return null;
            }
            item = Item.of(user.id(), user);
        } catch (MalformedRecordException e) {
            if (e.recordId() == null) {
                throw e;
            }
            item = Item.malformed(e.recordId(), e.reason());
        }
        return DistrictContacts.prepare(account, item);
    }

    /**
     * The next batch of contacts, prepared: up to {@code chunkSize} of them, one item for the step, so that Spring
     * Batch's work per item (its observation, retry and listeners around each read and each pass through) is done once
     * for the batch. A batch ends early before a malformed record without an id, which the call after throws for the
     * step to skip, as before.
     */
    @Override
    public List<DistrictContacts.Prepared> read() {
        if (ahead == null) {
            return null;
        }
        List<DistrictContacts.Prepared> batch = ahead.nextBatch(chunkSize);
        if (batch.isEmpty()) {
            return null;
        }
        lastHandedOut = batch.getLast().id();
        return batch;
    }

    /** Saves the last record handed to the step (the delegate has read further ahead) under the delegate's key. */
    @Override
    public void update(ExecutionContext executionContext) throws ItemStreamException {
        if (delegate != null && lastHandedOut != null) {
            executionContext.putString(delegate.stateKey(), lastHandedOut);
        }
    }

    @Override
    public void close() throws ItemStreamException {
        if (ahead != null) {
            ahead.close();
            ahead = null;
        }
        if (delegate != null) {
            delegate.close();
            delegate = null;
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() == BatchStatus.COMPLETED && read != null && !read.complete()) {
            store.complete(read);
        }
        return stepExecution.getExitStatus();
    }
}
