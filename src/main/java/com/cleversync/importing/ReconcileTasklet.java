package com.cleversync.importing;

import com.cleversync.system.InList;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static com.cleversync.system.InList.LONG_KEYS;

/**
 * Removes what Clever no longer has, after every read step of the execution completed (it is the job's last
 * step, so a failed or partial read never gets here). Classes of the import that Clever no longer lists leave
 * the event; enrollments, teacher and parent links Clever no longer holds are removed; contacts no longer
 * referenced by any class of the account get {@code removed_at} (never hard-deleted; a later import brings them
 * back). Before removing anything, the mass-removal guard compares the share to be removed with the
 * configured threshold and fails the run, removing nothing, unless the run was started with the override.
 */
public class ReconcileTasklet implements Tasklet {

    private final JdbcTemplate jdbc;
    private final RunStats stats;
    private final ImportContext ctx;
    private final double threshold;
    private final boolean allowMassRemoval;
    private final NamedParameterJdbcTemplate named;
    private final ChangeScope scope;
    private final StagedEnrollments staged;

    /**
     * {@code scope}: the run's changes, or null for a full import. A run on changes compares only its touched classes
     * (their staged links replace the stored ones; a touched class whose section was not staged is gone) and the parent
     * links of changed contacts and of newcomer students; the guard weighs that against the import's totals, as always.
     * {@code staged}: the job execution's staged enrollments.
     */
    ReconcileTasklet(JdbcTemplate jdbc, RunStats stats, ImportContext ctx, double threshold, boolean allowMassRemoval,
                     StagedEnrollments staged, ChangeScope scope) {
        this.scope = scope;
        this.staged = staged;
        this.jdbc = jdbc;
        this.stats = stats;
        this.ctx = ctx;
        this.threshold = threshold;
        this.allowMassRemoval = allowMassRemoval;
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    private static final String GONE_CLASSES = """
            FROM event_class ec WHERE ec.event_import_id = ?
              AND NOT EXISTS (SELECT 1 FROM import_stage_section s WHERE s.job_instance_id = ? AND s.clever_section_id = ec.clever_section_id)""";

    /**
     * With {@link #UNREFERENCED_CONTACTS_WHERE}: the contacts among {@code :ids} of the account that are still linked
     * to a Clever user but no class references any more, as a student, a teacher or the parent of an enrolled
     * student. LEFT JOINs from the ids, so that every plan looks each id up by key: written as NOT EXISTS, the
     * optimizers may materialize the whole account's parent-and-enrollment join instead (1.5 million rows read for
     * 500 ids at size M). Inside the parentheses STRAIGHT_JOIN keeps the parent links first: read the other way round,
     * every candidate scans the whole of class_student (forced, 17 s for 100 candidates at size M; a 1% night at size
     * M once spent 29 s of database CPU in reconcile, where it takes under a second).
     */
    private static final String UNREFERENCED_CONTACTS = """
            contact c
            LEFT JOIN class_student cs ON cs.contact_id = c.id
            LEFT JOIN class_teacher ct ON ct.contact_id = c.id
            LEFT JOIN (student_parent sp STRAIGHT_JOIN class_student cs2 ON cs2.contact_id = sp.student_id) ON sp.parent_id = c.id
            """;

    private static final String UNREFERENCED_CONTACTS_WHERE = """
             WHERE c.account_id = :a AND c.id IN (:ids) AND c.removed_at IS NULL
              AND cs.contact_id IS NULL AND ct.contact_id IS NULL AND sp.parent_id IS NULL
              AND EXISTS (SELECT 1 FROM contact_clever_user ccu WHERE ccu.contact_id = c.id)""";

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long instance = ctx.jobInstanceId();
        long importId = ctx.eventImportId();

        // The import's classes, staged members and stored links are each read once (an import's worth at most);
        // the counts for the guard and the gone links come from them, and gone links are deleted by key.
        Map<String, Long> classIds = StagedEnrollments.classIds(jdbc, importId);
        Set<String> stagedSections = new HashSet<>();
        staged.sections().forEach(section -> stagedSections.add(section.id()));
        long classesNow = classIds.size();
        long classesBefore = classesNow - created(instance, "classes");
        List<Long> goneClassIds = new ArrayList<>();
        Set<Long> compared = new HashSet<>();
        classIds.forEach((section, id) -> {
            if (scope == null || scope.touched(section)) {
                compared.add(id);
                if (!stagedSections.contains(section)) {
                    goneClassIds.add(id);
                }
            }
        });
        long goneClasses = goneClassIds.size();
        Set<StagedEnrollments.Link> storedStudents;
        Set<StagedEnrollments.Link> storedTeachers;
        long linksNow;
        if (scope == null) {
            storedStudents = StagedEnrollments.storedLinks(jdbc, "class_student", importId);
            storedTeachers = StagedEnrollments.storedLinks(jdbc, "class_teacher", importId);
            linksNow = storedStudents.size() + storedTeachers.size();
        } else {
            storedStudents = StagedEnrollments.storedLinks(named, "class_student", compared);
            storedTeachers = StagedEnrollments.storedLinks(named, "class_teacher", compared);
            linksNow = StagedEnrollments.countLinks(jdbc, "class_student", importId) + StagedEnrollments.countLinks(jdbc, "class_teacher", importId);
        }
        long linksBefore = linksNow - created(instance, "class_student") - created(instance, "class_teacher");
        Map<String, Long> students = scope == null ? staged.contacts(named, ctx.accountId(), StagedEnrollments.STUDENT)
                : scope.enrolledContacts(staged, StagedEnrollments.STUDENT);
        List<long[]> goneStudentLinks = gone(storedStudents, staged.links(StagedEnrollments.STUDENT, classIds, students), compared);
        List<long[]> goneTeacherLinks = gone(storedTeachers, staged.links(StagedEnrollments.TEACHER, classIds,
                staged.contacts(named, ctx.accountId(), StagedEnrollments.TEACHER)), compared);
        long goneStudents = goneStudentLinks.size();
        long goneTeachers = goneTeacherLinks.size();
        long goneLinks = goneStudents + goneTeachers;

        if (!allowMassRemoval) {
            guard("classes", goneClasses, classesBefore);
            guard("enrollments", goneLinks, linksBefore);
        }

        List<long[]> goneParentLinks = goneParentLinkRows(instance, comparedParentLinks(students.values(), staged));
        long goneParents = goneParentLinks.size();
        Set<Long> candidates = losingReferences(goneStudentLinks, goneTeacherLinks, goneParentLinks);
        deleteLinks("class_student", goneStudentLinks);
        deleteLinks("class_teacher", goneTeacherLinks);
        if (scope == null) {
            jdbc.update("DELETE ec " + GONE_CLASSES, importId, instance);
        } else if (!goneClassIds.isEmpty()) {
            jdbc.batchUpdate("DELETE FROM event_class WHERE id = ?", goneClassIds.stream().map(id -> new Object[] {id}).toList());
        }
        if (!goneParentLinks.isEmpty()) {
            jdbc.batchUpdate("DELETE FROM student_parent WHERE student_id = ? AND parent_id = ?",
                    goneParentLinks.stream().map(l -> new Object[] {l[0], l[1]}).toList());
        }

        stats.add(instance, "classes", new RunStats.Counts().add(RunStats.REMOVED, goneClasses));
        stats.add(instance, "class_student", new RunStats.Counts().add(RunStats.REMOVED, goneStudents));
        stats.add(instance, "class_teacher", new RunStats.Counts().add(RunStats.REMOVED, goneTeachers));
        stats.add(instance, "student_parent", new RunStats.Counts().add(RunStats.REMOVED, goneParents));

        // Only a contact that lost a link in this run can have lost its last one: checking those, not every
        // contact of the account, keeps reconcile proportional to the changes instead of to the district.
        Map<String, Long> removedByKind = new HashMap<>();
        for (List<Long> slice : InList.slices(candidates)) {
            MapSqlParameterSource params = new MapSqlParameterSource("a", ctx.accountId()).addValue("ids", slice);
            named.query("SELECT c.kind, COUNT(*) FROM " + UNREFERENCED_CONTACTS + UNREFERENCED_CONTACTS_WHERE + " GROUP BY c.kind", params,
                    rs -> {
                        removedByKind.merge(rs.getString(1), rs.getLong(2), Long::sum);
                    });
            named.update("UPDATE " + UNREFERENCED_CONTACTS + " SET c.removed_at = CURRENT_TIMESTAMP(3), c.updated_at = CURRENT_TIMESTAMP(3)"
                    + UNREFERENCED_CONTACTS_WHERE, params);
        }
        removedByKind.forEach((kind, n) -> stats.add(instance, entityOf(kind), new RunStats.Counts().add(RunStats.REMOVED, n)));

        for (String table : new String[] {"import_stage_section", "import_stage_parent_links"}) {
            jdbc.update("DELETE FROM " + table + " WHERE job_instance_id = ?", instance);
        }
        return RepeatStatus.FINISHED;
    }

