package com.cleversync.contacts;

import com.cleversync.system.BadInputException;
import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Clean slate: deletes an account's contacts at a level and every level below, after a dry run. */
@Command(name = "delete-contacts", mixinStandardHelpOptions = true,
        description = {"Delete every contact of an account at a level and every level below it",
                "(ADMIN > EVENT_ADMIN > HOST > CUSTOMER), with their class and parent links.",
                "Run with --dry-run first: it prints the counts and a confirmation token;",
                "then run again with --confirm TOKEN (single use, expires after clever-sync.ops.delete-confirmation-ttl)."})
public class DeleteContactsCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--account", required = true, paramLabel = "ACCOUNT_ID", description = "The account.")
    long account;

    @Option(names = "--level", required = true, paramLabel = "LEVEL",
            description = "ADMIN, EVENT_ADMIN, HOST or CUSTOMER: this level and every level below it.")
    String level;

    @Option(names = "--dry-run", description = "Only count, and print the confirmation token.")
    boolean dryRun;

    @Option(names = "--confirm", paramLabel = "TOKEN", description = "The token of the dry run: delete for real.")
    String confirm;

    @Override
    public Integer call() {
        ContactLevel contactLevel = ContactLevel.parse(level);
        if (account <= 0) {
            throw new BadInputException("account id must be a positive number, got " + account);
        }
        if (dryRun == (confirm != null)) {
            throw new BadInputException("give either --dry-run or --confirm TOKEN (from a dry run)");
        }
        ContactCleanup cleanup = cli.app(false).bean(ContactCleanup.class);
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            ContactDeletion d = cleanup.dryRun(account, contactLevel);
            out.println("dry run: would delete " + d.total() + " contact(s) of account " + account + " at " + contactLevel + " and below:");
            d.counts().forEach((l, n) -> out.printf("  %-12s %d%n", l, n));
            out.println("to delete, run within the next minutes (token expires " + d.expiresAt() + "):");
            out.println("  delete-contacts --account " + account + " --level " + contactLevel + " --confirm " + d.confirmationToken());
        } else {
            ContactDeletion d = cleanup.delete(account, contactLevel, confirm);
            out.println("deleted " + d.total() + " contact(s) of account " + account + " at " + contactLevel + " and below:");
            d.counts().forEach((l, n) -> out.printf("  %-12s %d%n", l, n));
        }
        return ExitCodes.OK;
    }
}
