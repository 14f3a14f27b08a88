package com.cleversync.billing;

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

/** Prints the annual integration fees: attached schools per account times the fee per school. */
@Command(name = "fees", mixinStandardHelpOptions = true,
        description = {"Annual integration fees: schools attached per account x clever-sync.billing.annual-fee-per-school,",
                "with the list of schools and the total."})
public class FeesCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--account", paramLabel = "ACCOUNT_ID", description = "Only this account.")
    Long account;

    @Override
    public Integer call() {
        if (account != null && account <= 0) {
            throw new BadInputException("account id must be a positive number, got " + account);
        }
        FeeReport report = cli.app(false).bean(FeeService.class).fees(account);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("annual fee per school: %s %s%n", report.annualFeePerSchool().toPlainString(), report.currency());
        for (FeeReport.AccountFees a : report.accounts()) {
            out.printf("%naccount %d (%s): %d school(s) x %s = %s %s%n", a.accountId(), a.accountName(), a.schoolCount(),
                    report.annualFeePerSchool().toPlainString(), a.amount().toPlainString(), report.currency());
            a.schools().forEach(s -> out.printf("  %-8d %-26s %s%n", s.schoolId(), s.cleverSchoolId(), s.name()));
        }
        out.printf("%ntotal: %d school(s), %s %s%n", report.schools(), report.total().toPlainString(), report.currency());
        return ExitCodes.OK;
    }
}
