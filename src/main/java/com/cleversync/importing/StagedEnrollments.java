package com.cleversync.importing;

import com.cleversync.system.InList;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.cleversync.system.InList.STRING_KEYS;
import static com.cleversync.system.InList.LONG_KEYS;

/**
 * The enrollments a job instance staged: every staged section with its teachers' and students' Clever ids
 * ({@code import_stage_section.teachers/students}, comma-separated), and the links they make once those ids are
 * resolved to contacts. An import's worth (one school's sections), never a district's: read once per job execution,
 * by the first step after the sections step that needs it (bean {@code stagedEnrollments}, job-scoped), as staging is
 * final once the sections step has completed.
 */
final class StagedEnrollments {

    static final String TEACHER = "T";
    static final String STUDENT = "S";
    private static final char SEPARATOR = ',';
    /** A staged section and its members, each listed once, in Clever's order. */
    record Section(String id, List<String> teachers, List<String> students) {
        List<String> members(String role) {
            return TEACHER.equals(role) ? teachers : students;
        }
    }

    /** A class link (class_teacher or class_student row). */
    record Link(long classId, long contactId) {
    }

    private final List<Section> sections;
    private final Map<String, Set<String>> users = new HashMap<>(4);

    private StagedEnrollments(List<Section> sections) {
        this.sections = sections;
    }

    static StagedEnrollments load(JdbcTemplate jdbc, long jobInstanceId) {
        List<Section> sections = new ArrayList<>();
        jdbc.query("SELECT clever_section_id, teachers, students FROM import_stage_section WHERE job_instance_id = ?",
                rs -> {
                    sections.add(new Section(rs.getString(1), split(rs.getString(2)), split(rs.getString(3))));
                }, jobInstanceId);
        return new StagedEnrollments(sections);
    }

    List<Section> sections() {
        return sections;
    }

    /** The Clever ids staged sections enroll in a role (built on first use, then shared: read-only). */
    Set<String> users(String role) {
        return users.computeIfAbsent(role, r -> {
            Set<String> ids = new HashSet<>();
            sections.forEach(s -> ids.addAll(s.members(r)));
            return Collections.unmodifiableSet(ids);
        });
    }

    /** Clever user id → contact id, for the users staged in a role that are linked to a contact of the account. */
    Map<String, Long> contacts(NamedParameterJdbcTemplate named, long accountId, String role) {
        return linkedContacts(named, accountId, users(role));
    }

    /** Clever user id → contact id, for those of the given Clever users linked to a contact of the account. */
    static Map<String, Long> linkedContacts(NamedParameterJdbcTemplate named, long accountId, Collection<String> cleverUserIds) {
        Map<String, Long> contacts = new HashMap<>(cleverUserIds.size() * 2);
        InList.joined(named, "SELECT STRAIGHT_JOIN ccu.clever_user_id, ccu.contact_id FROM " + STRING_KEYS
                        + " JOIN contact_clever_user ccu FORCE INDEX (PRIMARY) ON ccu.account_id = :a AND ccu.clever_user_id = k.v COLLATE utf8mb4_unicode_ci",
                new MapSqlParameterSource("a", accountId), cleverUserIds, rs -> {
                    contacts.put(rs.getString(1), rs.getLong(2));
                });
        return contacts;
    }

    /**
     * The links the staged sections make in a role: for each section that has a class ({@code classIds}, by
     * Clever section id), its members that have a contact.
     */
    Set<Link> links(String role, Map<String, Long> classIds, Map<String, Long> contacts) {
        Set<Link> links = new LinkedHashSet<>();
        for (Section s : sections) {
            Long classId = classIds.get(s.id());
            if (classId == null) {
                continue;
            }
            for (String user : s.members(role)) {
                Long contact = contacts.get(user);
                if (contact != null) {
                    links.add(new Link(classId, contact));
                }
            }
        }
        return links;
    }

    /** The ids of the event's classes of this import, by Clever section id. */
    static Map<String, Long> classIds(JdbcTemplate jdbc, long eventImportId) {
        Map<String, Long> ids = new HashMap<>();
        jdbc.query("SELECT clever_section_id, id FROM event_class WHERE event_import_id = ?", rs -> {
            ids.put(rs.getString(1), rs.getLong(2));
        }, eventImportId);
        return ids;
    }

    /**
     * The links ({@code class_teacher} or {@code class_student}) of the import's classes, as stored now. The join starts
     * from the import's classes ({@code STRAIGHT_JOIN}): statistics that lag behind a first import's rows made the
     * optimizer scan every link of the table instead (700k rows per read at size L).
     */
    static Set<Link> storedLinks(JdbcTemplate jdbc, String table, long eventImportId) {
        Set<Link> links = new HashSet<>();
        jdbc.query("SELECT STRAIGHT_JOIN x.class_id, x.contact_id FROM event_class ec JOIN " + table + " x ON x.class_id = ec.id "
                + "WHERE ec.event_import_id = ?", rs -> {
            links.add(new Link(rs.getLong(1), rs.getLong(2)));
        }, eventImportId);
        return links;
    }

    /** The stored links of some of the import's classes (a run on changes compares only its touched classes). */
    static Set<Link> storedLinks(NamedParameterJdbcTemplate named, String table, Collection<Long> classIds) {
        Set<Link> links = new HashSet<>();
        InList.joined(named, "SELECT STRAIGHT_JOIN x.class_id, x.contact_id FROM " + LONG_KEYS + " JOIN " + table
                        + " x FORCE INDEX (PRIMARY) ON x.class_id = k.v", new MapSqlParameterSource(), classIds, rs -> {
                    links.add(new Link(rs.getLong(1), rs.getLong(2)));
                });
        return links;
    }

    /** How many links ({@code class_teacher} or {@code class_student}) the import's classes have. */
    static long countLinks(JdbcTemplate jdbc, String table, long eventImportId) {
        Long n = jdbc.queryForObject("SELECT STRAIGHT_JOIN COUNT(*) FROM event_class ec JOIN " + table + " x ON x.class_id = ec.id "
                + "WHERE ec.event_import_id = ?", Long.class, eventImportId);
        return n == null ? 0 : n;
    }

    /** A member list as staged; Clever ids never contain the separator (the section processor refuses such ids). */
    static String join(List<String> ids) {
        return ids.isEmpty() ? null : String.join(String.valueOf(SEPARATOR), ids);
    }

    static boolean storable(String id) {
        return id != null && !id.isEmpty() && id.indexOf(SEPARATOR) < 0;
    }

    private static List<String> split(String joined) {
        if (joined == null || joined.isEmpty()) {
            return List.of();
        }
        return List.copyOf(new LinkedHashSet<>(Arrays.asList(joined.split(String.valueOf(SEPARATOR)))));
    }
}
