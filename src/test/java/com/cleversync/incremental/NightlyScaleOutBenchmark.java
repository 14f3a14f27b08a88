package com.cleversync.incremental;

import com.cleversync.account.AccountService;
import com.cleversync.importing.ImportRequest;
import com.cleversync.importing.ImportService;
import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimSchool;
import com.cleversync.simulator.SimTerm;
import com.cleversync.simulator.SimulatorSettings;
import com.cleversync.support.DatabaseTest;
import com.cleversync.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nightly wall time with remote partitioning, 1 and 2 worker JVMs, at the import benchmark's size M (10 schools x
 * 2500 students, one event per school), the district split into two Clever connections (accounts A: schools 0-4,
 * B: schools 5-9) so that there are two partitions to share. Full nights are forced by dropping the cursors.
 * Prints a table and writes target/benchmarks/nightly-scale-out.txt. Run with
 * {@code ./mvnw -B -q -o test -Dtest=NightlyScaleOutBenchmark -Dbenchmark=true}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class NightlyScaleOutBenchmark extends DatabaseTest {

    static CleverSimulator sim;

    @Autowired
    AccountService accounts;

    @Autowired
    ImportService imports;

    @DynamicPropertySource
    static void clever(DynamicPropertyRegistry registry) {
        registry.add("clever.api.base-url", () -> {
            if (sim == null) {
                sim = CleverSimulator.start(SimulatorSettings.defaults().withSeed(42).withSchools(10)
                        .withStudentsPerSchool(Integer.getInteger("bench.students", 2500)).withRateLimitPerMinute(100_000));
            }
            return sim.baseUrl();
        });
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private final List<Process> children = new ArrayList<>();
    private final StringBuilder table = new StringBuilder();

    @Test
    void nightlyWallTimeWithOneAndTwoWorkers() throws Exception {
        List<SimSchool> schools = sim.district().schools();
        for (int a = 0; a < 2; a++) {
            long account = accounts.createAccount("District " + (char) ('A' + a), "UTC");
            accounts.connect(account, sim.settings().token());
            for (int s = a * 5; s < a * 5 + 5; s++) {
                SimSchool school = schools.get(s);
                long event = accounts.createEvent(account, "Conferences " + school.name());
                SimTerm term = sim.district().termsOf(school.id()).stream().min(Comparator.comparing(SimTerm::id)).orElseThrow();
                imports.register(new ImportRequest(event, school.id(), term.id()));
            }
        }
        table.append(String.format(Locale.ROOT, "%-44s %8s %10s %8s%n", "night", "workers", "wall s", "requests"));
        night("cold, full (empty database)", 1, false);
        night("full (cursors dropped)", 1, true);
        night("full (cursors dropped)", 2, true);
        night("full (cursors dropped)", 2, true);
        sim.mutations().changeShare(0.01, 3);
        night("incremental, 1% changed", 2, false);
        night("incremental, nothing changed", 2, false);
        sim.mutations().changeShare(0.01, 4);
        night("incremental, 1% changed", 1, false);
        table.append(String.format(Locale.ROOT, "cores: %d; load average at the end: %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim()));
        System.out.print(table);
        Files.createDirectories(Path.of("target/benchmarks"));
        Files.writeString(Path.of("target/benchmarks/nightly-scale-out.txt"), table.toString());
    }

    @org.junit.jupiter.api.AfterEach
    void stopChildren() {
        children.forEach(Process::destroyForcibly);
    }

    private void night(String name, int workers, boolean dropCursors) throws Exception {
        if (dropCursors) {
            jdbc.sql("UPDATE clever_connection SET events_cursor = NULL").update();
        }
        List<Process> ws = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            ws.add(start("bench-worker-" + i, "worker"));
        }
        for (int i = 0; i < workers; i++) {
            waitForLog("bench-worker-" + i, "worker ready");
        }
        sim.requests().reset();
        long t0 = System.nanoTime();
        Process manager = start("bench-manager", "nightly");
        assertThat(manager.waitFor(30, TimeUnit.MINUTES)).isTrue();
        double wall = (System.nanoTime() - t0) / 1e9;
        String out = log("bench-manager");
        long completed = out.lines().filter(l -> l.matches("^\\d+\\s.*\\sCOMPLETED\\s.*")).count();
        long unchanged = out.lines().filter(l -> l.matches("^\\d+\\s.*\\sUNCHANGED\\s.*")).count();
        long failed = out.lines().filter(l -> l.matches("^\\d+\\s.*\\sFAILED\\s.*")).count();
        table.append(String.format(Locale.ROOT, "%-44s %8d %10.1f %8d   exit %d: %d completed, %d unchanged, %d failed%n", name,
                workers, wall, sim.requests().total(), manager.exitValue(), completed, unchanged, failed));
        out.lines().filter(l -> l.contains("FAILED") && l.contains("Exception")).map(l -> l.length() > 160 ? l.substring(0, 160) : l)
                .limit(2).forEach(l -> table.append("    ").append(l).append('\n'));
        Files.createDirectories(Path.of("target/benchmarks"));
        Files.writeString(Path.of("target/benchmarks/nightly-scale-out.txt"), table.toString());
        log("bench-manager").lines().filter(l -> l.startsWith("account ")).forEach(l -> table.append("    ").append(l).append('\n'));
        for (Process w : ws) {
            w.destroy();
            w.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private Process start(String name, String command) throws Exception {
        TestDatabase db = TestDatabase.get();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                "-Dspring.datasource.url=" + db.url(), "-Dspring.datasource.username=" + db.username(),
                "-Dspring.datasource.password=" + db.password(), "-Dclever.api.base-url=" + sim.baseUrl(),
                "-Dclever-sync.token-key=" + DatabaseTest.TEST_TOKEN_KEY, "-Dclever-sync.nightly.mode=manager",
                "-Dclever-sync.nightly.remote.poll-interval=500ms", "-Dclever-sync.nightly.remote.worker-poll=200ms",
                "com.cleversync.CleverSyncApplication", command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File("target/" + name + ".log")).start();
        children.add(p);
        return p;
    }

    private static String log(String name) {
        try {
            return Files.readString(Path.of("target/" + name + ".log"));
        } catch (Exception e) {
            return "";
        }
    }

    private static void waitForLog(String name, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!log(name).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " never logged " + text + ":\n" + log(name));
            }
            Thread.sleep(100);
        }
    }
}
