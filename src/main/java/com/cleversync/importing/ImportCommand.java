package com.cleversync.importing;

import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import a Clever school and term into a booking event, and print the run report.",
                "Runs again restart a failed or stopped run of the same import from its last committed chunk."})
public class ImportCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--event", required = true, description = "Booking event id.")
    long event;

    @Option(names = "--school", required = true, description = "Clever school id.")
    String school;

    @Option(names = "--term", required = true, description = "Clever term id (see the 'terms' command).")
    String term;

    @Option(names = "--allow-mass-removal",
            description = "Let this run remove more than clever-sync.import.mass-removal-threshold of the import's classes or enrollments.")
    boolean allowMassRemoval;

    @Override
    public Integer call() {
        ImportService.cleverId(school, "school");
        ImportService.cleverId(term, "term");
        ImportService imports = cli.app(false).bean(ImportService.class);
        long importId = imports.register(new ImportRequest(event, school, term));
        JobExecution execution;
        try {
            execution = imports.run(importId, new RunOptions(allowMassRemoval, "manual"));
        } catch (ImportAlreadyRunningException e) {
            spec.commandLine().getErr().println("import: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        spec.commandLine().getOut().print(imports.report(execution.getId()).format());
        return exitCode(execution.getStatus());
    }

    public static int exitCode(BatchStatus status) {
        return switch (status) {
            case COMPLETED -> ExitCodes.OK;
            case STOPPED, STOPPING -> ExitCodes.STOPPED;
            default -> ExitCodes.FAILED;
        };
    }
}
