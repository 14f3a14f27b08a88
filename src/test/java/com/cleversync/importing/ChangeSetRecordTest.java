package com.cleversync.importing;

import com.cleversync.clever.CleverEvent;
import com.cleversync.clever.CleverName;
import com.cleversync.clever.CleverSection;
import com.cleversync.clever.CleverUser;
import com.cleversync.support.DatabaseTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A night's events are recorded page by page, each record's latest state winning; a page's users are read the same way. */
class ChangeSetRecordTest extends DatabaseTest {

    private static CleverEvent user(String eventId, String type, String userId, String lastName) {
        CleverUser u = new CleverUser(userId, "d1", userId + "@example.org", new CleverName("Ana", null, lastName),
                null, new CleverUser.Teacher("T-" + userId, null, null, null, "s1", List.of("s1")), null, false, false);
        return new CleverEvent(eventId, type, Instant.parse("2026-11-29T01:00:00Z"), u, null, null, null, Set.of());
    }

    @Test
    void theLatestEventOfARecordWinsAcrossPages() {
        jdbcTemplate.update("INSERT INTO account (name, time_zone) VALUES ('recorded changes', 'UTC')");
        long account = jdbcTemplate.queryForObject("SELECT id FROM account WHERE name = 'recorded changes'", Long.class);
        long set = ChangeSet.create(jdbcTemplate, account, Duration.ofDays(7));
        // Payloads with a tab, a newline, a backslash and a quote.
        ChangeSet.record(jdbcTemplate, set, List.of(user("e1", "users.created", "u1", "First\tname"),
                user("e2", "users.created", "u2", "O'Brien \\ Jr.\nII")));
        ChangeSet.record(jdbcTemplate, set, List.of(user("e3", "users.updated", "u1", "Second"),
                user("e4", "users.deleted", "u2", "O'Brien \\ Jr.\nII")));

        ChangeSet changes = ChangeSet.load(jdbcTemplate, set);

        assertThat(changes.users()).containsOnlyKeys("u1");
        assertThat(changes.users().get("u1").name().last()).isEqualTo("Second");
        assertThat(changes.deletedUsers()).containsExactly("u2");
        assertThat(jdbcTemplate.queryForObject("SELECT COUNT(*) FROM nightly_change WHERE change_set_id = ?", Integer.class, set))
                .isEqualTo(2);
        assertThat(jdbcTemplate.queryForObject("SELECT payload FROM nightly_change WHERE change_set_id = ? AND clever_id = 'u2'",
                String.class, set)).contains("O'Brien \\\\ Jr.\\nII");
    }

    @Test
    void aPagesUsersAreItsLatestStatesAsRecorded() {
        CleverEvent section = new CleverEvent("e0", "sections.created", Instant.parse("2026-11-29T01:00:00Z"), null,
                new CleverSection("sec1", null, null, null, null, null, null, null, null, null, null, null, List.of(), List.of()),
                null, null, Set.of());
        ChangeSet.Users users = ChangeSet.users(List.of(section, user("e1", "users.created", "u1", "First"),
                user("e2", "users.deleted", "u2", "Gone"), user("e3", "users.updated", "u1", "Second"),
                user("e4", "users.deleted", "u3", "Left"), user("e5", "users.created", "u3", "Back"),
                user("e6", "users.updated", "u4", "Later"), user("e7", "users.deleted", "u4", "Later")));

        assertThat(users.changed()).extracting(CleverUser::id).containsExactlyInAnyOrder("u1", "u3");
        assertThat(users.changed()).filteredOn(u -> u.id().equals("u1")).extracting(u -> u.name().last()).containsExactly("Second");
        assertThat(users.deleted()).containsExactlyInAnyOrder("u2", "u4");
    }
}
