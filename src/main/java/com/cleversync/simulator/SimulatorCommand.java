package com.cleversync.simulator;

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
import java.util.concurrent.CountDownLatch;

/** Runs the Clever simulator in the foreground (no Spring, no database) until the process is stopped. */
@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = "Serve a generated Clever district (Data API v3.0/v3.1, events, /oauth/tokens) on 127.0.0.1 "
                + "until stopped.")
public class SimulatorCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "TCP port (0 = any free port; default ${DEFAULT-VALUE}).", defaultValue = "8089")
    int port;

    @Option(names = "--token", description = "District bearer token to accept (default: demo-district-token).")
    String token;

    @Option(names = "--seed", description = "Seed of the generated district (default ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;

    @Option(names = "--schools", description = "Number of schools (default ${DEFAULT-VALUE}).", defaultValue = "2")
    int schools;

    @Option(names = "--students-per-school", description = "Students per school (default ${DEFAULT-VALUE}).",
            defaultValue = "60")
    int studentsPerSchool;

    @Option(names = "--rate-limit", description = "Requests per minute per token (default ${DEFAULT-VALUE}).",
            defaultValue = "1200")
    int rateLimit;

    @Option(names = "--admin", description = "Also serve test hooks under /__admin (mutate, request log, sizes), for benchmarks.")
    boolean admin;

    @Option(names = "--warm-up", description = "Before reporting ready, serve every list an import reads to itself twice, "
            + "then forget those requests, so that a benchmark does not count the simulator's own warm-up.")
    boolean warmUp;

    private static final int WARM_UP_ROUNDS = 2;

    /** Released when the command should stop; the process normally ends by a signal instead. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        SimulatorSettings settings = settings();
        long started = System.nanoTime();
        CleverSimulator simulator;
        try {
            simulator = CleverSimulator.start(settings);
        } catch (RuntimeException e) {
            throw new BadInputException("cannot start the simulator on port " + port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
        // Before the admin hooks: a benchmark waits for them to answer, so it starts once the warm-up is over.
        int warmUpPages = warmUp ? simulator.warmUp(WARM_UP_ROUNDS) : 0;
        if (admin) {
            simulator.enableAdmin();
        }
        Thread hook = new Thread(simulator::close, "clever-simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            SimulatedDistrict district = simulator.district();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Clever simulator: %s (%d schools, %d users, %d sections) ready in %d ms%n",
                    district.name(), district.schools().size(), district.users().size(),
                    district.sections().size(), (System.nanoTime() - started) / 1_000_000);
            if (warmUp) {
                out.printf("warmed up: %d pages served to itself and forgotten%n", warmUpPages);
            }
            out.println("base URL: " + simulator.baseUrl() + "  (Data API under /v3.0 and /v3.1)");
            out.println("token:    " + settings.token());
            out.println("district: " + district.id());
            out.println("try:      curl -H 'Authorization: Bearer " + settings.token() + "' "
                    + simulator.baseUrl() + "/v3.0/schools");
            out.flush();
            stop.await();
        } finally {
            simulator.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is already running.
            }
        }
        return ExitCodes.OK;
    }

    SimulatorSettings settings() {
        try {
            SimulatorSettings settings = SimulatorSettings.defaults().withPort(port).withSeed(seed).withSchools(schools)
                    .withStudentsPerSchool(studentsPerSchool).withRateLimitPerMinute(rateLimit);
            return token == null ? settings : settings.withToken(token);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
