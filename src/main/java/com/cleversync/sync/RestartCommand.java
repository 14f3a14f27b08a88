package com.cleversync.sync;

import com.cleversync.importing.ImportAlreadyRunningException;
import com.cleversync.system.BadInputException;
import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** Restarts a failed or stopped execution (or all of them); it resumes where it stopped. */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = {"Restart a failed or stopped job execution, or every one of them (--all-failed); the run",
                "resumes after its last committed chunk. Exit 0 completed, 1 failed, 3 stopped."})
public class RestartCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXECUTION_ID", description = "The execution to restart.")
    Long executionId;

    @Option(names = "--all-failed", description = "Restart every failed or stopped execution, one after the other.")
    boolean allFailed;

    @Override
    public Integer call() {
        if ((executionId == null) == !allFailed) {
            throw new BadInputException("give an EXECUTION_ID or --all-failed");
        }
        if (executionId != null && executionId <= 0) {
            throw new BadInputException("execution id must be a positive number, got " + executionId);
        }
        ImportExecutions executions = cli.app(false).bean(ImportExecutions.class);
        PrintWriter out = spec.commandLine().getOut();
        if (executionId != null) {
            JobExecution run = executions.restart(executionId, "manual");
            ExecutionPrinter.print(out, executions.status(run.getId()));
            return ExecutionPrinter.exitCode(run.getStatus());
        }
        List<ExecutionStatus> todo = executions.restartable();
        out.println("restarting " + todo.size() + " execution(s)");
        int exit = ExitCodes.OK;
        for (ExecutionStatus s : todo) {
            try {
                JobExecution run = executions.restart(s.executionId(), "manual");
                out.printf("  %d -> %d: %s%n", s.executionId(), run.getId(), run.getStatus());
                exit = worse(exit, ExecutionPrinter.exitCode(run.getStatus()));
            } catch (ImportAlreadyRunningException | BadInputException e) {
                out.printf("  %d: skipped, %s%n", s.executionId(), e.getMessage());
            } catch (RuntimeException e) {
                out.printf("  %d: FAILED, %s%n", s.executionId(), e.getMessage());
                exit = ExitCodes.FAILED;
            }
        }
        return exit;
    }

    private static int worse(int a, int b) {
        if (a == ExitCodes.FAILED || b == ExitCodes.FAILED) {
            return ExitCodes.FAILED;
        }
        return Math.max(a, b);
    }

}