    static String entityOf(String kind) {
        return switch (kind) {
            case "TEACHER" -> "teachers";
            case "STUDENT" -> "students";
            case "PARENT" -> "parents";
            default -> kind.toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Contacts that lose a link in this run: enrolled students and teachers whose class links go, parents whose
     * student links go, and the parents of students who lose a class (a parent counts only through a student in a class).
     */
    private Set<Long> losingReferences(List<long[]> goneStudentLinks, List<long[]> goneTeacherLinks, List<long[]> goneParentLinks) {
        Set<Long> ids = new HashSet<>();
        List<Long> students = goneStudentLinks.stream().map(l -> l[1]).distinct().toList();
        ids.addAll(students);
        goneTeacherLinks.forEach(l -> ids.add(l[1]));
        goneParentLinks.forEach(l -> ids.add(l[1]));
        InList.joined(named, "SELECT DISTINCT STRAIGHT_JOIN sp.parent_id FROM " + LONG_KEYS
                        + " JOIN student_parent sp FORCE INDEX (PRIMARY) ON sp.student_id = k.v",
                new MapSqlParameterSource(), students, rs -> {
                    ids.add(rs.getLong(1));
                });
        return ids;
    }

    /**
     * The stored parent links a run compares: those of every enrolled student (a full import), or, in a run on changes,
     * those of the changed contacts and of the newcomer students (the ones its parents step read again), among the
     * enrolled students.
     */
    private Set<StagedParentLinks.Pair> comparedParentLinks(Collection<Long> studentContacts, StagedEnrollments staged) {
        if (scope == null) {
            return StagedParentLinks.stored(named, studentContacts).keySet();
        }
        Set<Long> newcomers = new HashSet<>(StagedEnrollments.linkedContacts(named, ctx.accountId(),
                scope.newcomers(staged, StagedEnrollments.STUDENT)).values());
        Set<Long> enrolled = new HashSet<>(studentContacts);
        Set<StagedParentLinks.Pair> compared = new HashSet<>();
        StagedParentLinks.storedOfParents(named, scope.changedOrDeletedContacts()).keySet().stream()
                .filter(p -> enrolled.contains(p.studentId())).forEach(compared::add);
        StagedParentLinks.stored(named, newcomers).keySet().stream()
                .filter(p -> enrolled.contains(p.studentId())).forEach(compared::add);
        return compared;
    }

    /** The compared parent links that the staged ones no longer hold. */
    private List<long[]> goneParentLinkRows(long instance, Set<StagedParentLinks.Pair> compared) {
        Set<StagedParentLinks.Pair> staged = StagedParentLinks.load(jdbc, instance).keySet();
        List<long[]> gone = new ArrayList<>();
        for (StagedParentLinks.Pair pair : compared) {
            if (!staged.contains(pair)) {
                gone.add(new long[] {pair.studentId(), pair.parentId()});
            }
        }
        return gone;
    }

    /** The stored links of the compared classes that the staged enrollments no longer make. */
    private static List<long[]> gone(Set<StagedEnrollments.Link> stored, Set<StagedEnrollments.Link> wanted, Set<Long> compared) {
        List<long[]> gone = new ArrayList<>();
        for (StagedEnrollments.Link link : stored) {
            if (compared.contains(link.classId()) && !wanted.contains(link)) {
                gone.add(new long[] {link.classId(), link.contactId()});
            }
        }
        return gone;
    }

    private void deleteLinks(String table, List<long[]> links) {
        if (!links.isEmpty()) {
            jdbc.batchUpdate("DELETE FROM " + table + " WHERE class_id = ? AND contact_id = ?",
                    links.stream().map(l -> new Object[] {l[0], l[1]}).toList());
        }
    }

    private void guard(String what, long gone, long before) {
        if (before > 0 && gone > threshold * before) {
            throw new MassRemovalException(String.format(Locale.ROOT,
                    "%s would remove %d of %d %s (%.0f%%, over the %.0f%% limit); nothing was removed. "
                            + "If Clever really dropped them, run the import again with --allow-mass-removal",
                    ctx.describe(), gone, before, what, 100.0 * gone / before, 100.0 * threshold));
        }
    }

    private long created(long instance, String entity) {
        Long n = jdbc.queryForObject("SELECT COALESCE(SUM(value), 0) FROM import_run_stat WHERE job_instance_id = ? AND entity = ? AND metric = 'created'",
                Long.class, instance, entity);
        return n == null ? 0 : n;
    }
}
