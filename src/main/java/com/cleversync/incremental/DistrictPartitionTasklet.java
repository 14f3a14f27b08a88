package com.cleversync.incremental;

import com.cleversync.sync.NightlyReport;
import com.cleversync.sync.NightlySync;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * A worker's partition: one district's nightly ({@link NightlySync#runDistrict}), incremental or full. The
 * outcome and one line per import go into the partition's execution context for the manager's report. The
 * partition fails unless every import completed or was left unchanged, so a restart of the job redoes it (and
 * only it).
 */
final class DistrictPartitionTasklet implements Tasklet {

    static final String ACCOUNT_ID = "accountId";
    static final String OUTCOME = "nightly.outcome";
    static final String ROWS = "nightly.rows";
    private static final Set<String> DONE = Set.of(BatchStatus.COMPLETED.name(), DistrictNightly.UNCHANGED);

    private final NightlySync nightly;

    DistrictPartitionTasklet(NightlySync nightly) {
        this.nightly = nightly;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        StepExecution step = contribution.getStepExecution();
        ExecutionContext context = step.getExecutionContext();
        long accountId = context.getLong(ACCOUNT_ID);
        JobExecution job = step.getJobExecution();
        if (job != null && !job.getStatus().isRunning()) {
            // A request left in the queue by a run the manager has given up on.
            throw new IllegalStateException("nightly run " + job.getId() + " is " + job.getStatus() + "; account " + accountId
                    + " is left for its restart");
        }
        List<NightlyReport.Row> rows = Collections.synchronizedList(new ArrayList<>());
        DistrictNightly.Outcome outcome = outsideTheStepTransaction(() -> nightly.runDistrict(accountId, rows), accountId);
        context.putString(OUTCOME, outcome.describe());
        context.putString(ROWS, encode(rows));
        List<NightlyReport.Row> notDone = rows.stream().filter(r -> !DONE.contains(r.status())).toList();
        if (outcome.mode() == DistrictNightly.Mode.NOT_RUN || !notDone.isEmpty()) {
            throw new IllegalStateException(outcome.describe() + "; not completed: " + notDone.stream()
                    .map(r -> "import " + r.eventImportId() + " " + r.status()).toList());
        }
        return RepeatStatus.FINISHED;
    }

    /**
     * A tasklet runs inside the step's transaction, and the job repository refuses to launch the import jobs from
     * within one (even a resourceless one): the district runs on a thread of its own while this one waits.
     */
    private static <T> T outsideTheStepTransaction(Supplier<T> work, long accountId) {
        FutureTask<T> task = new FutureTask<>(work::get);
        Thread thread = new Thread(task, "nightly-district-" + accountId);
        thread.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while account " + accountId + " was syncing", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    static String encode(List<NightlyReport.Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (NightlyReport.Row r : rows) {
            sb.append(String.join("\t", Long.toString(r.eventImportId()), Long.toString(r.eventId()), Long.toString(r.accountId()),
                    r.status(), r.executionId() == null ? "" : r.executionId().toString(), Long.toString(r.duration().toMillis()),
                    Long.toString(r.read()), Long.toString(r.created()), Long.toString(r.updated()), Long.toString(r.removed()),
                    Long.toString(r.skipped()), r.message() == null ? "" : r.message().replaceAll("[\\t\\r\\n]+", " "))).append('\n');
        }
        return sb.toString();
    }

    static List<NightlyReport.Row> decode(String text) {
        List<NightlyReport.Row> rows = new ArrayList<>();
        if (text == null) {
            return rows;
        }
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            rows.add(new NightlyReport.Row(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), f[3],
                    f[4].isEmpty() ? null : Long.valueOf(f[4]), Duration.ofMillis(Long.parseLong(f[5])), Long.parseLong(f[6]),
                    Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]),
                    f[11].isEmpty() ? null : f[11]));
        }
        return rows;
    }
}
