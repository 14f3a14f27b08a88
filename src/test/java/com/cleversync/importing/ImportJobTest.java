package com.cleversync.importing;

import com.cleversync.simulator.SimSection;
import com.cleversync.support.BookingChecksum;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import job end to end: the simulator over HTTP, the real database, real Spring Batch executions.
 */
class ImportJobTest extends ImportTestSupport {

    @Test
    void importBringsInExactlyTheSchoolsTermAndASecondRunChangesNothing() {
        Fixture f = fixture("District A");
        ExpectedRoster expected = expected(f);
        assertThat(expected.classes()).isGreaterThan(3);
        assertThat(expected.parents()).isGreaterThan(10);

        JobExecution first = imports.run(f.eventImportId(), RunOptions.manual());
        assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertMatches(f, expected);
        ImportReport report = imports.report(first.getId());
        assertThat(report.count("classes", RunStats.CREATED)).isEqualTo(expected.classes());
        assertThat(report.count("parents", RunStats.MERGED)).as("parents entered twice in Clever are folded").isPositive();
        assertThat(count("SELECT COUNT(*) FROM school WHERE account_id = ? AND detached_at IS NULL", f.accountId())).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM import_stage_section")).as("staging is cleared").isZero();
        String checksum = BookingChecksum.of(jdbcTemplate, f.accountId());
        StepExecution contacts = first.getStepExecutions().stream()
                .filter(s -> s.getStepName().equals("importContactsStep")).findFirst().orElseThrow();
        long stored = count("SELECT COUNT(*) FROM district_contact WHERE account_id = ?", f.accountId());
        assertThat(stored).isGreaterThan(contacts.getCommitCount());
        assertThat(contacts.getReadCount()).as("the step counts contacts, not the batches it takes them in").isEqualTo(stored);
        assertThat(contacts.getWriteCount()).isEqualTo(stored);

        JobExecution second = imports.run(f.eventImportId(), RunOptions.nightly());
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        ImportReport again = imports.report(second.getId());
        assertThat(again.allUnchanged()).as(again.format()).isTrue();
        assertThat(again.count("students", RunStats.UNCHANGED)).isEqualTo(expected.students());
        assertThat(BookingChecksum.of(jdbcTemplate, f.accountId())).isEqualTo(checksum);
    }

    @Test
    void hiddenClassesStayHiddenAndDeletedClassesComeBack() {
        Fixture f = fixture("District B");
        imports.run(f.eventImportId(), RunOptions.manual());
        long hidden = count("SELECT MIN(id) FROM event_class WHERE event_id = ?", f.eventId());
        long deleted = count("SELECT MAX(id) FROM event_class WHERE event_id = ?", f.eventId());
        jdbcTemplate.update("UPDATE event_class SET type = 'HIDE' WHERE id = ?", hidden);
        jdbcTemplate.update("UPDATE event_class SET deleted_at = CURRENT_TIMESTAMP(3) WHERE id = ?", deleted);

        sim.mutations().renameUser(sim.district().sectionsOf(f.schoolId()).getFirst().teacherIds().getFirst(), "Renamed");
        JobExecution sync = imports.run(f.eventImportId(), RunOptions.nightly());

        assertThat(sync.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbcTemplate.queryForObject("SELECT type FROM event_class WHERE id = ?", String.class, hidden)).isEqualTo("HIDE");
        assertThat(count("SELECT COUNT(*) FROM event_class WHERE id = ? AND deleted_at IS NULL", deleted)).isEqualTo(1);
        assertThat(imports.report(sync.getId()).count("classes", RunStats.RESTORED)).isEqualTo(1);
        imports.run(f.eventImportId(), RunOptions.nightly());
        assertThat(jdbcTemplate.queryForObject("SELECT type FROM event_class WHERE id = ?", String.class, hidden)).isEqualTo("HIDE");
    }

