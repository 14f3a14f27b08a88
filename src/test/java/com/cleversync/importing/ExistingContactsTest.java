package com.cleversync.importing;

import com.cleversync.simulator.SimSection;
import com.cleversync.simulator.SimUser;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contacts imported earlier from CSV files (source MANUAL, the school's own ids in external_id) are matched,
 * not duplicated; two candidates for one person are reported as ambiguous and never guessed.
 */
class ExistingContactsTest extends ImportTestSupport {

    @Test
    void csvContactsAreMatchedBySchoolIdOrEmailAndAmbiguityIsReported() {
        Fixture f = fixture("District M");
        SimSection section = sim.district().sectionsOf(f.schoolId()).stream()
                .filter(s -> f.termId().equals(s.termId())).findFirst().orElseThrow();
        SimUser teacher = sim.district().user(section.teacherIds().getFirst()).orElseThrow();
        SimUser bySisId = sim.district().user(section.studentIds().get(0)).orElseThrow();
        SimUser byNumber = sim.district().user(section.studentIds().get(1)).orElseThrow();
        SimUser ambiguous = sim.district().user(section.studentIds().get(2)).orElseThrow();
        SimUser parent = sim.district().users(SimUser.CONTACT).stream()
                .filter(c -> c.email() != null && !c.email().isBlank())
                .filter(c -> c.relationships().stream().anyMatch(r -> section.studentIds().contains(r.studentId())
                        && !"Emergency".equalsIgnoreCase(r.type())))
                .findFirst().orElseThrow();

        long manualTeacher = manual(f.accountId(), "TEACHER", "HOST", teacher.teacherSisId(), null);
        long manualSis = manual(f.accountId(), "STUDENT", "CUSTOMER", bySisId.studentSisId(), null);
        long manualNumber = manual(f.accountId(), "STUDENT", "CUSTOMER", byNumber.studentNumber(), null);
        long twinA = manual(f.accountId(), "STUDENT", "CUSTOMER", "csv-1", ambiguous.email());
        long twinB = manual(f.accountId(), "STUDENT", "CUSTOMER", "csv-2", ambiguous.email());
        long manualParent = manual(f.accountId(), "PARENT", "CUSTOMER", "p-77", "  " + parent.email().toUpperCase() + " ");
        assertThat(ambiguous.email()).isNotBlank();

        JobExecution run = imports.run(f.eventImportId(), RunOptions.manual());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(linkedContact(teacher.id())).isEqualTo(manualTeacher);
        assertThat(linkedContact(bySisId.id())).isEqualTo(manualSis);
        assertThat(linkedContact(byNumber.id())).isEqualTo(manualNumber);
        assertThat(linkedContact(parent.id())).isEqualTo(manualParent);
        long created = linkedContact(ambiguous.id());
        assertThat(created).isNotIn(twinA, twinB);
        assertThat(jdbcTemplate.queryForObject("SELECT external_id FROM contact WHERE id = ?", String.class, manualSis))
                .as("the school's own id is kept").isEqualTo(bySisId.studentSisId());
        assertThat(jdbcTemplate.queryForObject("SELECT source FROM contact WHERE id = ?", String.class, manualTeacher)).isEqualTo("MANUAL");

        ImportReport report = imports.report(run.getId());
        assertThat(report.count("students", RunStats.MATCHED)).isEqualTo(2);
        assertThat(report.count("students", RunStats.AMBIGUOUS)).isEqualTo(1);
        assertThat(report.count("teachers", RunStats.MATCHED)).isEqualTo(1);
        assertThat(report.count("parents", RunStats.MATCHED)).isGreaterThanOrEqualTo(1);
        assertThat(report.issues()).anySatisfy(i -> {
            assertThat(i.kind()).isEqualTo("AMBIGUOUS");
            assertThat(i.cleverId()).isEqualTo(ambiguous.id());
            assertThat(i.reason()).contains(Long.toString(twinA), Long.toString(twinB));
        });
        assertThat(report.format()).contains("AMBIGUOUS", ambiguous.id());

        // Next night: nothing new is matched or created; the links hold.
        JobExecution again = imports.run(f.eventImportId(), RunOptions.nightly());
        ImportReport second = imports.report(again.getId());
        assertThat(second.allUnchanged()).as(second.format()).isTrue();
        assertThat(second.count("students", RunStats.AMBIGUOUS)).isZero();
        assertThat(count("SELECT COUNT(*) FROM contact WHERE account_id = ? AND kind = 'STUDENT' AND source = 'CLEVER'", f.accountId()))
                .isEqualTo(expected(f).students() - 2);
        assertThat(List.of(twinA, twinB)).allSatisfy(id ->
                assertThat(count("SELECT COUNT(*) FROM contact WHERE id = ? AND removed_at IS NULL", id)).isEqualTo(1));
    }

    /**
     * One parent entered twice in the SIS, the second time without accents, no email, the same phone: the two Clever
     * users are one contact. The database compares names accent- and case-insensitively, so the two must be folded
     * in the chunk that holds both too, or the second insert breaks the dedupe key and the run fails every night.
     */
    @Test
    void aParentEnteredTwiceWithAndWithoutAccentsIsOneContact() {
        Fixture f = fixture("District A");
        Set<String> students = new HashSet<>();
        sim.district().sectionsOf(f.schoolId()).stream().filter(s -> f.termId().equals(s.termId()))
                .forEach(s -> students.addAll(s.studentIds()));
        // The parents step reads the school's contacts in id order: the first two share its first chunk.
        List<SimUser> related = sim.district().users(SimUser.CONTACT).stream()
                .filter(c -> c.relationships().stream().anyMatch(r -> students.contains(r.studentId())
                        && !"Emergency".equalsIgnoreCase(r.type())))
                .sorted(Comparator.comparing(SimUser::id)).limit(2).toList();
        assertThat(related).hasSize(2);
        sim.mutations().changeContactDetails(related.get(0).id(), "José Núñez", null, "555-010-2030");
        sim.mutations().changeContactDetails(related.get(1).id(), "JOSE NUNEZ", "", "(555) 010 2030");

        JobExecution run = imports.run(f.eventImportId(), RunOptions.manual());

        assertThat(run.getStatus()).as(run.getExitStatus().getExitDescription()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(linkedContact(related.get(1).id())).isEqualTo(linkedContact(related.get(0).id()));
        assertThat(imports.report(run.getId()).count("parents", RunStats.MERGED)).isPositive();
        assertThat(count("SELECT COUNT(*) FROM import_run_issue WHERE clever_id = ? AND kind = 'MERGED'", related.get(1).id())).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM contact WHERE account_id = ? AND kind = 'PARENT'", f.accountId()))
                .isEqualTo(expected(f).parents());
        JobExecution again = imports.run(f.eventImportId(), RunOptions.nightly());
        assertThat(imports.report(again.getId()).allUnchanged()).isTrue();
    }

    /**
     * Another import of the account, running at the same time, links one of this import's students to a contact of
     * its own while this import's chunk waits for it: the student ends up with the other run's contact only, and the
     * contact the chunk had created for it is gone again.
     */
    @Test
    void aStudentAnotherRunLinksMeanwhileGetsThatRunsContactNotASecondOne() throws Exception {
        Fixture f = fixture("District R");
        String student = firstStudent(f);
        long otherContact = whileAnotherRunHolds(f, "STUDENT", student, null);

        assertThat(linkedContact(student)).isEqualTo(otherContact);
        assertThat(count("SELECT COUNT(*) FROM contact WHERE account_id = ? AND clever_user_id = ?", f.accountId(), student)).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM class_student WHERE contact_id = ?", otherContact)).isPositive();
        assertNoUnlinkedContacts(f);
        assertMatches(f, expected(f));
    }

    /**
     * The other run created the same person (same dedupe key: a parent's email, or name and phone) under another
     * Clever user and has not committed yet: the chunk's insert waits for it, is refused, and the parent is folded
     * into the other run's contact.
     */
    @Test
    void aParentAnotherRunCreatesMeanwhileIsFoldedIntoThatRunsContact() throws Exception {
        Fixture reference = fixture("District K");
        assertThat(imports.run(reference.eventImportId(), RunOptions.manual()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Fixture f = fixture("District D");
        Map<String, Object> withKey = jdbcTemplate.queryForMap("""
                SELECT clever_user_id, dedupe_key FROM contact WHERE account_id = ? AND kind = 'PARENT' AND dedupe_key IS NOT NULL
                ORDER BY clever_user_id LIMIT 1""", reference.accountId());
        String parent = (String) withKey.get("clever_user_id");
        String dedupeKey = (String) withKey.get("dedupe_key");

        long otherContact = whileAnotherRunHolds(f, "PARENT", "another-clever-user", dedupeKey);

        assertThat(count("SELECT contact_id FROM contact_clever_user WHERE account_id = ? AND clever_user_id = ?", f.accountId(), parent))
                .isEqualTo(otherContact);
        assertThat(count("SELECT COUNT(*) FROM contact WHERE account_id = ? AND dedupe_key = ?", f.accountId(), dedupeKey)).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM student_parent WHERE parent_id = ?", otherContact)).isPositive();
        assertNoUnlinkedContacts(f);
    }

    private String firstStudent(Fixture f) {
        return sim.district().sectionsOf(f.schoolId()).stream().filter(s -> f.termId().equals(s.termId()))
                .flatMap(s -> s.studentIds().stream()).sorted().findFirst().orElseThrow();
    }

    /**
     * Another run's transaction creates a contact of {@code kind} (with {@code dedupeKey}) linked to {@code cleverUserId}; the
     * import runs meanwhile and waits for it, then it commits. Returns that contact once the import completed.
     */
    private long whileAnotherRunHolds(Fixture f, String kind, String cleverUserId, String dedupeKey) throws Exception {
        try (Connection other = jdbcTemplate.getDataSource().getConnection()) {
            other.setAutoCommit(false);
            long otherContact;
            try (PreparedStatement insert = other.prepareStatement("""
                    INSERT INTO contact (account_id, kind, access_level, first_name, last_name, source, clever_user_id, dedupe_key)
                    VALUES (?, ?, ?, 'Other', 'Run', 'CLEVER', ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                insert.setLong(1, f.accountId());
                insert.setString(2, kind);
                insert.setString(3, "CUSTOMER");
                insert.setString(4, cleverUserId);
                insert.setString(5, dedupeKey);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    otherContact = keys.getLong(1);
                }
            }
            try (PreparedStatement link = other.prepareStatement(
                    "INSERT INTO contact_clever_user (account_id, clever_user_id, contact_id) VALUES (?, ?, ?)")) {
                link.setLong(1, f.accountId());
                link.setString(2, cleverUserId);
                link.setLong(3, otherContact);
                link.executeUpdate();
            }
            CompletableFuture<JobExecution> run = CompletableFuture.supplyAsync(() -> imports.run(f.eventImportId(), RunOptions.manual()));
            awaitALockWait();
            assertThat(run).as("the import finished without waiting for the other run").isNotDone();
            other.commit();

            JobExecution done = run.get(60, TimeUnit.SECONDS);
            assertThat(done.getStatus()).as(done.getExitStatus().getExitDescription()).isEqualTo(BatchStatus.COMPLETED);
            return otherContact;
        }
    }

    private void assertNoUnlinkedContacts(Fixture f) {
        assertThat(count("""
                SELECT COUNT(*) FROM contact c WHERE c.account_id = ?
                  AND NOT EXISTS (SELECT 1 FROM contact_clever_user ccu WHERE ccu.contact_id = c.id)""", f.accountId()))
                .as("contacts no Clever user is linked to").isZero();
    }

    private long manual(long account, String kind, String level, String externalId, String email) {
        jdbcTemplate.update("""
                INSERT INTO contact (account_id, kind, access_level, first_name, last_name, email, email_norm, external_id, source)
                VALUES (?, ?, ?, 'Csv', 'Person', ?, LOWER(TRIM(?)), ?, 'MANUAL')""", account, kind, level, email, email, externalId);
        return count("SELECT MAX(id) FROM contact");
    }

    private long linkedContact(String cleverUserId) {
        return count("SELECT contact_id FROM contact_clever_user WHERE clever_user_id = ?", cleverUserId);
    }
}
