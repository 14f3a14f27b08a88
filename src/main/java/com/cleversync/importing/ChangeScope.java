package com.cleversync.importing;

import com.cleversync.clever.CleverSection;
import com.cleversync.clever.CleverUser;
import com.cleversync.system.InList;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static com.cleversync.system.InList.STRING_KEYS;

/**
 * An import run on a night's {@link ChangeSet}: what it reads instead of its school's lists, and what it compares.
 * The import's <em>touched</em> classes are those whose section the set changed or deleted: their stored links
 * are replaced by the staged ones, as a full import replaces all. Every other class keeps its stored members, so
 * the import's members after the run are those of its untouched classes plus the staged ones. Loaded per step (a
 * night's changes and one import's links: small); nothing here depends on what the earlier steps of the run wrote.
 */
final class ChangeScope {

    private final ChangeSet changes;
    private final ImportContext ctx;
    private final Set<String> touched;
    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    private ChangeScope(JdbcTemplate jdbc, ImportContext ctx, ChangeSet changes) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.ctx = ctx;
        this.changes = changes;
        this.touched = new HashSet<>(changes.deletedSections());
        touched.addAll(changes.sections().keySet());
    }

    /** The scope of the import's run, or null for a full import. */
    static ChangeScope of(JdbcTemplate jdbc, ImportContext ctx) {
        return ctx.changeSetId() == null ? null : new ChangeScope(jdbc, ctx, ChangeSet.load(jdbc, ctx.changeSetId()));
    }

    ChangeSet changes() {
        return changes;
    }

    /** The changed sections of the import's school, by id (the term is checked by the section processor). */
    Map<String, CleverSection> schoolSections() {
        Map<String, CleverSection> ofSchool = new HashMap<>();
        changes.sections().forEach((id, s) -> {
            if (ctx.cleverSchoolId().equals(s.school())) {
                ofSchool.put(id, s);
            }
        });
        return ofSchool;
    }

    /** Whether the set changed or deleted this section. */
    boolean touched(String sectionId) {
        return touched.contains(sectionId);
    }

    /** Clever ids of the members in a role of the import's untouched classes, as stored. */
    private Set<String> untouchedMembers(String role) {
        return members(role).untouched().keySet();
    }

    /** Clever ids of the members in a role of all the import's classes, as stored before this run's classes step. */
    private Set<String> importMembers(String role) {
        return members(role).all();
    }

    /**
     * The import's members in a role: of its untouched classes (Clever id → contact id, as the stored links hold
     * them), and of all its classes.
     */
    private record Members(ChangeSet of, Map<String, Long> untouched, Set<String> all) {
    }

    /**
     * Members read once per job instance and role, for all its steps: the links of untouched classes do not change
     * during the run (the classes step adds links to touched classes only, reconcile removes only theirs), and all
     * members are asked for only by the read steps, before the classes step. Small: the last few imports' members.
     */
    private static final Map<String, Members> MEMBERS = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Members> eldest) {
            return size() > 4;
        }
    };

    private Members members(String role) {
        String key = ctx.jobInstanceId() + "/" + role;
        synchronized (MEMBERS) {
            Members cached = MEMBERS.get(key);
            // The same loaded change set (ChangeSet.load keeps one instance per set) and job instance: the same run.
            if (cached != null && cached.of() == changes) {
                return cached;
            }
        }
        String table = StagedEnrollments.TEACHER.equals(role) ? "class_teacher" : "class_student";
        // The import's touched classes, by id (an import's classes: a few hundred).
        List<Long> touchedClasses = new ArrayList<>();
        StagedEnrollments.classIds(jdbc, ctx.eventImportId()).forEach((section, id) -> {
            if (touched.contains(section)) {
                touchedClasses.add(id);
            }
        });
        Map<String, Long> untouchedContacts = new HashMap<>();
        Set<String> all = new HashSet<>();
        // One row per member: how many of the import's classes hold it, and how many of those are touched (a student is
        // in several classes); a member is in an untouched class if not all of its classes are touched.
        named.query("""
                SELECT STRAIGHT_JOIN ccu.clever_user_id, g.contact_id, g.n, g.touched FROM (
                  SELECT STRAIGHT_JOIN x.contact_id, COUNT(*) n, SUM(x.class_id IN (:touched)) touched
                  FROM event_class ec JOIN %s x ON x.class_id = ec.id WHERE ec.event_import_id = :i GROUP BY x.contact_id) g
                JOIN contact_clever_user ccu ON ccu.contact_id = g.contact_id""".formatted(table),
                new MapSqlParameterSource("i", ctx.eventImportId())
                        .addValue("touched", touchedClasses.isEmpty() ? List.of(-1L) : touchedClasses),
                rs -> {
                    String user = rs.getString(1);
                    all.add(user);
                    if (rs.getLong(3) > rs.getLong(4)) {
                        untouchedContacts.put(user, rs.getLong(2));
                    }
                });
        Members members = new Members(changes, Map.copyOf(untouchedContacts), Set.copyOf(all));
        synchronized (MEMBERS) {
            MEMBERS.put(key, members);
        }
        return members;
    }

    /** The import's members in a role after this run: those of its untouched classes and those staged. */
    Set<String> enrolled(StagedEnrollments staged, String role) {
        Set<String> ids = new HashSet<>(untouchedMembers(role));
        ids.addAll(staged.users(role));
        return ids;
    }

    /**
     * The contacts of {@link #enrolled}: those of the untouched classes' members as their links hold them (a Clever
     * user's contact never changes), the staged members' looked up.
     */
    Map<String, Long> enrolledContacts(StagedEnrollments staged, String role) {
        Map<String, Long> untouched = members(role).untouched();
        Map<String, Long> contacts = new HashMap<>(untouched);
        contacts.putAll(StagedEnrollments.linkedContacts(named, ctx.accountId(),
                staged.users(role).stream().filter(id -> !untouched.containsKey(id)).toList()));
        return contacts;
    }

    /**
     * Staged members in a role that no untouched class holds: their related records (a student's contacts) are
     * all taken in, not only the changed ones.
     */
    Set<String> newcomers(StagedEnrollments staged, String role) {
        Set<String> ids = new HashSet<>(staged.users(role));
        ids.removeAll(untouchedMembers(role));
        return ids;
    }

    /**
     * The users in a role the run writes, in id order: those the set changed, and staged members that are in none of
     * the import's classes yet and that the set does not hold (read from Clever one by one: a new enrollment of a
     * user no event named).
     */
    List<String> users(StagedEnrollments staged, String role) {
        Set<String> ids = new TreeSet<>();
        changes.users().forEach((id, u) -> {
            if (hasRole(u, role)) {
                ids.add(id);
            }
        });
        for (String id : staged.users(role)) {
            if (!changes.users().containsKey(id) && !importMembers(role).contains(id)) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    /** The user holds the role at the import's school (what the school's list of users in that role would hold). */
    boolean atSchool(CleverUser u, String role) {
        if (!hasRole(u, role)) {
            return false;
        }
        String school = StagedEnrollments.TEACHER.equals(role) ? u.teacher().school() : u.student().school();
        List<String> schools = StagedEnrollments.TEACHER.equals(role) ? u.teacher().schools() : u.student().schools();
        return ctx.cleverSchoolId().equals(school) || schools != null && schools.contains(ctx.cleverSchoolId());
    }

    private static boolean hasRole(CleverUser u, String role) {
        return StagedEnrollments.TEACHER.equals(role) ? u.teacher() != null : u.student() != null;
    }

    /**
     * Contacts the run writes, in id order: changed contacts related to a student of the import after the run, and
     * every stored contact of a newcomer student.
     */
    List<String> contacts(DistrictContacts store, StagedEnrollments staged) {
        Set<String> enrolled = enrolled(staged, StagedEnrollments.STUDENT);
        Set<String> ids = new TreeSet<>(store.idsRelatedTo(ctx.accountId(), newcomers(staged, StagedEnrollments.STUDENT)));
        for (CleverUser c : changes.changedContacts()) {
            if (c.contact().studentRelationships().stream().anyMatch(r -> r.student() != null && enrolled.contains(r.student()))) {
                ids.add(c.id());
            }
        }
        // A contact matched to several Clever users (de-duplication) is written from all of them, as a full import does:
        // the other users of a changed or deleted one are read too (the parent mapper drops those with no student here).
        ids.addAll(linked().siblings());
        return List.copyOf(ids);
    }

    /** What the night's changed or deleted users are linked to: their contacts, and the contacts' other Clever users. */
    private record Linked(Set<Long> contacts, Set<String> siblings) {
    }

    /** Looked up once per change set: the same for every import of the night (see {@link #linked()}). */
    private static final Map<ChangeSet, Linked> LINKED = new java.util.WeakHashMap<>();

    /**
     * The contacts of the users the set changed or deleted, and their other Clever users, looked up once per night (per
     * loaded change set) rather than once per import: the first import to ask looks them up, and the imports that started
     * with it wait for that instead of each looking them up too (locked on the loaded set, which every import of the night
     * shares). Links that earlier imports of the same night add do not change what a later import needs: a contact created
     * tonight only has links its own imports staged, which no import removes; and an unchanged user linked tonight to an
     * existing contact is one of a newcomer student's contacts, which every import that enrolls that student reads in
     * full anyway.
     */
    private Linked linked() {
        synchronized (changes) {
            synchronized (LINKED) {
                Linked cached = LINKED.get(changes);
                if (cached != null) {
                    return cached;
                }
            }
            Set<Long> contacts = new HashSet<>();
            Set<String> siblings = new HashSet<>();
            InList.joined(named, """
                    SELECT STRAIGHT_JOIN c.contact_id, c.clever_user_id, o.clever_user_id FROM %s
                    JOIN contact_clever_user c FORCE INDEX (PRIMARY)
                      ON c.account_id = :a AND c.clever_user_id = k.v COLLATE utf8mb4_unicode_ci
                    JOIN contact_clever_user o FORCE INDEX (ix_contact_clever_user_contact) ON o.contact_id = c.contact_id"""
                            .formatted(STRING_KEYS),
                    new MapSqlParameterSource("a", ctx.accountId()), changedOrDeletedUsers(), rs -> {
                        contacts.add(rs.getLong(1));
                        if (!rs.getString(2).equals(rs.getString(3))) {
                            siblings.add(rs.getString(3));
                        }
                    });
            Linked linked = new Linked(Set.copyOf(contacts), Set.copyOf(siblings));
            synchronized (LINKED) {
                LINKED.put(changes, linked);
            }
            return linked;
        }
    }

    /** Contact ids of the users the set changed or deleted: the parent links of these contacts are compared again. */
    Set<Long> changedOrDeletedContacts() {
        return linked().contacts();
    }

    /** Clever ids of every user the set changed or deleted: the parent links of their contacts are compared again. */
    Set<String> changedOrDeletedUsers() {
        Set<String> ids = new HashSet<>(changes.users().keySet());
        ids.addAll(changes.deletedUsers());
        return ids;
    }
}
