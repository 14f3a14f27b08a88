package com.cleversync.account;

import com.cleversync.system.BadInputException;
import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Validate a Clever district token against /districts and store it (encrypted) for the account.")
public class ConnectCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--account", required = true, description = "Account id.")
    long account;

    @ArgGroup(multiplicity = "1")
    TokenSource source;

    static class TokenSource {
        @Option(names = "--token", description = "The district bearer token.")
        String token;

        @Option(names = "--token-env", paramLabel = "VAR",
                description = "Read the token from this environment variable (keeps it out of the process list).")
        String tokenEnv;

        @Option(names = "--district", paramLabel = "D",
                description = "Use the token the app holds for this Clever district (app credentials CLEVER_APP_CLIENT_ID/SECRET).")
        String district;
    }

    @Override
    public Integer call() {
        if (source.district != null) {
            var c = cli.app(false).bean(AccountService.class).connectDistrict(account, source.district);
            spec.commandLine().getOut().println("account " + c.accountId() + " connected to Clever district "
                    + c.districtName() + " (" + c.districtId() + ")");
            return ExitCodes.OK;
        }
        String token = source.token;
        if (source.tokenEnv != null) {
            token = System.getenv(source.tokenEnv);
            if (token == null || token.isBlank()) {
                throw new BadInputException("environment variable " + source.tokenEnv + " is not set");
            }
        }
        var c = cli.app(false).bean(AccountService.class).connect(account, token);
        spec.commandLine().getOut().println("account " + c.accountId() + " connected to Clever district "
                + c.districtName() + " (" + c.districtId() + ")");
        return ExitCodes.OK;
    }
}
