package com.cleversync.security;

import com.cleversync.importing.RunOptions;
import com.cleversync.reliability.SimulatedDistrictTest;
import com.cleversync.simulator.SimUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Students' and parents' personal data (names, emails, phone numbers) stays out of the log at the production
 * level (INFO), also when records are retried, skipped as malformed and removed.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataLoggingTest extends SimulatedDistrictTest {

    @Test
    void anImportLogsNoStudentOrParentPersonalData(CapturedOutput output) {
        Fixture f = fixture();
        SimUser student = sim.district().users(SimUser.STUDENT).getFirst();
        sim.faults().malformedRecord(sim.district().users(SimUser.STUDENT).get(1).id());
        sim.faults().serverErrorRate(0.1);
        int before = output.length();

        assertThat(imports.run(f.eventImportId(), RunOptions.manual()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        sim.faults().clear();
        sim.mutations().renameUser(student.id(), "Renamedlastname");
        sim.mutations().dropStudentFromSection(firstSection(f).id(), firstSection(f).studentIds().getFirst());
        assertThat(imports.run(f.eventImportId(), RunOptions.nightly()).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        String log = output.toString().substring(before);
        assertThat(log).as("the import did log at INFO").contains("import " + f.eventImportId() + " ended COMPLETED");
        List<String> personal = new ArrayList<>();
        for (SimUser u : Stream.concat(sim.district().users(SimUser.STUDENT).stream(), sim.district().users(SimUser.CONTACT).stream()).toList()) {
            if (u.email() != null) {
                personal.add(u.email());
            }
            if (u.first() != null && u.last() != null) {
                personal.add(u.first() + " " + u.last());
            }
            if (u.last() != null && u.last().contains(" ")) {
                personal.add(u.last());
            }
            if (u.phone() != null && !u.phone().isBlank()) {
                personal.add(u.phone());
            }
        }
        personal.add("Renamedlastname");
        assertThat(personal).hasSizeGreaterThan(100);
        assertThat(personal.stream().filter(log::contains).toList()).as("personal data in the INFO log").isEmpty();
    }
}
