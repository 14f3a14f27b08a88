package com.cleversync.importing;

import com.cleversync.system.BulkLoad;
import com.cleversync.system.BulkLoad.OnDuplicate;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the staged sections into the event's classes and adds the teacher, student and parent links. Classes are
 * one set-based statement that writes only new or changed ones; class and parent links are compared in memory (an
 * import's worth: the staged links against those stored for the import's classes and students) and only the missing
 * or changed ones are written. Adds and updates only: removing is the reconcile step's job. An admin's Hide
 * (type) is never touched; an admin's delete (deleted_at) is undone, as a sync brings deleted classes back.
 * Enrollments naming a user that is not among the school's users are reported as skipped.
 */
public class ClassesTasklet implements Tasklet {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final BulkLoad bulk;
    private final RunStats stats;
    private final ImportContext ctx;
    private final int skipLimit;
    private final ChangeScope scope;
    private final StagedEnrollments staged;

    /** {@code staged}: the job execution's staged enrollments; {@code scope}: the run's changes, or null for a full import. */
    ClassesTasklet(JdbcTemplate jdbc, BulkLoad bulk, RunStats stats, ImportContext ctx, int skipLimit, StagedEnrollments staged,
                   ChangeScope scope) {
        this.scope = scope;
        this.staged = staged;
        this.jdbc = jdbc;
        this.bulk = bulk;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.stats = stats;
        this.ctx = ctx;
        this.skipLimit = skipLimit;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long instance = ctx.jobInstanceId();
        classes(instance);
        Map<String, Long> classIds = StagedEnrollments.classIds(jdbc, ctx.eventImportId());
        links(instance, staged, classIds, StagedEnrollments.STUDENT, "class_student", "students");
        links(instance, staged, classIds, StagedEnrollments.TEACHER, "class_teacher", "teachers");
        parents(instance);
        long skipped = stats.issueCount(instance, "SKIPPED");
        if (skipped > skipLimit) {
            throw new SkipLimitExceeded(skipped, skipLimit);
        }
        return RepeatStatus.FINISHED;
    }

    /** More records were skipped than the configured limit allows. */
    public static class SkipLimitExceeded extends RuntimeException {
        SkipLimitExceeded(long skipped, int limit) {
            super(skipped + " records were skipped, over the limit of " + limit
                    + " (clever-sync.import.skip-limit); see the run report for each record and reason");
        }
    }

    private void classes(long instance) {
        RunStats.Counts c = new RunStats.Counts();
        long staged = count("SELECT COUNT(*) FROM import_stage_section WHERE job_instance_id = ?", instance);
        c.add(RunStats.CREATED, count("""
                SELECT COUNT(*) FROM import_stage_section s WHERE s.job_instance_id = ?
                  AND NOT EXISTS (SELECT 1 FROM event_class ec WHERE ec.event_id = ? AND ec.clever_section_id = s.clever_section_id)""",
                instance, ctx.eventId()));
        c.add(RunStats.RESTORED, count("""
                SELECT COUNT(*) FROM import_stage_section s JOIN event_class ec
                  ON ec.event_id = ? AND ec.clever_section_id = s.clever_section_id
                WHERE s.job_instance_id = ? AND ec.deleted_at IS NOT NULL""", ctx.eventId(), instance));
        c.add(RunStats.UPDATED, count("""
                SELECT COUNT(*) FROM import_stage_section s JOIN event_class ec
                  ON ec.event_id = ? AND ec.clever_section_id = s.clever_section_id
                WHERE s.job_instance_id = ? AND ec.deleted_at IS NULL
                  AND (ec.row_hash IS NULL OR ec.row_hash <> s.row_hash OR ec.event_import_id <> ?)""",
                ctx.eventId(), instance, ctx.eventImportId()));
        c.add(RunStats.UNCHANGED, staged - c.get(RunStats.CREATED) - c.get(RunStats.RESTORED) - c.get(RunStats.UPDATED));
        // updated_at is assigned first: MySQL evaluates the assignments left to right.
        jdbc.update("""
                INSERT INTO event_class (event_id, event_import_id, clever_section_id, sis_id, name, period, subject,
                  grade, section_number, row_hash)
                SELECT ?, ?, s.clever_section_id, s.sis_id, s.name, s.period, s.subject, s.grade, s.section_number, s.row_hash
                FROM import_stage_section s WHERE s.job_instance_id = ?
                  AND NOT EXISTS (SELECT 1 FROM event_class ec WHERE ec.event_id = ? AND ec.clever_section_id = s.clever_section_id
                                  AND ec.row_hash <=> s.row_hash AND ec.deleted_at IS NULL AND ec.event_import_id = ?)
                ON DUPLICATE KEY UPDATE
                  updated_at = IF(event_class.row_hash <=> VALUES(row_hash) AND event_class.deleted_at IS NULL
                                  AND event_class.event_import_id = VALUES(event_import_id),
                                  event_class.updated_at, CURRENT_TIMESTAMP(3)),
                  event_import_id = VALUES(event_import_id), sis_id = VALUES(sis_id), name = VALUES(name),
                  period = VALUES(period), subject = VALUES(subject), grade = VALUES(grade),
                  section_number = VALUES(section_number), row_hash = VALUES(row_hash), deleted_at = NULL""",
                ctx.eventId(), ctx.eventImportId(), instance, ctx.eventId(), ctx.eventImportId());
        if (scope != null) {
            // A full import's upsert brings back every class an admin deleted; a run on changes stages only the changed
            // sections, so the others come back here (unless the changes deleted their section).
            List<Object[]> restore = new ArrayList<>();
            jdbc.query("SELECT id, clever_section_id FROM event_class WHERE event_import_id = ? AND deleted_at IS NOT NULL", rs -> {
                if (!scope.touched(rs.getString(2))) {
                    restore.add(new Object[] {rs.getLong(1)});
                }
            }, ctx.eventImportId());
            if (!restore.isEmpty()) {
                jdbc.batchUpdate("UPDATE event_class SET updated_at = CURRENT_TIMESTAMP(3), deleted_at = NULL WHERE id = ?", restore);
                c.add(RunStats.RESTORED, restore.size());
            }
        }
        stats.add(instance, "classes", c);
    }

