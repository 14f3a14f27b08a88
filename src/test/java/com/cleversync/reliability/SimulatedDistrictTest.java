package com.cleversync.reliability;

import com.cleversync.account.AccountService;
import com.cleversync.importing.ImportRequest;
import com.cleversync.importing.ImportService;
import com.cleversync.importing.RunOptions;
import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimSchool;
import com.cleversync.simulator.SimSection;
import com.cleversync.simulator.SimTerm;
import com.cleversync.simulator.SimulatorSettings;
import com.cleversync.support.BookingChecksum;
import com.cleversync.support.ClassSimulator;
import com.cleversync.support.DatabaseTest;
import com.cleversync.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the fault and security tests: a small simulated district (2 schools x 40 students) served over real
 * HTTP, restarted fresh before each test on the same port (so the Spring context is shared), small pages and
 * chunks so every run crosses several pages and transactions, and fast retries so injected faults cost
 * milliseconds. Reference checksums of undisturbed runs are computed once per JVM and scenario.
 */
@TestPropertySource(properties = {
        "clever.page-limit=20",
        "clever-sync.import.chunk-size=15",
        "clever-sync.import.skip-limit=3",
        "clever.retry.max-attempts=8",
        "clever.retry.initial-delay=5ms",
        "clever.retry.max-delay=40ms",
        "clever.rate-limit.max-wait=3s",
        "clever.rate-limit.max-waits=30",
        "clever.rate-limit.reserve=1",
        "clever.read-timeout=5s"})
public abstract class SimulatedDistrictTest extends DatabaseTest {

    public static final long SEED = 11;
    static final String ACCOUNT = "Fault District";
    static final String EVENT = "Spring conferences";

    protected static CleverSimulator sim;
    static final ClassSimulator SIMULATOR = new ClassSimulator(SimulatedDistrictTest::settings);
    private static final Map<String, String> REFERENCES = new ConcurrentHashMap<>();

    @Autowired
    protected AccountService accounts;

    @Autowired
    protected ImportService imports;

    @DynamicPropertySource
    static void clever(DynamicPropertyRegistry registry) {
        registry.add("clever.api.base-url", () -> SIMULATOR.running().baseUrl());
    }

    protected static SimulatorSettings settings() {
        return SimulatorSettings.defaults().withSeed(SEED).withSchools(2).withStudentsPerSchool(40);
    }

    @BeforeEach
    void freshDistrict() {
        restartSimulator(settings());
    }

    /** A new simulator (same port, so the application's base URL stays valid) with these settings. */
    protected static void restartSimulator(SimulatorSettings settings) {
        sim = SIMULATOR.fresh(settings);
    }

    @AfterAll
    static void stopSimulator() {
        SIMULATOR.close();
        sim = null;
    }

    /** An account connected to the simulated district, one event, and the import of school 0's first term. */
    public record Fixture(long accountId, long eventId, long eventImportId, String schoolId, String termId) {
    }

    protected Fixture fixture() {
        long account = accounts.createAccount(ACCOUNT, "America/Chicago");
        long event = accounts.createEvent(account, EVENT);
        accounts.connect(account, sim.settings().token());
        SimSchool school = sim.district().schools().getFirst();
        SimTerm term = sim.district().termsOf(school.id()).stream().min(Comparator.comparing(SimTerm::id)).orElseThrow();
        long importId = imports.register(new ImportRequest(event, school.id(), term.id()));
        return new Fixture(account, event, importId, school.id(), term.id());
    }

    /** The first section of the fixture's school and term: the one scenarios delete at Clever. */
    protected static SimSection firstSection(Fixture f) {
        return sim.district().sectionsOf(f.schoolId()).stream()
                .filter(s -> f.termId().equals(s.termId())).findFirst().orElseThrow();
    }

    protected String checksum(Fixture f) {
        return BookingChecksum.of(jdbcTemplate, f.accountId());
    }

    protected List<String> rows(Fixture f) {
        return BookingChecksum.lines(jdbcTemplate, f.accountId());
    }

    /** Checksum after an undisturbed first import of the fresh district. */
    protected String referenceInitialImport() {
        return reference("initial", f -> {
        });
    }

    /** Checksum after an undisturbed first import, then {@code change} at Clever, then an undisturbed sync. */
    protected String referenceAfterSync(String name, java.util.function.Consumer<Fixture> change) {
        return reference(name, change);
    }

    private String reference(String name, java.util.function.Consumer<Fixture> change) {
        String cached = REFERENCES.get(name);
        if (cached != null) {
            return cached;
        }
        // Computed in the test's own (empty) tables with a fresh district, then wiped again.
        restartSimulator(settings());
        Fixture f = fixture();
        assertThat(imports.run(f.eventImportId(), RunOptions.manual()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        if (!name.equals("initial")) {
            change.accept(f);
            assertThat(imports.run(f.eventImportId(), RunOptions.nightly()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        }
        String sum = checksum(f);
        REFERENCES.put(name, sum);
        cleanAllTables(jdbcTemplate);
        restartSimulator(settings());
        return sum;
    }

    /** Waits until {@code condition} holds, failing after {@code timeout}. */
    protected static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    protected long count(String sql, Object... args) {
        Long n = jdbcTemplate.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    /** System properties that point a child JVM at this test's database, simulator and key, with small pages. */
    protected static Map<String, String> childProperties() {
        TestDatabase db = TestDatabase.get();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("spring.datasource.url", db.url());
        props.put("spring.datasource.username", db.username());
        props.put("spring.datasource.password", db.password());
        props.put("clever-sync.token-key", TEST_TOKEN_KEY);
        props.put("clever.api.base-url", sim.baseUrl());
        props.put("clever.page-limit", "20");
        props.put("clever-sync.import.chunk-size", "15");
        props.put("clever.retry.initial-delay", "5ms");
        props.put("clever.retry.max-delay", "40ms");
        return props;
    }

    protected static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> m = new HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
