package com.cleversync.account;

import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "create-event", mixinStandardHelpOptions = true,
        description = "Create a booking event of an account; prints its id.")
public class CreateEventCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--account", required = true, description = "Account id.")
    long account;

    @Option(names = "--name", required = true, description = "Event name.")
    String name;

    @Override
    public Integer call() {
        long id = cli.app(false).bean(AccountService.class).createEvent(account, name);
        spec.commandLine().getOut().println(id);
        return ExitCodes.OK;
    }
}
