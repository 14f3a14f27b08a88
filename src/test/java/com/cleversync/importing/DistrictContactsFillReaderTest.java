package com.cleversync.importing;

import com.cleversync.clever.CleverClient;
import com.cleversync.clever.CleverCredentials;
import com.cleversync.clever.CleverProperties;
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
        for (DistrictContacts.Prepared p = reader.read(); p != null; p = reader.read()) {
            ids.add(p.id());
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
        List<String> handedOut = List.of(first.read().id(), first.read().id(), first.read().id());
        Thread.sleep(200); // the thread reading ahead has taken further contacts meanwhile
        first.update(saved);
        first.close();
        assertThat(handedOut).containsExactlyElementsOf(expected.subList(0, 3));
        assertThat(saved.getString("contactsReader.starting_after")).isEqualTo(expected.get(2));

        DistrictContactsFillReader restarted = reader(7001);
        restarted.open(saved);
        List<String> rest = readAll(restarted);
        restarted.close();
        assertThat(rest).containsExactlyElementsOf(expected.subList(3, expected.size()));
    }

    @Test
    void theContactsComePreparedForTheStoreInCleversOrder() {
        List<String> expected = sim.district().users(SimUser.CONTACT).stream().map(SimUser::id).sorted().toList();
        DistrictContactsFillReader reader = reader(7002);
        reader.open(new ExecutionContext());
        List<DistrictContacts.Prepared> all = new ArrayList<>();
        for (DistrictContacts.Prepared p = reader.read(); p != null; p = reader.read()) {
            all.add(p);
        }
        reader.close();
        assertThat(all).extracting(DistrictContacts.Prepared::id).containsExactlyElementsOf(expected);

        store.writePrepared(reader.districtRead(), all);
        assertThat(jdbcTemplate.queryForObject("SELECT COUNT(*) FROM district_contact WHERE account_id = ?", Long.class, account))
                .isEqualTo(expected.size());
    }
}