    private void links(long instance, StagedEnrollments staged, Map<String, Long> classIds, String role, String table, String who) {
        String entity = table;
        Map<String, Long> contacts = staged.contacts(named, ctx.accountId(), role);
        Set<StagedEnrollments.Link> wanted = staged.links(role, classIds, contacts);
        // The wanted links are those of the staged sections' classes: a run on changes, which stages only the changed
        // sections, reads only those classes' stored links.
        Set<StagedEnrollments.Link> stored = scope == null ? StagedEnrollments.storedLinks(jdbc, table, ctx.eventImportId())
                : StagedEnrollments.storedLinks(named, table, staged.sections().stream().map(s -> classIds.get(s.id()))
                        .filter(Objects::nonNull).distinct().toList());
        List<Object[]> missing = new ArrayList<>();
        for (StagedEnrollments.Link link : wanted) {
            if (!stored.contains(link)) {
                missing.add(new Object[] {link.classId(), link.contactId()});
            }
        }
        // A link row is its key: one another run added meanwhile is left alone.
        bulk.write(table, List.of("class_id", "contact_id"), OnDuplicate.IGNORE, missing);
        RunStats.Counts c = new RunStats.Counts();
        c.add(RunStats.READ, wanted.size()).add(RunStats.CREATED, missing.size()).add(RunStats.UNCHANGED, wanted.size() - missing.size());

        // Members that are not among the school's imported users: how many sections name them, and the first one.
        Map<String, Integer> sections = new TreeMap<>();
        Map<String, String> example = new HashMap<>();
        for (StagedEnrollments.Section s : staged.sections()) {
            for (String user : s.members(role)) {
                if (!contacts.containsKey(user)) {
                    sections.merge(user, 1, Integer::sum);
                    example.merge(user, s.id(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
                }
            }
        }
        List<RunStats.Issue> issues = new ArrayList<>();
        sections.forEach((user, n) -> issues.add(new RunStats.Issue(entity, user, "SKIPPED", "named in " + n
                + " section(s) (e.g. " + example.get(user) + ") but not imported as one of the school's " + who
                + " (absent from Clever's list, or skipped as malformed)")));
        stats.add(instance, entity, c);
        stats.issues(instance, issues);
    }

    /** Staged parent links against those stored for the same students: new and changed ones are written. */
    private void parents(long instance) {
        Map<StagedParentLinks.Pair, StagedParentLinks.Link> staged = StagedParentLinks.load(jdbc, instance);
        Map<StagedParentLinks.Pair, StagedParentLinks.Link> stored = StagedParentLinks.stored(named,
                staged.keySet().stream().map(StagedParentLinks.Pair::studentId).toList());
        long created = 0;
        long updated = 0;
        List<Object[]> writes = new ArrayList<>();
        for (StagedParentLinks.Link l : staged.values()) {
            StagedParentLinks.Link now = stored.get(l.pair());
            if (now == null || !now.equals(l)) {
                writes.add(new Object[] {l.studentId(), l.parentId(), l.relationship(), l.type()});
                if (now == null) {
                    created++;
                } else {
                    updated++;
                }
            }
        }
        // A link row is replaced whole: nothing refers to it.
        bulk.write("student_parent", List.of("student_id", "parent_id", "relationship", "relationship_type"), OnDuplicate.REPLACE,
                writes);
        RunStats.Counts c = new RunStats.Counts();
        c.add(RunStats.READ, staged.size()).add(RunStats.CREATED, created).add(RunStats.UPDATED, updated)
                .add(RunStats.UNCHANGED, staged.size() - created - updated);
        stats.add(instance, "student_parent", c);
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}
