package com.cleversync.sync;

import com.cleversync.system.ExitCodes;
import org.springframework.batch.core.BatchStatus;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints executions for the commands, and maps a final status to an exit code. */
final class ExecutionPrinter {

    private ExecutionPrinter() {
    }

    static void print(PrintWriter out, ExecutionStatus s) {
        out.printf(Locale.ROOT, "execution %d (%s, import %s): %s, elapsed %ds%s%s%n", s.executionId(), s.jobName(),
                s.eventImportId() == null ? "-" : s.eventImportId(), s.status(), s.elapsedSeconds(),
                s.currentStep() == null ? "" : ", in " + s.currentStep(),
                s.estimatedRemainingSeconds() == null ? "" : ", about " + s.estimatedRemainingSeconds() + "s left");
        if (s.exitMessage() != null) {
            out.println("  " + s.exitMessage());
        }
        if (!s.steps().isEmpty()) {
            out.printf(Locale.ROOT, "  %-24s %-10s %9s %9s %8s %8s%n", "STEP", "STATUS", "READ", "WRITTEN", "SKIPPED", "SECONDS");
            for (ExecutionStatus.StepProgress p : s.steps()) {
                out.printf(Locale.ROOT, "  %-24s %-10s %9d %9d %8d %8d%n", p.step(), p.status(), p.read(), p.written(),
                        p.skipped(), p.elapsedSeconds());
            }
        }
    }

    static void list(PrintWriter out, String title, List<ExecutionStatus> executions) {
        out.println(title + ": " + executions.size());
        for (ExecutionStatus s : executions) {
            out.printf(Locale.ROOT, "  %-10d %-18s import %-8s %-10s %s%n", s.executionId(), s.jobName(),
                    s.eventImportId() == null ? "-" : s.eventImportId(), s.status(), s.exitMessage() == null ? "" : s.exitMessage());
        }
    }

    static int exitCode(BatchStatus status) {
        return switch (status) {
            case COMPLETED -> ExitCodes.OK;
            case STOPPED, STOPPING -> ExitCodes.STOPPED;
            default -> ExitCodes.FAILED;
        };
    }
}
