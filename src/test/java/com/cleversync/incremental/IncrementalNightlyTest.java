package com.cleversync.incremental;

import com.cleversync.simulator.SimSchool;
import com.cleversync.simulator.SimSection;
import com.cleversync.simulator.SimTerm;
import com.cleversync.simulator.SimUser;
import com.cleversync.sync.NightlyReport;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incremental nightly against the simulator's mutations: an account synced from Clever's events ends with
 * exactly the booking rows of an account that re-read the same district in full, runs only the imports the
 * events touch, and a night without changes costs one events request per district.
 */
class IncrementalNightlyTest extends NightlyTestSupport {

    @Test
    void incrementalResultEqualsAFullSyncAfterMutationsAndAQuietNightCostsOneRequest() {
        District inc = district("Incremental", 0, 1);
        District full = district("Full", 0, 1);
        NightlyReport first = runNightly();
        assertThat(line(first, inc.accountId())).contains("FULL sync (no full sync yet)", "cursor seeded");
        assertThat(checksum(inc.accountId())).isEqualTo(checksum(full.accountId()));
        String seeded = cursor(inc.accountId());
        String before = checksum(inc.accountId());

        SimSchool s0 = sim.district().schools().get(0);
        SimSchool s1 = sim.district().schools().get(1);
        List<SimSection> sections0 = termSections(s0);
        List<SimSection> sections1 = termSections(s1);
        sim.mutations().deleteSection(sections0.get(0).id());
        SimSection dropFrom = sections0.get(1);
        sim.mutations().dropStudentFromSection(dropFrom.id(), dropFrom.studentIds().getFirst());
        sim.mutations().addStudentToSection(sections1.get(0).id());
        sim.mutations().renameUser(sections1.get(1).teacherIds().getFirst(), "Renamed-Teacher");
        String student = sections0.get(2).studentIds().getFirst();
        sim.district().users(SimUser.CONTACT).stream()
                .filter(c -> c.relationships().stream().anyMatch(r -> r.studentId().equals(student)))
                .findFirst().ifPresent(c -> sim.mutations().renameUser(c.id(), "Renamed-Parent"));
        sim.mutations().changeShare(0.01, 5);

        ageFullSync(full.accountId(), 8);
        NightlyReport second = runNightly();
        assertThat(line(second, inc.accountId())).contains("INCREMENTAL (events after the cursor)", "cursor advanced",
                "2 import(s) run (2 on the night's changes)").doesNotContain(" 0 event(s)");
        assertThat(line(second, full.accountId())).contains("FULL sync (full-resync interval of 7 days passed)");
        assertSameRoster(inc.accountId(), full.accountId());
        assertThat(checksum(inc.accountId())).isNotEqualTo(before);
        assertThat(cursor(inc.accountId())).isNotEqualTo(seeded);

        sim.requests().reset();
        NightlyReport quiet = runNightly();
        assertThat(quiet.districts()).hasSize(2).allSatisfy(l -> assertThat(l).contains("INCREMENTAL (no new events)", " 0 event(s), 0 import(s) run"));
        assertThat(quiet.rows()).hasSize(4).allSatisfy(r -> assertThat(r.status()).isEqualTo(DistrictNightly.UNCHANGED));
        assertThat(sim.requests().total()).as(sim.requests().toString()).isEqualTo(2);
        assertThat(sim.requests().count("/v3.0/events")).isEqualTo(2);
        assertSameRoster(inc.accountId(), full.accountId());

        // A heavier night: deleted users leave sections and parents, new students come with new parents.
        sim.mutations().changeShare(0.05, 9);
        ageFullSync(full.accountId(), 8);
        NightlyReport heavy = runNightly();
        assertThat(line(heavy, inc.accountId())).contains("INCREMENTAL (events after the cursor)", "cursor advanced",
                "(2 on the night's changes)");
        assertSameRoster(inc.accountId(), full.accountId());

        // More nights of every kind of change, each applied from the night's change set.
        double[] shares = {0.02, 0.1, 0.03};
        for (int night = 0; night < shares.length; night++) {
            sim.mutations().changeShare(shares[night], 100 + night);
            ageFullSync(full.accountId(), 8);
            NightlyReport report = runNightly();
            assertThat(line(report, inc.accountId())).as("night %d", night).contains("(2 on the night's changes)", "cursor advanced");
            assertSameRoster(inc.accountId(), full.accountId());
        }
    }

    @Test
    void onlyTheImportsTheEventsTouchRun() {
        District inc = district("Selective", 0, 1);
        District full = district("Reference", 0, 1);
        runNightly();
        long import0 = inc.importIds().get(0);
        long import1 = inc.importIds().get(1);

        // A student of school 1's import changes: only that import runs.
        sim.mutations().renameUser(termSections(sim.district().schools().get(1)).get(0).studentIds().getFirst(), "Moved-On");
        ageFullSync(full.accountId(), 8);
        NightlyReport night = runNightly();
        assertThat(status(night, import1)).isEqualTo("COMPLETED");
        assertThat(status(night, import0)).isEqualTo(DistrictNightly.UNCHANGED);
        assertThat(line(night, inc.accountId())).contains("1 event(s), 1 import(s) run (1 on the night's changes), 1 unchanged");
        assertSameRoster(inc.accountId(), full.accountId());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM contact WHERE account_id = ? AND last_name = 'Moved-On'")
                .param(inc.accountId()).query(Long.class).single()).isOne();

        // A parent of school 0's students only (no section event): the import holding its students runs.
        Set<String> students0 = termSections(sim.district().schools().get(0)).stream()
                .flatMap(s -> s.studentIds().stream()).collect(Collectors.toSet());
        Set<String> students1 = termSections(sim.district().schools().get(1)).stream()
                .flatMap(s -> s.studentIds().stream()).collect(Collectors.toSet());
        SimUser parent = sim.district().users(SimUser.CONTACT).stream()
                .filter(c -> !c.relationships().isEmpty()
                        && c.relationships().stream().allMatch(r -> students0.contains(r.studentId()) && !students1.contains(r.studentId()))
                        && c.relationships().stream().noneMatch(r -> "Emergency".equalsIgnoreCase(r.type())))
                .findFirst().orElseThrow();
        sim.mutations().renameUser(parent.id(), "Newname");
        ageFullSync(full.accountId(), 8);
        night = runNightly();
        assertThat(status(night, import0)).isEqualTo("COMPLETED");
        assertThat(status(night, import1)).isEqualTo(DistrictNightly.UNCHANGED);
        assertSameRoster(inc.accountId(), full.accountId());
    }

    /** The term every import of these tests uses: the school's first by id. */
    static List<SimSection> termSections(SimSchool school) {
        SimTerm term = sim.district().termsOf(school.id()).stream().min(Comparator.comparing(SimTerm::id)).orElseThrow();
        return sim.district().sectionsOf(school.id()).stream().filter(s -> term.id().equals(s.termId()))
                .filter(s -> !s.studentIds().isEmpty() && !s.teacherIds().isEmpty()).toList();
    }
}
