package com.cleversync.clever;

import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimSchool;
import com.cleversync.simulator.SimulatorSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pages every collection of a generated district through the client and prints records per second and the
 * requests made against the minimum possible (per collection, ceil(records / limit), at least one).
 * Run: see README, "Benchmarks". Sizes: -Dbench.schools (10), -Dbench.students (2500), -Dbench.limits (10000,1000),
 * -Dbench.rounds (2; the first round still pays for some JIT warm-up). The simulator runs in the same JVM and
 * shares the CPUs, so the rates are a lower bound for the client.
 */
class ClientPagingBenchmark {

    @Test
    @EnabledIfSystemProperty(named = "benchmark", matches = "true")
    void run() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws IOException {
        int schools = Integer.getInteger("bench.schools", 10);
        int students = Integer.getInteger("bench.students", 2500);
        List<Integer> limits = new ArrayList<>();
        for (String l : System.getProperty("bench.limits", "10000,1000").split(",")) {
            limits.add(Integer.parseInt(l.strip()));
        }
        List<String> lines = new ArrayList<>();
        long genStart = System.nanoTime();
        try (CleverSimulator sim = CleverSimulator.start(SimulatorSettings.defaults().withSchools(schools)
                .withStudentsPerSchool(students).withRateLimitPerMinute(100_000))) {
            lines.add(String.format(Locale.ROOT, "district: %d schools x %d students, generated in %d ms; simulator %s",
                    schools, students, (System.nanoTime() - genStart) / 1_000_000, sim.baseUrl()));
            CleverCredentials credentials = new CleverCredentials("Benchmark District", sim.settings().token());
            // One untimed pass so the JIT has compiled the client and the simulator before anything is measured.
            CleverClient warmUp = new CleverClient(CleverProperties.defaults(sim.baseUrl()), new SimpleMeterRegistry());
            for (String role : List.of("student", "contact")) {
                warmUp.users(credentials, role).stream().count();
            }
            int rounds = Integer.getInteger("bench.rounds", 2);
            for (int round = 1; round <= rounds; round++) {
            for (int limit : limits) {
                SimpleMeterRegistry meters = new SimpleMeterRegistry();
                CleverClient client = new CleverClient(CleverProperties.defaults(sim.baseUrl()).withPageLimit(limit), meters);
                List<CleverCollection<?>> collections = new ArrayList<>();
                collections.add(client.schools(credentials));
                collections.add(client.terms(credentials));
                collections.add(client.sections(credentials));
                for (String role : List.of("student", "teacher", "contact", "staff", "district_admin")) {
                    collections.add(client.users(credentials, role));
                }
                for (SimSchool school : sim.district().schools()) {
                    collections.add(client.schoolTerms(credentials, school.id()));
                    collections.add(client.schoolSections(credentials, school.id()));
                    for (String role : List.of("student", "teacher", "staff")) {
                        collections.add(client.schoolUsers(credentials, school.id(), role));
                    }
                }
                for (boolean prefetch : List.of(false, true)) {
                    System.gc();
                    sim.requests().reset();
                    long records = 0;
                    long minimum = 0;
                    long start = System.nanoTime();
                    for (CleverCollection<?> collection : collections) {
                        CleverItemReader<?> reader = new CleverItemReader<>("bench", collection, prefetch);
                        reader.open(new ExecutionContext());
                        long n = 0;
                        while (reader.read() != null) {
                            n++;
                        }
                        reader.close();
                        records += n;
                        minimum += Math.max(1, (n + limit - 1) / limit);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    lines.add(String.format(Locale.ROOT,
                            "round %d, limit %5d, prefetch %-5s: %d collections, %d records in %.2f s = %.0f records/s; "
                                    + "requests %d (minimum %d); retries %.0f, rate-limit waits %.0f",
                            round, limit, prefetch, collections.size(), records, seconds, records / seconds,
                            sim.requests().total(), minimum, sum(meters, "clever.retries"),
                            sum(meters, "clever.rate_limit.waits")));
                }
            }
            }
        }
        lines.add(String.format(Locale.ROOT, "JVM: %s, %d CPUs, max heap %d MB", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20));
        Path out = Path.of("target", "benchmarks", "client-paging.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        PrintStream console = System.out;
        lines.forEach(console::println);
    }

    private static double sum(SimpleMeterRegistry meters, String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
