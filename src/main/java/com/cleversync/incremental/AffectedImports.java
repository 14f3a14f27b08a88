package com.cleversync.incremental;

import com.cleversync.clever.CleverEvent;
import com.cleversync.clever.CleverSection;
import com.cleversync.clever.CleverUser;
import com.cleversync.system.InList;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which imports of one account a batch of Clever events can change. An import's result depends on what
 * Clever holds now and on what the database holds from its last run, so an event affects an import when either
 * side involves it:
 * <ul>
 *   <li>Clever side, from the event's object (the record after the change, or before a delete): a section's
 *   school and term; a student's or teacher's schools; a term; a school.</li>
 *   <li>Database side, from the links the last runs wrote: imports whose classes are that section, or enroll or
 *   teach that user; for a contact user, imports whose classes hold one of its students, those it names now and
 *   those the database links it to. The database side stands in for {@code previous_attributes}: what the
 *   record was before the change only matters where an import took it in, and that is what the links hold.</li>
 * </ul>
 * Events of records clever-sync does not import (courses, districts, resources, staff-only users) affect none.
 * Works one page of events at a time, so memory follows the page, not the district.
 */
final class AffectedImports {

    /** One import of the account: what the Clever side of an event is matched on. */
    record Import(long id, String cleverSchoolId, String cleverTermId) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final long accountId;
    private final List<Import> imports;
    private final Set<Long> affected = new LinkedHashSet<>();
    private final Set<Long> whole = new LinkedHashSet<>();

    AffectedImports(NamedParameterJdbcTemplate jdbc, long accountId, List<Import> imports) {
        this.jdbc = jdbc;
        this.accountId = accountId;
        this.imports = List.copyOf(imports);
    }

    Set<Long> affected() {
        return Set.copyOf(affected);
    }

    /**
     * Affected imports that must re-read their school rather than apply the night's changes: an event about their
     * school or term itself (a changed term or school can reshape what the import holds).
     */
    Set<Long> whole() {
        return Set.copyOf(whole);
    }

    /** Adds the imports these events affect. */
    void add(List<CleverEvent> events) {
        Set<String> schools = new HashSet<>();
        Set<String> schoolEvents = new HashSet<>();
        Set<String> terms = new HashSet<>();
        Set<List<String>> schoolTerms = new HashSet<>();
        Set<String> sections = new HashSet<>();
        Set<String> people = new HashSet<>();
        Set<String> contacts = new HashSet<>();
        Set<String> contactStudents = new HashSet<>();
        for (CleverEvent e : events) {
            switch (e.recordType()) {
                case "sections" -> {
                    CleverSection s = e.section();
                    sections.add(s.id());
                    if (s.school() != null && s.termId() != null) {
                        schoolTerms.add(List.of(s.school(), s.termId()));
                    }
                }
                case "users" -> {
                    CleverUser u = e.user();
                    if (u.student() != null || u.teacher() != null) {
                        people.add(u.id());
                        if (u.student() != null) {
                            addSchools(schools, u.student().school(), u.student().schools());
                        }
                        if (u.teacher() != null) {
                            addSchools(schools, u.teacher().school(), u.teacher().schools());
                        }
                    }
                    if (u.contact() != null) {
                        contacts.add(u.id());
                        for (CleverUser.StudentRelationship r : u.contact().studentRelationships()) {
                            if (r.student() != null) {
                                contactStudents.add(r.student());
                            }
                        }
                    }
                }
                case "terms" -> terms.add(e.term().id());
                case "schools" -> {
                    schools.add(e.school().id());
                    schoolEvents.add(e.school().id());
                }
                default -> {
                    // courses, districts, resources: nothing clever-sync imports
                }
            }
        }
        for (Import i : imports) {
            if (schools.contains(i.cleverSchoolId()) || terms.contains(i.cleverTermId())
                    || schoolTerms.contains(List.of(i.cleverSchoolId(), i.cleverTermId()))) {
                affected.add(i.id());
            }
            if (schoolEvents.contains(i.cleverSchoolId()) || terms.contains(i.cleverTermId())) {
                whole.add(i.id());
            }
        }
        query("""
                SELECT DISTINCT ec.event_import_id FROM event_class ec JOIN event e ON e.id = ec.event_id
                WHERE e.account_id = :account AND ec.clever_section_id IN (:ids)""", sections);
        // STRAIGHT_JOIN: the Clever ids lead, through contact_clever_user's key. Left to itself, the optimizer sometimes
        // scans student_parent or the class links instead, from estimates that lag behind a large import (one such
        // plan took 49 s at size M against 0.04 s).
        for (String table : List.of("class_student", "class_teacher")) {
            query("""
                    SELECT DISTINCT STRAIGHT_JOIN ec.event_import_id FROM contact_clever_user ccu
                    JOIN %s x ON x.contact_id = ccu.contact_id JOIN event_class ec ON ec.id = x.class_id
                    WHERE ccu.account_id = :account AND ccu.clever_user_id IN (:ids)""".formatted(table), people);
        }
        query("""
                SELECT DISTINCT STRAIGHT_JOIN ec.event_import_id FROM contact_clever_user ccu
                JOIN class_student cs ON cs.contact_id = ccu.contact_id JOIN event_class ec ON ec.id = cs.class_id
                WHERE ccu.account_id = :account AND ccu.clever_user_id IN (:ids)""", contactStudents);
        query("""
                SELECT DISTINCT STRAIGHT_JOIN ec.event_import_id FROM contact_clever_user ccu
                JOIN student_parent sp ON sp.parent_id = ccu.contact_id
                JOIN class_student cs ON cs.contact_id = sp.student_id JOIN event_class ec ON ec.id = cs.class_id
                WHERE ccu.account_id = :account AND ccu.clever_user_id IN (:ids)""", contacts);
    }

    private static void addSchools(Set<String> into, String school, List<String> schools) {
        if (school != null) {
            into.add(school);
        }
        if (schools != null) {
            schools.stream().filter(s -> s != null && !s.isEmpty()).forEach(into::add);
        }
    }

    /** Adds the imports the statement finds for the ids, unless every import of the account is affected already. */
    private void query(String sql, Collection<String> ids) {
        if (imports.stream().allMatch(i -> affected.contains(i.id()))) {
            return;
        }
        InList.query(jdbc, sql, new MapSqlParameterSource("account", accountId), "ids", ids, rs -> {
            long id = rs.getLong(1);
            if (!rs.wasNull()) {
                affected.add(id);
            }
        });
    }
}
