package com.cleversync.system;

import picocli.CommandLine;

import java.util.List;

/**
 * The list of every command of the jar. A feature adds its command class here.
 */
final class CommandRegistry {

    static final List<Class<?>> COMMANDS = List.of(
            ServeCommand.class,
            MigrateCommand.class,
            com.cleversync.account.CreateAccountCommand.class,
            com.cleversync.account.CreateEventCommand.class,
            com.cleversync.account.ConnectCommand.class,
            com.cleversync.account.RotateTokenKeyCommand.class,
            com.cleversync.importing.ImportCommand.class,
            com.cleversync.importing.TermsCommand.class,
            com.cleversync.demo.DemoCommand.class,
            com.cleversync.sync.StopSyncCommand.class,
            com.cleversync.sync.EnableSyncCommand.class,
            com.cleversync.sync.SyncStatusCommand.class,
            com.cleversync.sync.NightlyCommand.class,
            com.cleversync.incremental.WorkerCommand.class,
            com.cleversync.sync.StatusCommand.class,
            com.cleversync.sync.RestartCommand.class,
            com.cleversync.sync.StopCommand.class,
            com.cleversync.billing.FeesCommand.class,
            com.cleversync.contacts.DeleteContactsCommand.class,
            com.cleversync.simulator.SimulatorCommand.class);

    private CommandRegistry() {
    }

    static void register(CommandLine root) {
        for (Class<?> command : COMMANDS) {
            root.addSubcommand(new CommandLine(command, root.getFactory()));
        }
    }
}
