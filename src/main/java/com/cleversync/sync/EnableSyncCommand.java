package com.cleversync.sync;

import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Turns the nightly sync of an event back on. */
@Command(name = "enable-sync", mixinStandardHelpOptions = true,
        description = "Turn the nightly sync of an event back on.")
public class EnableSyncCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--event", required = true, paramLabel = "EVENT_ID", description = "The event whose sync starts again.")
    long event;

    @Override
    public Integer call() {
        SyncSettings.requirePositive(event, "event");
        EventSync e = cli.app(false).bean(SyncSettings.class).enableEvent(event);
        spec.commandLine().getOut().println(e.changed()
                ? "sync enabled for event " + e.eventId() + " (" + e.eventName() + ") of account " + e.accountId()
                : "sync was already on for event " + e.eventId() + " (" + e.eventName() + ")");
        return ExitCodes.OK;
    }
}
