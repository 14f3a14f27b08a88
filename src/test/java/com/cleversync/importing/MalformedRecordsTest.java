package com.cleversync.importing;

import com.cleversync.simulator.SimSection;
import com.cleversync.simulator.SimUser;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Malformed Clever records are skipped and reported with their id and reason; past the skip limit the run fails. */
class MalformedRecordsTest extends ImportTestSupport {

    @Test
    void aMalformedStudentIsSkippedReportedAndItsEnrollmentsToo() {
        Fixture f = fixture("Malformed");
        SimSection section = sim.district().sectionsOf(f.schoolId()).stream()
                .filter(s -> f.termId().equals(s.termId())).findFirst().orElseThrow();
        String broken = section.studentIds().getFirst();
        sim.faults().malformedRecord(broken);

        JobExecution run = imports.run(f.eventImportId(), RunOptions.manual());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        ImportReport report = imports.report(run.getId());
        assertThat(report.count("students", RunStats.SKIPPED)).isEqualTo(1);
        assertThat(report.issues()).anySatisfy(i -> {
            assertThat(i.entity()).isEqualTo("students");
            assertThat(i.cleverId()).isEqualTo(broken);
            assertThat(i.reason()).contains("malformed");
        });
        assertThat(report.issues()).anySatisfy(i -> {
            assertThat(i.entity()).isEqualTo("class_student");
            assertThat(i.cleverId()).isEqualTo(broken);
        });
        assertThat(count("SELECT COUNT(*) FROM contact_clever_user WHERE clever_user_id = ?", broken)).isZero();
        ExpectedRoster all = expected(f);
        assertThat(contacts(f.accountId(), "STUDENT")).isEqualTo(all.students() - 1);

        // Once Clever serves it properly again, the next sync brings the student in.
        sim.faults().clear();
        assertThat(imports.run(f.eventImportId(), RunOptions.nightly()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertMatches(f, expected(f));
    }

    @Test
    void aContactWithoutAnyIdIsSkippedInTheDistrictReadAndReportedAndTheRestIsStored() {
        Fixture f = fixture("Idless");
        List<String> contacts = sim.district().users(SimUser.CONTACT).stream().map(SimUser::id).sorted().toList();
        sim.faults().recordWithoutId(contacts.get(contacts.size() / 2));

        JobExecution run = imports.run(f.eventImportId(), RunOptions.manual());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        StepExecution step = run.getStepExecutions().stream()
                .filter(s -> s.getStepName().equals("importContactsStep")).findFirst().orElseThrow();
        assertThat(step.getReadSkipCount()).isEqualTo(1);
        assertThat(step.getWriteCount()).isEqualTo(contacts.size() - 1);
        assertThat(count("SELECT COUNT(*) FROM district_contact WHERE account_id = ?", f.accountId())).isEqualTo(contacts.size() - 1);
        assertThat(imports.report(run.getId()).issues()).anySatisfy(i -> {
            assertThat(i.entity()).isEqualTo("parents");
            assertThat(i.cleverId()).isEqualTo("?");
            assertThat(i.reason()).contains("the record has no id");
        });
    }

    @Test
    void moreSkipsThanTheLimitFailTheRun() {
        Fixture f = fixture("Too many");
        List<String> students = sim.district().sectionsOf(f.schoolId()).stream()
                .filter(s -> f.termId().equals(s.termId())).flatMap(s -> s.studentIds().stream()).distinct().limit(5).toList();
        students.forEach(sim.faults()::malformedRecord);

        JobExecution run = imports.run(f.eventImportId(), RunOptions.manual());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(classes(f.eventId())).isZero();
    }
}
