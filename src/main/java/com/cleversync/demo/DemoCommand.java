package com.cleversync.demo;

import com.cleversync.account.AccountService;
import com.cleversync.importing.ImportCommand;
import com.cleversync.importing.ImportRequest;
import com.cleversync.importing.ImportService;
import com.cleversync.importing.RunOptions;
import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimSchool;
import com.cleversync.simulator.SimTerm;
import com.cleversync.simulator.SimulatorSettings;
import com.cleversync.system.AppContext;
import com.cleversync.system.BadInputException;
import com.cleversync.system.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.concurrent.Callable;

/**
 * The demo: a seeded Clever district served by the built-in simulator, a demo account and event (created
 * the first time), the connection, and the import of one school and term with its report. The district is
 * the same on every run, so a second run reports everything unchanged.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Import a simulated Clever district into the local database and print the report.")
public class DemoCommand implements Callable<Integer> {

    static final String ACCOUNT = "Demo District";
    static final String EVENT = "Demo parent-teacher conferences";

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--students-per-school", defaultValue = "500", description = "Size of each simulated school (default ${DEFAULT-VALUE}).")
    int studentsPerSchool;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated district (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SimulatorSettings settings;
        try {
            settings = SimulatorSettings.defaults().withSeed(seed).withSchools(2).withStudentsPerSchool(studentsPerSchool);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        try (CleverSimulator sim = CleverSimulator.start(settings)) {
            out.println("Clever simulator: " + sim.baseUrl() + " (district " + sim.district().name() + ")");
            AppContext app = cli.app(false, "--clever.api.base-url=" + sim.baseUrl(), "--clever-sync.allow-plaintext-tokens=true");
            AccountService accounts = app.bean(AccountService.class);
            ImportService imports = app.bean(ImportService.class);
            long account = accounts.accountIdByName(ACCOUNT).orElseGet(() -> accounts.createAccount(ACCOUNT, "America/Chicago"));
            long event = accounts.eventIdByName(account, EVENT).orElseGet(() -> accounts.createEvent(account, EVENT));
            var connection = accounts.connect(account, settings.token());
            SimSchool school = sim.district().schools().getFirst();
            SimTerm term = sim.district().termsOf(school.id()).stream().min(Comparator.comparing(SimTerm::startDate)).orElseThrow();
            out.printf("account %d, event %d, district %s, school %s (%s), term %s (%s)%n", account, event,
                    connection.districtName(), school.name(), school.id(), term.name(), term.id());
            long importId = imports.register(new ImportRequest(event, school.id(), term.id()));
            var execution = imports.run(importId, new RunOptions(false, "demo"));
            out.print(imports.report(execution.getId()).format());
            return ImportCommand.exitCode(execution.getStatus());
        }
    }
}
