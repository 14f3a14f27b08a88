package com.cleversync.account;

import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "create-account", mixinStandardHelpOptions = true,
        description = "Create a customer account of the booking product; prints its id.")
public class CreateAccountCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--name", required = true, description = "Account name (unique).")
    String name;

    @Option(names = "--time-zone", required = true, description = "IANA time zone of the schools, e.g. America/Chicago.")
    String timeZone;

    @Override
    public Integer call() {
        long id = cli.app(false).bean(AccountService.class).createAccount(name, timeZone);
        spec.commandLine().getOut().println(id);
        return ExitCodes.OK;
    }
}
