package com.cleversync.importing;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the staged sections into the event's classes and adds the teacher, student and parent links, in a
 * few set-based statements. Adds and updates only: removing is the reconcile step's job. An admin's Hide
 * (type) is never touched; an admin's delete (deleted_at) is undone, as a sync brings deleted classes back.
 * Enrollments naming a user that is not among the school's users are reported as skipped.
 */
public class ClassesTasklet implements Tasklet {

    private final JdbcTemplate jdbc;
    private final RunStats stats;
    private final ImportContext ctx;
    private final int skipLimit;

    public ClassesTasklet(JdbcTemplate jdbc, RunStats stats, ImportContext ctx, int skipLimit) {
        this.jdbc = jdbc;
        this.stats = stats;
        this.ctx = ctx;
        this.skipLimit = skipLimit;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long instance = ctx.jobInstanceId();
        classes(instance);
        links(instance, "S", "class_student", "students");
        links(instance, "T", "class_teacher", "teachers");
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
                ON DUPLICATE KEY UPDATE
                  updated_at = IF(event_class.row_hash <=> VALUES(row_hash) AND event_class.deleted_at IS NULL
                                  AND event_class.event_import_id = VALUES(event_import_id),
                                  event_class.updated_at, CURRENT_TIMESTAMP(3)),
                  event_import_id = VALUES(event_import_id), sis_id = VALUES(sis_id), name = VALUES(name),
                  period = VALUES(period), subject = VALUES(subject), grade = VALUES(grade),
                  section_number = VALUES(section_number), row_hash = VALUES(row_hash), deleted_at = NULL""",
                ctx.eventId(), ctx.eventImportId(), instance);
        stats.add(instance, "classes", c);
    }

    private void links(long instance, String role, String table, String who) {
        String entity = table;
        String resolved = """
                FROM import_stage_enrollment se
                JOIN event_class ec ON ec.event_id = ? AND ec.clever_section_id = se.clever_section_id
                JOIN contact_clever_user ccu ON ccu.account_id = ? AND ccu.clever_user_id = se.clever_user_id
                WHERE se.job_instance_id = ? AND se.role = ?""";
        RunStats.Counts c = new RunStats.Counts();
        long total = count("SELECT COUNT(DISTINCT ec.id, ccu.contact_id) " + resolved, ctx.eventId(), ctx.accountId(), instance, role);
        // A link row is its key: existing ones are left alone, and the statement reports how many it added.
        long created = jdbc.update("INSERT IGNORE INTO " + table + " (class_id, contact_id) SELECT DISTINCT ec.id, ccu.contact_id "
                + resolved, ctx.eventId(), ctx.accountId(), instance, role);
        c.add(RunStats.READ, total).add(RunStats.CREATED, created).add(RunStats.UNCHANGED, total - created);

        List<RunStats.Issue> issues = new ArrayList<>();
        jdbc.query("""
                SELECT se.clever_user_id, MIN(se.clever_section_id), COUNT(*) FROM import_stage_enrollment se
                WHERE se.job_instance_id = ? AND se.role = ?
                  AND NOT EXISTS (SELECT 1 FROM contact_clever_user ccu WHERE ccu.account_id = ? AND ccu.clever_user_id = se.clever_user_id)
                GROUP BY se.clever_user_id""", rs -> {
            issues.add(new RunStats.Issue(entity, rs.getString(1), "SKIPPED", "named in " + rs.getLong(3)
                    + " section(s) (e.g. " + rs.getString(2) + ") but not imported as one of the school's " + who
                    + " (absent from Clever's list, or skipped as malformed)"));
        }, instance, role, ctx.accountId());
        stats.add(instance, entity, c);
        stats.issues(instance, issues);
    }

    private void parents(long instance) {
        RunStats.Counts c = new RunStats.Counts();
        long total = count("SELECT COUNT(*) FROM import_stage_parent_link WHERE job_instance_id = ?", instance);
        long created = count("""
                SELECT COUNT(*) FROM import_stage_parent_link l WHERE l.job_instance_id = ?
                  AND NOT EXISTS (SELECT 1 FROM student_parent sp WHERE sp.student_id = l.student_id AND sp.parent_id = l.parent_id)""",
                instance);
        long updated = count("""
                SELECT COUNT(*) FROM import_stage_parent_link l
                JOIN student_parent sp ON sp.student_id = l.student_id AND sp.parent_id = l.parent_id
                WHERE l.job_instance_id = ?
                  AND NOT (sp.relationship <=> l.relationship AND sp.relationship_type <=> l.relationship_type)""", instance);
        c.add(RunStats.READ, total).add(RunStats.CREATED, created).add(RunStats.UPDATED, updated)
                .add(RunStats.UNCHANGED, total - created - updated);
        jdbc.update("""
                INSERT INTO student_parent (student_id, parent_id, relationship, relationship_type)
                SELECT student_id, parent_id, relationship, relationship_type FROM import_stage_parent_link
                WHERE job_instance_id = ?
                ON DUPLICATE KEY UPDATE relationship = VALUES(relationship), relationship_type = VALUES(relationship_type)""",
                instance);
        stats.add(instance, "student_parent", c);
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}
