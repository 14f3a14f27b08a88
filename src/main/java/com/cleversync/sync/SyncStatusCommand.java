package com.cleversync.sync;

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

/** Lists the events the nightly run will sync. */
@Command(name = "sync-status", mixinStandardHelpOptions = true,
        description = "List the events with sync on (the ones the nightly run syncs), of one account or of all.")
public class SyncStatusCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--account", paramLabel = "ACCOUNT_ID", description = "Only this account's events.")
    Long account;

    @Override
    public Integer call() {
        if (account != null) {
            SyncSettings.requirePositive(account, "account");
        }
        List<EventSync> events = cli.app(false).bean(SyncSettings.class).enabledEvents(account);
        PrintWriter out = spec.commandLine().getOut();
        out.println(events.size() + " event(s) with sync on" + (account == null ? "" : " in account " + account));
        if (!events.isEmpty()) {
            out.printf("%-10s %-10s %s%n", "ACCOUNT", "EVENT", "NAME");
            events.forEach(e -> out.printf("%-10d %-10d %s%n", e.accountId(), e.eventId(), e.eventName()));
        }
        return ExitCodes.OK;
    }
}
