package com.cleversync.incremental;

import com.cleversync.account.AccountService;
import com.cleversync.importing.ImportRequest;
import com.cleversync.importing.ImportService;
import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimSchool;
import com.cleversync.simulator.SimTerm;
import com.cleversync.simulator.SimulatorSettings;
import com.cleversync.support.BookingChecksum;
import com.cleversync.support.ClassSimulator;
import com.cleversync.support.DatabaseTest;
import com.cleversync.sync.NightlyReport;
import com.cleversync.sync.NightlySync;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nightly tests against the Clever simulator over real HTTP and the test database. Each test gets a freshly
 * generated district on the same port. Small pages and chunks make every run cross pages and transactions.
 */
@TestPropertySource(properties = {
        "clever.page-limit=50",
        "clever-sync.import.chunk-size=50",
        // A 60-student school loses more than 10% of a class's enrollments to a 5% change share.
        "clever-sync.import.mass-removal-threshold=0.5",
        "clever.retry.max-attempts=2",
        "clever.retry.initial-delay=5ms",
        "clever.retry.max-delay=10ms"})
abstract class NightlyTestSupport extends DatabaseTest {

    static CleverSimulator sim;
    static final ClassSimulator SIMULATOR = new ClassSimulator(NightlyTestSupport::settings);

    @Autowired
    AccountService accounts;

    @Autowired
    ImportService imports;

    @Autowired
    NightlySync nightly;

    @DynamicPropertySource
    static void clever(DynamicPropertyRegistry registry) {
        registry.add("clever.api.base-url", () -> SIMULATOR.running().baseUrl());
    }

    static SimulatorSettings settings() {
        return SimulatorSettings.defaults().withSeed(11).withSchools(2).withStudentsPerSchool(60);
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

    /** An account connected to the simulated district with one event "Conferences" and its imports. */
    record District(long accountId, long eventId, List<Long> importIds) {
    }

    /** The account, its event, and the import of each given school's first term (schools by index). */
    District district(String name, int... schools) {
        long account = accounts.createAccount(name, "America/Chicago");
        long event = accounts.createEvent(account, "Conferences");
        accounts.connect(account, sim.settings().token());
        List<Long> ids = new java.util.ArrayList<>();
        for (int s : schools) {
            ids.add(register(event, s));
        }
        return new District(account, event, ids);
    }

    long register(long event, int school) {
        SimSchool sc = sim.district().schools().get(school);
        SimTerm term = sim.district().termsOf(sc.id()).stream().min(Comparator.comparing(SimTerm::id)).orElseThrow();
        return imports.register(new ImportRequest(event, sc.id(), term.id()));
    }

    NightlyReport runNightly() {
        NightlyReport report = nightly.run(1);
        assertThat(report.anyFailed()).as(report.format()).isFalse();
        return report;
    }

    String checksum(long accountId) {
        return BookingChecksum.of(jdbcTemplate, accountId);
    }

    /** The account's booking rows equal the reference account's (ids aside), line for line and by checksum. */
    void assertSameRoster(long accountId, long referenceAccountId) {
        List<String> lines = BookingChecksum.lines(jdbcTemplate, accountId);
        List<String> reference = BookingChecksum.lines(jdbcTemplate, referenceAccountId);
        assertThat(lines).as("booking rows of account %d against account %d", accountId, referenceAccountId).isEqualTo(reference);
        assertThat(checksum(accountId)).isEqualTo(checksum(referenceAccountId));
    }

    /** The report's line about the account. */
    static String line(NightlyReport report, long accountId) {
        return report.districts().stream().filter(l -> l.startsWith("account " + accountId + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for account " + accountId + " in\n" + report.format()));
    }

    static String status(NightlyReport report, long importId) {
        return report.rows().stream().filter(r -> r.eventImportId() == importId).findFirst().orElseThrow().status();
    }

    /** Pretends the last full sync of the account happened that many days ago (interval tests). */
    /** Days pass for the account's full sync, and for its reads of the district's contacts (no longer shared). */
    void ageFullSync(long accountId, int days) {
        jdbc.sql("UPDATE clever_connection SET last_full_sync_at = last_full_sync_at - INTERVAL ? DAY WHERE account_id = ?")
                .params(days, accountId).update();
        jdbc.sql("""
                UPDATE district_read SET started_at = started_at - INTERVAL ? DAY, completed_at = completed_at - INTERVAL ? DAY
                WHERE account_id = ?""").params(days, days, accountId).update();
    }

    String cursor(long accountId) {
        return jdbc.sql("SELECT events_cursor FROM clever_connection WHERE account_id = ?").param(accountId)
                .query((rs, n) -> java.util.Optional.ofNullable(rs.getString(1))).single().orElse(null);
    }
}
