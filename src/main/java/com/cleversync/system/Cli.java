package com.cleversync.system;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The command line: {@code java -jar clever-sync.jar COMMAND [options]}. Every subcommand validates its
 * arguments first and only then asks for the Spring context, so usage errors and {@code --help} are instant
 * and write nothing. Exit codes are those of {@link ExitCodes}.
 */
@Command(name = "clever-sync", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Syncs K-12 rosters from the Clever Data API into the booking database.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a job failed", "2:usage error or bad input (nothing written)",
                "3:a job was stopped (restartable)"})
public class Cli implements Runnable {

    private final BiFunction<Boolean, String[], AppContext> contexts;
    private final List<AppContext> opened = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Cli(BiFunction<Boolean, String[], AppContext> contexts) {
        this.contexts = contexts;
    }

    /** The Spring context for a subcommand; {@code web} starts the HTTP server (only {@code serve} does). */
    public AppContext app(boolean web) {
        return app(web, new String[0]);
    }

    /** The Spring context started with extra Spring arguments ({@code --name=value}); a test's context ignores them. */
    public AppContext app(boolean web, String... springArgs) {
        AppContext app = contexts.apply(web, springArgs);
        opened.add(app);
        return app;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see --help)");
    }

    /** Production entry point. */
    public static int run(String[] args) {
        return run(AppContext::lazy, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs one command against a context the caller owns (tests). */
    public static int run(AppContext app, PrintWriter out, PrintWriter err, String... args) {
        return run((web, springArgs) -> app, out, err, args);
    }

    static int run(BiFunction<Boolean, String[], AppContext> contexts, PrintWriter out, PrintWriter err, String... args) {
        Cli cli = new Cli(contexts);
        CommandLine commandLine = commandLine(cli);
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } finally {
            cli.opened.forEach(AppContext::closeIfStarted);
            out.flush();
            err.flush();
        }
    }

    /** The command tree, also used by tests that check manifests name real commands. */
    public static CommandLine commandLine(Cli cli) {
        CommandLine commandLine = new CommandLine(cli);
        CommandRegistry.register(commandLine);
        commandLine.setParameterExceptionHandler(parameterErrors());
        commandLine.setExecutionExceptionHandler(executionErrors());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    public static CommandLine commandLine() {
        return commandLine(new Cli((web, springArgs) -> {
            throw new IllegalStateException("no application context");
        }));
    }

    private static IParameterExceptionHandler parameterErrors() {
        return (ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(cmd.getCommandName() + ": " + ex.getMessage() + " (see --help)");
            return ExitCodes.USAGE;
        };
    }

    private static IExecutionExceptionHandler executionErrors() {
        return (ex, cmd, parseResult) -> {
            String name = cmd.getCommandName();
            if (ex instanceof BadInputException) {
                cmd.getErr().println(name + ": " + ex.getMessage());
                return ExitCodes.USAGE;
            }
            SQLException sql = DatabaseErrors.connectionFailure(ex);
            if (sql != null) {
                cmd.getErr().println(name + ": " + DatabaseErrors.describe(sql));
                return ExitCodes.FAILED;
            }
            cmd.getErr().println(name + ": " + Secrets.redact(oneLine(ex)));
            return ExitCodes.FAILED;
        };
    }

    static String oneLine(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        if (root != ex && root.getMessage() != null && !message.contains(root.getMessage())) {
            message = message + " (" + root.getMessage() + ")";
        }
        return message.replaceAll("\\s*\\R\\s*", " ");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"clever-sync " + (v == null ? "dev" : v)};
        }
    }
}
