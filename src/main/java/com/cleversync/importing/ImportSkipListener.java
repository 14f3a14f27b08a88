package com.cleversync.importing;

import com.cleversync.clever.MalformedRecordException;
import com.cleversync.roster.InvalidRecordException;
import org.springframework.batch.core.listener.SkipListener;

import java.util.List;

/** Records every skipped record with its Clever id and the reason, for the run report. */
public class ImportSkipListener<T, S> implements SkipListener<T, S> {

    private final RunStats stats;
    private final long jobInstanceId;
    private final String entity;

    public ImportSkipListener(RunStats stats, long jobInstanceId, String entity) {
        this.stats = stats;
        this.jobInstanceId = jobInstanceId;
        this.entity = entity;
    }

    @Override
    public void onSkipInRead(Throwable t) {
        record(t);
    }

    @Override
    public void onSkipInProcess(T item, Throwable t) {
        record(t);
    }

    private void record(Throwable t) {
        String id;
        String reason;
        if (t instanceof MalformedRecordException m) {
            id = m.recordId();
            reason = "malformed record: " + m.reason();
        } else if (t instanceof InvalidRecordException i) {
            id = i.recordId();
            reason = i.reason();
        } else {
            id = "?";
            reason = t.getMessage();
        }
        stats.issues(jobInstanceId, List.of(new RunStats.Issue(entity, id == null ? "?" : id, "SKIPPED", reason)));
    }
}
