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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "rotate-token-key", mixinStandardHelpOptions = true,
        description = {"Re-encrypt every stored Clever token with the current CLEVER_TOKEN_KEY.",
                "Set CLEVER_TOKEN_KEY to the new key and pass the old one by environment variable or file (never on the "
                        + "command line). Tokens on the old key are re-encrypted, plain-text tokens (the demo's) are encrypted, "
                        + "tokens already on the new key are left alone; all in one transaction, so it can be run again safely. "
                        + "Prints counts only."})
public class RotateTokenKeyCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    PreviousKey previous;

    static class PreviousKey {
        @Option(names = "--previous-key-env", paramLabel = "VAR", description = "Environment variable holding the old key (base64).")
        String env;

        @Option(names = "--previous-key-file", paramLabel = "PATH",
                description = "File holding the old key (base64), e.g. a mounted Kubernetes Secret.")
        Path file;
    }

    @Option(names = "--dry-run", description = "Only count what would change.")
    boolean dryRun;

    @Override
    public Integer call() {
        byte[] key;
        if (previous.env != null) {
            key = TokenKeyRotation.previousKey(System.getenv(previous.env), "environment variable " + previous.env);
        } else {
            String text;
            if (!Files.isRegularFile(previous.file)) {
                throw new BadInputException("cannot read the previous key file " + previous.file + ": no such file");
            }
            try {
                text = Files.readString(previous.file, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new BadInputException("cannot read the previous key file " + previous.file + ": not readable");
            }
            key = TokenKeyRotation.previousKey(text, "file " + previous.file);
        }
        TokenKeyRotation.Result result = cli.app(false).bean(TokenKeyRotation.class).rotate(key, dryRun);
        spec.commandLine().getOut().println(result.describe());
        return ExitCodes.OK;
    }
}
