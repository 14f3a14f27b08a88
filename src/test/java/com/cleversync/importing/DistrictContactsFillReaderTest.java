package com.cleversync.importing;

import com.cleversync.clever.CleverClient;
import com.cleversync.clever.CleverCredentials;
import com.cleversync.clever.CleverProperties;
import com.cleversync.clever.MalformedRecordException;
import com.cleversync.simulator.SimUser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The district read's reader maps and prepares the contacts a chunk ahead on a thread of its own: what it saves for
 * a restart is still the last contact it handed to the step, so a new reader resumes right after it.
 */
class DistrictContactsFillReaderTest extends ImportTestSupport {

    @Autowired
    DistrictContacts store;

    long account;

    @BeforeEach
    void account() {
        jdbcTemplate.update("INSERT INTO account (name, time_zone) VALUES ('fill', 'UTC')");
        account = jdbcTemplate.queryForObject("SELECT MAX(id) FROM account WHERE name = 'fill'", Long.class);
    }

    private DistrictContactsFillReader reader(long jobInstanceId) {
        CleverClient client = new CleverClient(CleverProperties.defaults(sim.baseUrl()).withPageLimit(7), new SimpleMeterRegistry());
        CleverCredentials credentials = new CleverCredentials("Demo District", sim.settings().token());
        ImportContext ctx = new ImportContext(0, jobInstanceId, account, 0, 0, null, null, credentials, null);
        return new DistrictContactsFillReader(client.users(credentials, "contact"), store, ctx, true, "fill-" + account,
                Duration.ZERO, false, 2, 5);
    }

    private static List<String> readAll(DistrictContactsFillReader reader) {
        List<String> ids = new ArrayList<>();
        for (List<DistrictContacts.Prepared> batch = reader.read(); batch != null; batch = reader.read()) {
            batch.forEach(p -> ids.add(p.id()));
        }
        return ids;
    }

    @Test
    void aRestartResumesAfterTheLastContactHandedOutNotAfterThoseReadAhead() throws Exception {
        List<String> expected = sim.district().users(SimUser.CONTACT).stream().map(SimUser::id).sorted().toList();
        assertThat(expected).hasSizeGreaterThan(20);

        ExecutionContext saved = new ExecutionContext();
        DistrictContactsFillReader first = reader(7001);
        first.open(saved);
        List<String> handedOut = new ArrayList<>();
        first.read().forEach(p -> handedOut.add(p.id()));
        first.read().forEach(p -> handedOut.add(p.id()));
        Thread.sleep(200); // the thread reading ahead has taken further contacts meanwhile
        first.update(saved);
        first.close();
        // Batches of the chunk size (2), one item each for the step.
        assertThat(handedOut).containsExactlyElementsOf(expected.subList(0, 4));
        assertThat(saved.getString("contactsReader.starting_after")).isEqualTo(expected.get(3));

        DistrictContactsFillReader restarted = reader(7001);
        restarted.open(saved);
        List<String> rest = readAll(restarted);
        restarted.close();
        assertThat(rest).containsExactlyElementsOf(expected.subList(4, expected.size()));
    }

    @Test
    void aContactWithoutAnIdEndsItsBatchAndIsThrownForTheStepToSkipThenTheReadGoesOn() {
        List<String> expected = sim.district().users(SimUser.CONTACT).stream().map(SimUser::id).sorted().toList();
        sim.faults().recordWithoutId(expected.get(1));
        DistrictContactsFillReader reader = reader(7003);
        reader.open(new ExecutionContext());

        assertThat(reader.read()).extracting(DistrictContacts.Prepared::id).containsExactly(expected.getFirst());
        assertThatThrownBy(reader::read).isInstanceOf(MalformedRecordException.class)
                .satisfies(e -> assertThat(((MalformedRecordException) e).recordId()).isNull());
        List<String> rest = readAll(reader);
        reader.close();
        assertThat(rest).containsExactlyElementsOf(expected.subList(2, expected.size()));
    }

    @Test
    void theContactsComePreparedForTheStoreInCleversOrder() {
        List<String> expected = sim.district().users(SimUser.CONTACT).stream().map(SimUser::id).sorted().toList();
        DistrictContactsFillReader reader = reader(7002);
        reader.open(new ExecutionContext());
        List<DistrictContacts.Prepared> all = new ArrayList<>();
        for (List<DistrictContacts.Prepared> batch = reader.read(); batch != null; batch = reader.read()) {
            assertThat(batch).hasSizeLessThanOrEqualTo(2);
            all.addAll(batch);
        }
        reader.close();
        assertThat(all).extracting(DistrictContacts.Prepared::id).containsExactlyElementsOf(expected);

        store.writePrepared(reader.districtRead(), all);
        assertThat(jdbcTemplate.queryForObject("SELECT COUNT(*) FROM district_contact WHERE account_id = ?", Long.class, account))
                .isEqualTo(expected.size());
    }
}
