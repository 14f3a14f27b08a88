package com.cleversync.sync;

import com.cleversync.system.BadInputException;
import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** Stops the nightly sync for one event, or for every event of an account. */
@Command(name = "stop-sync", mixinStandardHelpOptions = true,
        description = {"Stop the nightly sync for one event (--event), or for every event of an account (--account A --all).",
                "Data already imported stays; enable-sync turns it back on."})
public class StopSyncCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--event", paramLabel = "EVENT_ID", description = "The event whose sync stops.")
    Long event;

    @Option(names = "--account", paramLabel = "ACCOUNT_ID", description = "The account whose events all stop (needs --all).")
    Long account;

    @Option(names = "--all", description = "Confirms stopping every event of --account.")
    boolean all;

    @Override
    public Integer call() {
        if ((event == null) == (account == null)) {
            throw new BadInputException("give either --event EVENT_ID or --account ACCOUNT_ID --all");
        }
        if (account != null && !all) {
            throw new BadInputException("--account stops every event of the account: add --all to confirm");
        }
        if (event != null && all) {
            throw new BadInputException("--all goes with --account, not --event");
        }
        if (event != null) {
            SyncSettings.requirePositive(event, "event");
        } else {
            SyncSettings.requirePositive(account, "account");
        }
        SyncSettings settings = cli.app(false).bean(SyncSettings.class);
        PrintWriter out = spec.commandLine().getOut();
        if (event != null) {
            EventSync e = settings.stopEvent(event);
            out.println(e.changed()
                    ? "sync stopped for event " + e.eventId() + " (" + e.eventName() + ") of account " + e.accountId()
                    : "sync was already stopped for event " + e.eventId() + " (" + e.eventName() + ")");
        } else {
            List<EventSync> stopped = settings.stopAccount(account);
            out.println("sync stopped for " + stopped.size() + " event(s) of account " + account
                    + (stopped.isEmpty() ? " (none had sync on)" : ":"));
            stopped.forEach(e -> out.println("  " + e.eventId() + "  " + e.eventName()));
        }
        return ExitCodes.OK;
    }
}
