package com.cleversync.reliability;

import com.cleversync.account.AccountService;
import com.cleversync.importing.ImportRequest;
import com.cleversync.importing.ImportService;
import com.cleversync.importing.RunOptions;
import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimSchool;
import com.cleversync.simulator.SimTerm;
import com.cleversync.simulator.SimulatorSettings;
import com.cleversync.support.DatabaseTest;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Soak: the nightly sync of a whole district (every school's import, production page and chunk sizes) run
 * again and again in one JVM, printing after each round the heap after a full GC, live threads, the pool's
 * JDBC connections, the server's connected threads and this process's open file descriptors. They must stay
 * flat. Not part of the normal build; run it with
 * {@code ./mvnw -B test -Dtest=SoakTest -Dsoak=true [-Dsoak.schools=10 -Dsoak.students=2500 -Dsoak.rounds=20]}.
 */
@EnabledIfSystemProperty(named = "soak", matches = "true")
class SoakTest extends DatabaseTest {

    static final int SCHOOLS = Integer.getInteger("soak.schools", 10);
    static final int STUDENTS = Integer.getInteger("soak.students", 2500);
    static final int ROUNDS = Integer.getInteger("soak.rounds", 20);
    /** Share of the district changed between rounds (the simulator, in this JVM, keeps every change as an event). */
    static final double CHANGE = Double.parseDouble(System.getProperty("soak.change", "0.005"));

    static CleverSimulator sim;

    @Autowired
    AccountService accounts;

    @Autowired
    ImportService imports;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void clever(DynamicPropertyRegistry registry) {
        registry.add("clever.api.base-url", () -> {
            if (sim == null) {
                sim = CleverSimulator.start(SimulatorSettings.defaults().withSeed(2025).withSchools(SCHOOLS)
                        .withStudentsPerSchool(STUDENTS).withRateLimitPerMinute(1_000_000));
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

    record Sample(int round, long millis, long heapMb, int threads, int poolTotal, int poolActive, long serverConnections,
                  long fds, long contacts, int meters) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%5d %9d %11d %7d %9d %10d %11d %6d %9d %6d", round, millis, heapMb, threads,
                    poolTotal, poolActive, serverConnections, fds, contacts, meters);
        }
    }

    @Test
    void nightlySyncRoundsKeepHeapThreadsConnectionsAndFilesFlat() throws Exception {
        long account = accounts.createAccount("Soak District", "America/Chicago");
        long event = accounts.createEvent(account, "Soak event");
        accounts.connect(account, sim.settings().token());
        List<Long> importIds = new ArrayList<>();
        for (SimSchool school : sim.district().schools()) {
            SimTerm term = sim.district().termsOf(school.id()).stream().min(Comparator.comparing(SimTerm::id)).orElseThrow();
            importIds.add(imports.register(new ImportRequest(event, school.id(), term.id())));
        }
        System.out.printf("soak: %d schools x %d students, %d imports, %d rounds, %.1f%% changed per round%n", SCHOOLS, STUDENTS,
                importIds.size(), ROUNDS, CHANGE * 100);
        System.out.println("round  ms/round heapAfterGC threads poolTotal poolActive  dbSessions    fds  contacts meters");
        List<Sample> samples = new ArrayList<>();
        for (int round = 0; round <= ROUNDS; round++) {
            long started = System.nanoTime();
            if (round > 0 && CHANGE > 0) {
                // Between nights the district changes a little, as a real one does.
                sim.mutations().changeShare(CHANGE, round);
            }
            for (long id : importIds) {
                var execution = imports.run(id, round == 0 ? RunOptions.manual() : RunOptions.nightly());
                assertThat(execution.getStatus()).as("import " + id + " round " + round).isEqualTo(BatchStatus.COMPLETED);
            }
            Sample s = sample(round, (System.nanoTime() - started) / 1_000_000, account);
            samples.add(s);
            System.out.println(s);
        }
        // Round 0 is the first import; round 1 warms up the nightly path. Compare round 2 with the last.
        Sample first = samples.get(Math.min(2, samples.size() - 1));
        Sample last = samples.getLast();
        assertThat(last.heapMb()).as("heap after GC").isLessThanOrEqualTo(first.heapMb() + 32);
        assertThat(last.threads()).as("threads").isLessThanOrEqualTo(first.threads() + 4);
        assertThat(last.poolTotal()).as("pooled connections").isLessThanOrEqualTo(10);
        assertThat(last.poolActive()).as("connections in use between rounds").isZero();
        assertThat(last.fds()).as("open file descriptors").isLessThanOrEqualTo(first.fds() + 10);
    }

    private Sample sample(int round, long millis, long account) throws java.sql.SQLException {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        var memory = ManagementFactory.getMemoryMXBean();
        long heapMb = memory.getHeapMemoryUsage().getUsed() / (1024 * 1024);
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        var pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
        // Connections the server holds for this JVM's schema (the server is shared with other processes).
        Long serverConnections = jdbcTemplate.queryForObject(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE()", Long.class);
        String[] fds = new File("/proc/self/fd").list();
        Long contacts = jdbcTemplate.queryForObject("SELECT COUNT(*) FROM contact WHERE account_id = ? AND removed_at IS NULL",
                Long.class, account);
        return new Sample(round, millis, heapMb, threads, pool.getTotalConnections(), pool.getActiveConnections(),
                serverConnections == null ? -1 : serverConnections, fds == null ? -1 : fds.length, contacts == null ? 0 : contacts,
                meters.getMeters().size());
    }
}
