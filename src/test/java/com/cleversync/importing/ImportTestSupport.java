package com.cleversync.importing;

import com.cleversync.account.AccountService;
import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimSchool;
import com.cleversync.simulator.SimTerm;
import com.cleversync.simulator.SimulatorSettings;
import com.cleversync.support.ClassSimulator;
import com.cleversync.support.DatabaseTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.util.Comparator;

/**
 * Import tests run against the project's Clever simulator over real HTTP and the test database. Each test
 * gets a freshly generated district on the same port (so the Spring context is shared). Small pages and
 * chunks make every run cross several pages and transactions.
 */
@TestPropertySource(properties = {
        "clever.page-limit=25",
        "clever-sync.import.chunk-size=20",
        "clever-sync.import.skip-limit=3",
        "clever.retry.max-attempts=2",
        "clever.retry.initial-delay=5ms",
        "clever.retry.max-delay=10ms"})
abstract class ImportTestSupport extends DatabaseTest {

    static CleverSimulator sim;
    static final ClassSimulator SIMULATOR = new ClassSimulator(ImportTestSupport::settings);

    @Autowired
    protected AccountService accounts;

    @Autowired
    protected ImportService imports;

    @DynamicPropertySource
    static void clever(DynamicPropertyRegistry registry) {
        registry.add("clever.api.base-url", () -> SIMULATOR.running().baseUrl());
        registry.add("clever.oauth.base-url", () -> SIMULATOR.running().baseUrl());
        registry.add("clever.app.client-id", () -> SIMULATOR.running().settings().clientId());
        registry.add("clever.app.client-secret", () -> SIMULATOR.running().settings().clientSecret());
    }

    static SimulatorSettings settings() {
        return SimulatorSettings.defaults().withSeed(7).withSchools(2).withStudentsPerSchool(60);
    }

    @BeforeEach
    void freshDistrict() {
        sim = SIMULATOR.fresh();
    }

    @AfterAll
    static void stopSimulator() {
        SIMULATOR.close();
        sim = null;
    }

    /** An account connected to the simulated district, one event, and the import of school 0's first term. */
    record Fixture(long accountId, long eventId, long eventImportId, String schoolId, String termId) {
    }

    Fixture fixture(String accountName) {
        long account = accounts.createAccount(accountName, "America/Chicago");
        long event = accounts.createEvent(account, "Fall conferences");
        accounts.connect(account, sim.settings().token());
        SimSchool school = sim.district().schools().getFirst();
        SimTerm term = sim.district().termsOf(school.id()).stream().min(Comparator.comparing(SimTerm::id)).orElseThrow();
        long importId = imports.register(new ImportRequest(event, school.id(), term.id()));
        return new Fixture(account, event, importId, school.id(), term.id());
    }

    ExpectedRoster expected(Fixture f) {
        return ExpectedRoster.of(sim.district(), f.schoolId(), f.termId());
    }

    long count(String sql, Object... args) {
        Long n = jdbcTemplate.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    long contacts(long account, String kind) {
        return count("SELECT COUNT(*) FROM contact WHERE account_id = ? AND kind = ? AND removed_at IS NULL", account, kind);
    }

    long links(String table, long event) {
        return count("SELECT COUNT(*) FROM " + table + " x JOIN event_class ec ON ec.id = x.class_id WHERE ec.event_id = ?", event);
    }

    long parentLinks(long account) {
        return count("""
                SELECT COUNT(*) FROM student_parent sp JOIN contact s ON s.id = sp.student_id JOIN contact p ON p.id = sp.parent_id
                WHERE s.account_id = ? AND s.removed_at IS NULL AND p.removed_at IS NULL""", account);
    }

    long classes(long event) {
        return count("SELECT COUNT(*) FROM event_class WHERE event_id = ?", event);
    }

    /** The database holds exactly the expected roster for the fixture's import. */
    void assertMatches(Fixture f, ExpectedRoster e) {
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        soft.assertThat(classes(f.eventId())).as("classes").isEqualTo(e.classes());
        soft.assertThat(contacts(f.accountId(), "TEACHER")).as("teachers").isEqualTo(e.teachers());
        soft.assertThat(contacts(f.accountId(), "STUDENT")).as("students").isEqualTo(e.students());
        soft.assertThat(contacts(f.accountId(), "PARENT")).as("parents").isEqualTo(e.parents());
        soft.assertThat(links("class_teacher", f.eventId())).as("class_teacher").isEqualTo(e.classTeacher());
        soft.assertThat(links("class_student", f.eventId())).as("class_student").isEqualTo(e.classStudent());
        soft.assertThat(parentLinks(f.accountId())).as("student_parent").isEqualTo(e.studentParent());
        soft.assertAll();
    }
}
