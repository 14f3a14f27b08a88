package com.cleversync.importing;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Locale;

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

    public ReconcileTasklet(JdbcTemplate jdbc, RunStats stats, ImportContext ctx, double threshold, boolean allowMassRemoval) {
        this.jdbc = jdbc;
        this.stats = stats;
        this.ctx = ctx;
        this.threshold = threshold;
        this.allowMassRemoval = allowMassRemoval;
    }

    private static final String GONE_CLASSES = """
            FROM event_class ec WHERE ec.event_import_id = ?
              AND NOT EXISTS (SELECT 1 FROM import_stage_section s WHERE s.job_instance_id = ? AND s.clever_section_id = ec.clever_section_id)""";

    /** Link rows of the import's classes that the staged enrollments no longer hold (including gone classes'). */
    private static String goneLinks(String table, String role) {
        return """
                FROM %s x JOIN event_class ec ON ec.id = x.class_id
                WHERE ec.event_import_id = ?
                  AND NOT EXISTS (SELECT 1 FROM import_stage_enrollment se
                                  JOIN contact_clever_user ccu ON ccu.account_id = ? AND ccu.clever_user_id = se.clever_user_id
                                  WHERE se.job_instance_id = ? AND se.role = '%s'
                                    AND se.clever_section_id = ec.clever_section_id AND ccu.contact_id = x.contact_id)"""
                .formatted(table, role);
    }

    private static final String GONE_PARENT_LINKS = """
            FROM student_parent sp
            WHERE sp.student_id IN (SELECT ccu.contact_id FROM import_stage_enrollment se
                                    JOIN contact_clever_user ccu ON ccu.account_id = ? AND ccu.clever_user_id = se.clever_user_id
                                    WHERE se.job_instance_id = ? AND se.role = 'S')
              AND NOT EXISTS (SELECT 1 FROM import_stage_parent_link l
                              WHERE l.job_instance_id = ? AND l.student_id = sp.student_id AND l.parent_id = sp.parent_id)""";

    private static final String UNREFERENCED_CONTACTS = """
            FROM contact c
            WHERE c.account_id = ? AND c.removed_at IS NULL
              AND EXISTS (SELECT 1 FROM contact_clever_user ccu WHERE ccu.contact_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM class_student cs WHERE cs.contact_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM class_teacher ct WHERE ct.contact_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM student_parent sp JOIN class_student cs2 ON cs2.contact_id = sp.student_id
                              WHERE sp.parent_id = c.id)""";

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long instance = ctx.jobInstanceId();
        long importId = ctx.eventImportId();

        long classesNow = count("SELECT COUNT(*) FROM event_class WHERE event_import_id = ?", importId);
        long classesBefore = classesNow - created(instance, "classes");
        long goneClasses = count("SELECT COUNT(*) " + GONE_CLASSES, importId, instance);
        long linksNow = count("SELECT COUNT(*) FROM class_student x JOIN event_class ec ON ec.id = x.class_id WHERE ec.event_import_id = ?", importId)
                + count("SELECT COUNT(*) FROM class_teacher x JOIN event_class ec ON ec.id = x.class_id WHERE ec.event_import_id = ?", importId);
        long linksBefore = linksNow - created(instance, "class_student") - created(instance, "class_teacher");
        long goneStudents = count("SELECT COUNT(*) " + goneLinks("class_student", "S"), importId, ctx.accountId(), instance);
        long goneTeachers = count("SELECT COUNT(*) " + goneLinks("class_teacher", "T"), importId, ctx.accountId(), instance);
        long goneLinks = goneStudents + goneTeachers;

        if (!allowMassRemoval) {
            guard("classes", goneClasses, classesBefore);
            guard("enrollments", goneLinks, linksBefore);
        }

        long goneParents = count("SELECT COUNT(*) " + GONE_PARENT_LINKS, ctx.accountId(), instance, instance);
        jdbc.update("DELETE x " + goneLinks("class_student", "S"), importId, ctx.accountId(), instance);
        jdbc.update("DELETE x " + goneLinks("class_teacher", "T"), importId, ctx.accountId(), instance);
        jdbc.update("DELETE ec " + GONE_CLASSES, importId, instance);
        jdbc.update("DELETE sp " + GONE_PARENT_LINKS, ctx.accountId(), instance, instance);

        stats.add(instance, "classes", new RunStats.Counts().add(RunStats.REMOVED, goneClasses));
        stats.add(instance, "class_student", new RunStats.Counts().add(RunStats.REMOVED, goneStudents));
        stats.add(instance, "class_teacher", new RunStats.Counts().add(RunStats.REMOVED, goneTeachers));
        stats.add(instance, "student_parent", new RunStats.Counts().add(RunStats.REMOVED, goneParents));

        jdbc.query("SELECT c.kind, COUNT(*) " + UNREFERENCED_CONTACTS + " GROUP BY c.kind", rs -> {
            stats.add(instance, entityOf(rs.getString(1)), new RunStats.Counts().add(RunStats.REMOVED, rs.getLong(2)));
        }, ctx.accountId());
        jdbc.update("UPDATE contact c SET c.removed_at = CURRENT_TIMESTAMP(3), c.updated_at = CURRENT_TIMESTAMP(3) "
                + UNREFERENCED_CONTACTS.replaceFirst("FROM contact c\\s+", ""), ctx.accountId());

        for (String table : new String[] {"import_stage_enrollment", "import_stage_section", "import_stage_parent_link"}) {
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

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}
