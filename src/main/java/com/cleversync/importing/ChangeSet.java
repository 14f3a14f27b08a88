package com.cleversync.importing;

import com.cleversync.clever.CleverEvent;
import com.cleversync.clever.CleverSection;
import com.cleversync.clever.CleverUser;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sections and users one incremental night's events changed ({@code nightly_change}, V10): for each, its
 * latest state, or that it was deleted. The nightly records them once per district; each import it runs on them
 * ({@link ChangeScope}) applies them instead of re-reading its school. A night's worth of changes, not a district's.
 */
public final class ChangeSet {

    static final String SECTIONS = "sections";
    static final String USERS = "users";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, CleverSection> sections;
    private final Set<String> deletedSections;
    private final Map<String, CleverUser> users;
    private final Set<String> deletedUsers;

    private ChangeSet(Map<String, CleverSection> sections, Set<String> deletedSections, Map<String, CleverUser> users,
                      Set<String> deletedUsers) {
        this.sections = sections;
        this.deletedSections = deletedSections;
        this.users = users;
        this.deletedUsers = deletedUsers;
    }

    /** A new, empty change set of the account; deletes the account's sets older than {@code keep}. */
    public static long create(JdbcTemplate jdbc, long accountId, Duration keep) {
        jdbc.update("DELETE FROM nightly_change_set WHERE account_id = ? AND created_at < CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND",
                accountId, keep.toSeconds());
        // The key its own INSERT generated: outside a transaction, a second statement (SELECT LAST_INSERT_ID()) may run
        // on another of the pool's connections.
        var keys = new GeneratedKeyHolder();
        JdbcClient.create(jdbc).sql("INSERT INTO nightly_change_set (account_id) VALUES (?)").param(accountId).update(keys);
        return keys.getKey().longValue();
    }

    public static void drop(JdbcTemplate jdbc, long changeSetId) {
        jdbc.update("DELETE FROM nightly_change_set WHERE id = ?", changeSetId);
    }

    /**
     * Records a page of events, in their order: a later event of the same record replaces an earlier one. Only
     * sections and users are kept (the other kinds make the nightly run a full import instead).
     */
    public static void record(JdbcTemplate jdbc, long changeSetId, List<CleverEvent> events) {
        List<Object[]> rows = new ArrayList<>();
        latest(events).forEach((key, e) -> rows.add(new Object[] {changeSetId, key.getFirst(), key.getLast(),
                "deleted".equals(e.action()), JSON.writeValueAsString(USERS.equals(key.getFirst()) ? e.user() : e.section())}));
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO nightly_change (change_set_id, record_type, clever_id, deleted, payload) VALUES (?, ?, ?, ?, ?)
                    ON DUPLICATE KEY UPDATE deleted = VALUES(deleted), payload = VALUES(payload)""", rows);
        }
    }

    /**
     * The latest event of each section and user among these, keyed by (record type, Clever id), in the order of those
     * latest events: what {@link #record} keeps of a page.
     */
    private static Map<List<String>, CleverEvent> latest(List<CleverEvent> events) {
        Map<List<String>, CleverEvent> latest = new LinkedHashMap<>();
        for (CleverEvent e : events) {
            Object record = switch (e.recordType()) {
                case SECTIONS -> e.section();
                case USERS -> e.user();
                default -> null;
            };
            if (record == null) {
                continue;
            }
            List<String> key = List.of(e.recordType(), e.section() != null ? e.section().id() : e.user().id());
            latest.remove(key);
            latest.put(key, e);
        }
        return latest;
    }

    /** The users a page of events changed (each one's latest state) and deleted, as {@link #record} keeps them. */
    public record Users(Collection<CleverUser> changed, Set<String> deleted) {
    }

    /** The users these events changed and deleted: a later event of the same user replaces an earlier one. */
    public static Users users(List<CleverEvent> events) {
        List<CleverUser> changed = new ArrayList<>();
        Set<String> deleted = new LinkedHashSet<>();
        latest(events).forEach((key, e) -> {
            if (!USERS.equals(key.getFirst())) {
                return;
            }
            if ("deleted".equals(e.action())) {
                deleted.add(key.getLast());
            } else {
                changed.add(e.user());
            }
        });
        return new Users(List.copyOf(changed), Set.copyOf(deleted));
    }

    /**
     * The change sets loaded last (every step of every import of a night loads the same one); a set is immutable once
     * the nightly recorded it, and it is known by its id, account and creation time together.
     */
    private static final Map<String, ChangeSet> LOADED = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ChangeSet> eldest) {
            return size() > 2;
        }
    };

    /** The change set's records; a set that no longer exists (expired) is an error, never an empty set. */
    public static ChangeSet load(JdbcTemplate jdbc, long changeSetId) {
        List<String> keys = jdbc.queryForList("SELECT CONCAT(id, '/', account_id, '/', created_at) FROM nightly_change_set WHERE id = ?",
                String.class, changeSetId);
        if (keys.isEmpty()) {
            throw new IllegalStateException("change set " + changeSetId + " no longer exists (change sets are kept for "
                    + "clever-sync.nightly.change-set-retention); run the import in full");
        }
        synchronized (LOADED) {
            ChangeSet cached = LOADED.get(keys.getFirst());
            if (cached != null) {
                return cached;
            }
        }
        ChangeSet set = read(jdbc, changeSetId);
        synchronized (LOADED) {
            LOADED.put(keys.getFirst(), set);
        }
        return set;
    }

    private static ChangeSet read(JdbcTemplate jdbc, long changeSetId) {
        Map<String, CleverSection> sections = new HashMap<>();
        Set<String> deletedSections = new HashSet<>();
        Map<String, CleverUser> users = new HashMap<>();
        Set<String> deletedUsers = new HashSet<>();
        jdbc.query("SELECT record_type, clever_id, deleted, payload FROM nightly_change WHERE change_set_id = ?", rs -> {
            String id = rs.getString(2);
            boolean deleted = rs.getBoolean(3);
            if (SECTIONS.equals(rs.getString(1))) {
                if (deleted) {
                    deletedSections.add(id);
                } else {
                    sections.put(id, JSON.readValue(rs.getString(4), CleverSection.class));
                }
            } else if (deleted) {
                deletedUsers.add(id);
            } else {
                users.put(id, JSON.readValue(rs.getString(4), CleverUser.class));
            }
        }, changeSetId);
        return new ChangeSet(Map.copyOf(sections), Set.copyOf(deletedSections), Map.copyOf(users), Set.copyOf(deletedUsers));
    }

    /** Sections changed or created (their state now), by id. */
    public Map<String, CleverSection> sections() {
        return sections;
    }

    public Set<String> deletedSections() {
        return deletedSections;
    }

    /** Users changed or created (their state now), by id. */
    public Map<String, CleverUser> users() {
        return users;
    }

    public Set<String> deletedUsers() {
        return deletedUsers;
    }

    /** The contact users the set changed (state now) and deleted. */
    public List<CleverUser> changedContacts() {
        return users.values().stream().filter(u -> u.contact() != null).toList();
    }
}
