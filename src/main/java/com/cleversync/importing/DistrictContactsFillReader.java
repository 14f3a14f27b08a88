package com.cleversync.importing;

import com.cleversync.clever.CleverCollection;
import com.cleversync.clever.CleverItemReader;
import com.cleversync.clever.CleverUser;
import com.cleversync.clever.Item;
import com.cleversync.clever.MalformedRecordException;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import java.time.Duration;

/**
 * Reads the district's contact users from Clever to refresh the account's stored contacts, unless the job instance can use a read
 * that is already complete (its own from an earlier execution, the read of its batch of runs, or, for a nightly
 * run outside a batch, a recent shared one): then
 * it makes no request at all. Malformed records are kept (with their error) so that every import using the read
 * reports them; the read is marked complete (and contacts Clever no longer lists are deleted) when the step completes. Restartable like {@link CleverItemReader},
 * whose cursor it keeps.
 */
public class DistrictContactsFillReader implements ItemStreamReader<Item<CleverUser>>, StepExecutionListener {

    private final CleverCollection<CleverUser> contacts;
    private final DistrictContacts store;
    private final ImportContext ctx;
    private final boolean shared;
    private final String key;
    private final Duration maxAge;
    private final boolean changes;

    private DistrictContacts.Read read;
    private CleverItemReader<CleverUser> delegate;

    public DistrictContactsFillReader(CleverCollection<CleverUser> contacts, DistrictContacts store, ImportContext ctx,
                                      boolean shared, String key, Duration maxAge, boolean changes) {
        this.changes = changes;
        this.contacts = contacts;
        this.store = store;
        this.ctx = ctx;
        this.shared = shared;
        this.key = key;
        this.maxAge = maxAge;
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
        // A run on a night's changes uses the stored contacts as they are: the nightly applied the changes to them.
        read = changes ? store.current(ctx.jobInstanceId(), ctx.accountId())
                : store.choose(ctx.jobInstanceId(), ctx.accountId(), shared, key, maxAge);
        if (!read.complete()) {
            delegate = new CleverItemReader<>("contactsReader", contacts, true);
            delegate.open(executionContext);
        }
    }

    @Override
    public Item<CleverUser> read() {
        if (delegate == null) {
            return null;
        }
        try {
            CleverUser user = delegate.read();
            return user == null ? null : Item.of(user.id(), user);
        } catch (MalformedRecordException e) {
            if (e.recordId() == null) {
                throw e;
            }
            return Item.malformed(e.recordId(), e.reason());
        }
    }

    @Override
    public void update(ExecutionContext executionContext) throws ItemStreamException {
        if (delegate != null) {
            delegate.update(executionContext);
        }
    }

    @Override
    public void close() throws ItemStreamException {
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
