package com.cleversync.sync;

import com.cleversync.system.BadInputException;
import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Status and progress of an execution, or the list of running and restartable ones. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Status and progress of a job execution: status, current step, items read/written/skipped per",
                "step, elapsed time and an estimate of what remains. Without an id: the running executions and",
                "the failed or stopped ones that can be restarted."})
public class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXECUTION_ID", description = "The job execution.")
    Long executionId;

    @Option(names = "--failed", description = "List only the failed and stopped executions that can be restarted.")
    boolean failed;

    @Override
    public Integer call() {
        if (executionId != null && failed) {
            throw new BadInputException("give an EXECUTION_ID or --failed, not both");
        }
        if (executionId != null && executionId <= 0) {
            throw new BadInputException("execution id must be a positive number, got " + executionId);
        }
        ImportExecutions executions = cli.app(false).bean(ImportExecutions.class);
        PrintWriter out = spec.commandLine().getOut();
        if (executionId != null) {
            ExecutionPrinter.print(out, executions.status(executionId));
            return ExitCodes.OK;
        }
        if (!failed) {
            ExecutionPrinter.list(out, "running", executions.running());
        }
        ExecutionPrinter.list(out, "failed or stopped (restartable)", executions.restartable());
        return ExitCodes.OK;
    }
}
