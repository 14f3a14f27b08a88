package com.cleversync.importing;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The reader of a read step of the import: the school's list from Clever, or, in a run on a night's changes, the
 * changed records ({@link ChangedRecordsReader}). One class for both, so that the step-scoped bean declares a
 * class (Spring Batch inspects a step-scoped reader's declared type for listener annotations, and warns at every
 * start-up when it is an interface); not final, as the step scope proxies it by subclassing.
 */
public class SchoolReader<T> implements ItemStreamReader<T> {

    private final ItemStreamReader<T> delegate;

    SchoolReader(ItemStreamReader<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public T read() throws Exception {
        return delegate.read();
    }

    @Override
    public void open(ExecutionContext executionContext) throws ItemStreamException {
        delegate.open(executionContext);
    }

    @Override
    public void update(ExecutionContext executionContext) throws ItemStreamException {
        delegate.update(executionContext);
    }

    @Override
    public void close() throws ItemStreamException {
        delegate.close();
    }
}
