package com.cleversync.support;

import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A checksum of an account's booking tables in natural keys (Clever ids, names), not surrogate ids, so two
 * databases that went through different histories compare equal exactly when they hold the same roster.
 */
public final class BookingChecksum {

    private BookingChecksum() {
    }

    public static String of(JdbcTemplate jdbc, long accountId) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines(jdbc, accountId)) {
            sb.append(line).append('\n');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical rows, for diffing when checksums differ. */
    public static List<String> lines(JdbcTemplate jdbc, long accountId) {
        String contactKey = "(SELECT GROUP_CONCAT(ccu.clever_user_id ORDER BY ccu.clever_user_id) FROM contact_clever_user ccu WHERE ccu.contact_id = %s)";
        List<String> rows = new java.util.ArrayList<>();
        rows.addAll(jdbc.queryForList("""
                SELECT CONCAT_WS('|', 'contact', c.kind, c.access_level, COALESCE(c.first_name, '-'), COALESCE(c.last_name, '-'),
                  COALESCE(c.email, '-'), COALESCE(c.phone, '-'), COALESCE(c.external_id, '-'), COALESCE(c.grade, '-'), c.source,
                  IF(c.removed_at IS NULL, 'active', 'removed'), COALESCE(%s, '-'))
                FROM contact c WHERE c.account_id = ? ORDER BY 1""".formatted(contactKey.formatted("c.id")), String.class, accountId));
        rows.addAll(jdbc.queryForList("""
                SELECT CONCAT_WS('|', 'class', e.name, ec.clever_section_id, ec.name, COALESCE(ec.period, '-'), COALESCE(ec.subject, '-'),
                  COALESCE(ec.grade, '-'), ec.type, IF(ec.deleted_at IS NULL, 'live', 'deleted'))
                FROM event_class ec JOIN event e ON e.id = ec.event_id WHERE e.account_id = ? ORDER BY 1""", String.class, accountId));
        for (String table : List.of("class_teacher", "class_student")) {
            rows.addAll(jdbc.queryForList("""
                    SELECT CONCAT_WS('|', '%s', e.name, ec.clever_section_id, %s)
                    FROM %s x JOIN event_class ec ON ec.id = x.class_id JOIN event e ON e.id = ec.event_id
                    WHERE e.account_id = ? ORDER BY 1""".formatted(table, contactKey.formatted("x.contact_id"), table), String.class, accountId));
        }
        rows.addAll(jdbc.queryForList("""
                SELECT CONCAT_WS('|', 'student_parent', %s, %s, COALESCE(sp.relationship, '-'), COALESCE(sp.relationship_type, '-'))
                FROM student_parent sp JOIN contact s ON s.id = sp.student_id WHERE s.account_id = ? ORDER BY 1"""
                .formatted(contactKey.formatted("sp.student_id"), contactKey.formatted("sp.parent_id")), String.class, accountId));
        rows.addAll(jdbc.queryForList("""
                SELECT CONCAT_WS('|', 'school', clever_school_id, name, IF(detached_at IS NULL, 'attached', 'detached'))
                FROM school WHERE account_id = ? ORDER BY 1""", String.class, accountId));
        return rows;
    }
}
