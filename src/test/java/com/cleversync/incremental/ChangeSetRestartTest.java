package com.cleversync.incremental;

import com.cleversync.simulator.SimSection;
import com.cleversync.sync.ImportExecutions;
import com.cleversync.sync.NightlyReport;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A nightly import run on the night's change set fails part-way (Clever fails while it reads a newly enrolled
 * user); what it committed before is kept; {@code restart} resumes it on the same change set and completes it;
 * the next night applies the same events again (the cursor did not move) and changes nothing more.
 */
class ChangeSetRestartTest extends NightlyTestSupport {

    @Autowired
    ImportExecutions executions;

    @Test
    void aFailedRunOnAChangeSetIsRestartedOnThatSet() {
        District d = district("Restarted", 0);
        long account = d.accountId();
        long importId = d.importIds().getFirst();
        runNightly();
        String seeded = cursor(account);

        SimSection section = IncrementalNightlyTest.termSections(sim.district().schools().get(0)).get(0);
        String teacher = section.teacherIds().getFirst();
        sim.mutations().renameUser(teacher, "Restarted-Teacher");
        // A student of another school, in another school's list: the import reads it by id, and that read fails.
        String outsider = IncrementalNightlyTest.termSections(sim.district().schools().get(1)).get(0).studentIds().getFirst();
        sim.mutations().enrollStudent(section.id(), outsider);

        sim.faults().failAfter(1, 500);
        NightlyReport failed = nightly.run(1);
        assertThat(line(failed, account)).contains("1 on the night's changes", "cursor not moved");
        JobExecution broken = imports.lastExecution(importId);
        assertThat(broken.getStatus()).isEqualTo(BatchStatus.FAILED);
        Long changeSet = broken.getJobParameters().getLong("changeSet");
        assertThat(changeSet).isNotNull();
        // The teachers step committed before the students step failed: the rename is in, the section not yet staged as a class.
        assertThat(lastNameCount(account, "Restarted-Teacher")).isOne();
        assertThat(stepStatus(broken, "importTeachersStep")).isEqualTo("COMPLETED");
        assertThat(stepStatus(broken, "importStudentsStep")).isEqualTo("FAILED");
        assertThat(cursor(account)).isEqualTo(seeded);

        sim.faults().clear();
        JobExecution restarted = executions.restart(broken.getId(), "manual");
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(broken.getJobInstance().getInstanceId());
        assertThat(restarted.getJobParameters().getLong("changeSet")).isEqualTo(changeSet);
        // The restart resumed at the failed step: the completed ones were not run again.
        assertThat(restarted.getStepExecutions()).extracting(s -> s.getStepName()).doesNotContain("importSectionsStep", "importTeachersStep");
        // The outsider is not at the import's school: not imported, as a full import would not list it.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM contact_clever_user WHERE account_id = ? AND clever_user_id = ?")
                .params(account, outsider).query(Long.class).single()).isZero();

        NightlyReport next = runNightly();
        assertThat(line(next, account)).contains("2 event(s)", "cursor advanced");
        assertThat(cursor(account)).isNotEqualTo(seeded);
        assertThat(lastNameCount(account, "Restarted-Teacher")).isOne();
    }

    private long lastNameCount(long account, String lastName) {
        return jdbc.sql("SELECT COUNT(*) FROM contact WHERE account_id = ? AND last_name = ?").params(account, lastName)
                .query(Long.class).single();
    }

    private static String stepStatus(JobExecution execution, String step) {
        return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(step))
                .map(s -> s.getStatus().name()).findFirst().orElse("NOT RUN");
    }
}
