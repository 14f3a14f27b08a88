package com.cleversync.sync;

import com.cleversync.system.BadInputException;
import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Asks a running execution (in any process) to stop at its next chunk boundary. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop a running job execution gracefully: it stops at its next chunk boundary, in whichever",
                "process runs it, ends STOPPED and can be restarted."})
public class StopCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXECUTION_ID", description = "The running execution.")
    long executionId;

    @Override
    public Integer call() {
        if (executionId <= 0) {
            throw new BadInputException("execution id must be a positive number, got " + executionId);
        }
        ExecutionStatus s = cli.app(false).bean(ImportExecutions.class).stop(executionId);
        spec.commandLine().getOut().println("stop requested for execution " + executionId + " (now " + s.status()
                + "); it stops at its next chunk boundary");
        return ExitCodes.OK;
    }
}
