package com.cleversync.sync;

import java.time.LocalDateTime;
import java.util.List;

/**
 * Status and progress of one job execution: per step the items read, written and skipped; the step running
 * now; elapsed seconds; and, while it runs, an estimate of the seconds that remain, based on the import's last
 * completed run (null when there is none).
 */
public record ExecutionStatus(long executionId, long jobInstanceId, String jobName, Long eventImportId, String status,
                              String exitCode, String exitMessage, String currentStep, List<StepProgress> steps,
                              LocalDateTime startTime, LocalDateTime endTime, long elapsedSeconds,
                              Long estimatedRemainingSeconds, boolean restartable) {

    public record StepProgress(String step, String status, long read, long written, long skipped, long commits,
                               long rollbacks, long elapsedSeconds) {
    }
}
