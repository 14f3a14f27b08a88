package com.cleversync.system;

import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** Applies the schema migrations (Flyway runs at start-up) and lists the tables. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply the database migrations and list the tables.")
public class MigrateCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Override
    public Integer call() {
        JdbcClient jdbc = cli.app(false).bean(JdbcClient.class);
        List<String> tables = jdbc.sql("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = DATABASE() ORDER BY table_name""").query(String.class).list();
        cli.spec.commandLine().getOut().println("schema up to date: " + tables.size() + " tables: " + String.join(", ", tables));
        return ExitCodes.OK;
    }
}