    @Test
    void reconcileFollowsCleverDeletionsAndAdditions() {
        Fixture f = fixture("District C");
        imports.run(f.eventImportId(), RunOptions.manual());
        SimSection[] sections = sim.district().sectionsOf(f.schoolId()).stream()
                .filter(s -> f.termId().equals(s.termId())).toArray(SimSection[]::new);
        SimSection gone = sections[0];
        SimSection shrinking = sections[1];
        String dropped = shrinking.studentIds().getFirst();
        sim.mutations().deleteSection(gone.id());
        sim.mutations().dropStudentFromSection(shrinking.id(), dropped);
        String added = sim.mutations().addStudentToSection(sections[2].id());

        JobExecution sync = imports.run(f.eventImportId(), RunOptions.nightly());

        assertThat(sync.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertMatches(f, expected(f));
        assertThat(count("SELECT COUNT(*) FROM event_class WHERE clever_section_id = ?", gone.id())).isZero();
        assertThat(count("""
                SELECT COUNT(*) FROM class_student cs JOIN event_class ec ON ec.id = cs.class_id
                JOIN contact_clever_user ccu ON ccu.contact_id = cs.contact_id
                WHERE ec.clever_section_id = ? AND ccu.clever_user_id = ?""", shrinking.id(), dropped)).isZero();
        assertThat(count("SELECT COUNT(*) FROM contact_clever_user WHERE clever_user_id = ?", added)).isEqualTo(1);
        ImportReport report = imports.report(sync.getId());
        assertThat(report.count("classes", RunStats.REMOVED)).isEqualTo(1);
        assertThat(report.count("students", RunStats.CREATED)).isEqualTo(1);
    }

    @Test
    void massRemovalGuardStopsARunThatWouldEmptyTheImport() {
        Fixture f = fixture("District D");
        imports.run(f.eventImportId(), RunOptions.manual());
        String before = BookingChecksum.of(jdbcTemplate, f.accountId());
        sim.mutations().emptySchoolSections(f.schoolId());

        JobExecution guarded = imports.run(f.eventImportId(), RunOptions.nightly());

        assertThat(guarded.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(guarded.getExitStatus().getExitDescription()).contains("nothing was removed", "--allow-mass-removal");
        assertThat(BookingChecksum.of(jdbcTemplate, f.accountId())).isEqualTo(before);

        JobExecution restartedWithoutOverride = imports.run(f.eventImportId(), RunOptions.nightly());
        assertThat(restartedWithoutOverride.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(BookingChecksum.of(jdbcTemplate, f.accountId())).isEqualTo(before);

        JobExecution overridden = imports.run(f.eventImportId(), new RunOptions(true, "manual"));
        assertThat(overridden.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(classes(f.eventId())).isEqualTo(expected(f).classes());
    }

    @Test
    void anImportWhoseTermVanishedFailsBeforeReadingTeachersAndChangesNothing() {
        Fixture f = fixture("District T");
        imports.run(f.eventImportId(), RunOptions.manual());
        String before = BookingChecksum.of(jdbcTemplate, f.accountId());
        long requestsBefore = sim.requests().total();
        sim.mutations().deleteTerm(f.termId());

        JobExecution run = imports.run(f.eventImportId(), RunOptions.nightly());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(run.getExitStatus().getExitDescription())
                .contains("term " + f.termId() + " no longer exists at Clever", "nothing was changed", "import the new term");
        assertThat(run.getStepExecutions()).extracting(StepExecution::getStepName)
                .as("the check runs before the teachers are read").containsExactly("importSectionsStep", "importTeachersStep");
        assertThat(sim.requests().total() - requestsBefore).as("sections, then the school and the term").isEqualTo(3);
        assertThat(BookingChecksum.of(jdbcTemplate, f.accountId())).isEqualTo(before);
    }

    @Test
    void aReadFailureRemovesNothingAndTheRestartCompletesTheSync() {
        Fixture f = fixture("District E");
        imports.run(f.eventImportId(), RunOptions.manual());
        String before = BookingChecksum.of(jdbcTemplate, f.accountId());
        SimSection gone = sim.district().sectionsOf(f.schoolId()).stream()
                .filter(s -> f.termId().equals(s.termId())).findFirst().orElseThrow();
        sim.mutations().deleteSection(gone.id());
        sim.faults().failAfter(6, 503);

        JobExecution failed = imports.run(f.eventImportId(), RunOptions.nightly());

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(BookingChecksum.lines(jdbcTemplate, f.accountId()))
                .as("a failed read removes nothing").anyMatch(l -> l.contains(gone.id()));
        assertThat(count("SELECT COUNT(*) FROM event_class WHERE clever_section_id = ?", gone.id())).isEqualTo(1);

        sim.faults().clear();
        JobExecution restarted = imports.run(f.eventImportId(), RunOptions.nightly());
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
        assertThat(count("SELECT COUNT(*) FROM event_class WHERE clever_section_id = ?", gone.id())).isZero();
        assertMatches(f, expected(f));
        assertThat(BookingChecksum.of(jdbcTemplate, f.accountId())).isNotEqualTo(before);
    }

    @Test
    void aRunKilledPartWayAndRestartedEndsExactlyLikeAnUninterruptedRun() {
        Fixture clean = fixture("Uninterrupted");
        assertThat(imports.run(clean.eventImportId(), RunOptions.manual()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        String uninterrupted = BookingChecksum.of(jdbcTemplate, clean.accountId()).toString();
        long requestsUninterrupted = sim.requests().total();
        cleanAllTables(jdbcTemplate);

        Fixture f = fixture("Uninterrupted");
        sim.requests().reset();
        // Fail while the district's contacts are read (their 6th page), after chunks of teachers and students have
        // committed. The run asks for the school and term only when no section is listed, so that is request 11.
        sim.faults().failAfter(10, 500);
        JobExecution failed = imports.run(f.eventImportId(), RunOptions.manual());
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        long committedContacts = count("SELECT COUNT(*) FROM contact WHERE account_id = ?", f.accountId());
        assertThat(committedContacts).as("some chunks committed before the failure").isPositive();
        assertThat(classes(f.eventId())).as("classes are written only after every read step").isZero();

        sim.faults().clear();
        JobExecution restarted = imports.run(f.eventImportId(), RunOptions.manual());

        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
        assertThat(BookingChecksum.of(jdbcTemplate, f.accountId())).isEqualTo(uninterrupted);
        assertThat(sim.requests().total()).as("the restart resumed instead of reading everything again")
                .isLessThan(requestsUninterrupted + 12);
    }
}
