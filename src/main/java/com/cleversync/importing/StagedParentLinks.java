package com.cleversync.importing;

import com.cleversync.system.BulkLoad;
import com.cleversync.system.InList;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import static com.cleversync.system.InList.LONG_KEYS;

/**
 * The student–parent links a job instance staged ({@code import_stage_parent_links}, V9): one row per written chunk
 * of parents, keyed by the chunk's first Clever id, holding its links as lines of
 * {@code student_id TAB parent_id TAB relationship TAB relationship_type}, texts escaped as LOAD DATA's default
 * format ({@code \N} for null). An import's worth, loaded by the step that needs it.
 */
final class StagedParentLinks {

    /** A student_parent row: the pair is the key, the relationship texts its data. */
    record Link(long studentId, long parentId, String relationship, String type) {
        Pair pair() {
            return new Pair(studentId, parentId);
        }
    }

    record Pair(long studentId, long parentId) {
    }

    private StagedParentLinks() {
    }

    /** Stages a chunk's links; a retried chunk replaces its own row. */
    static void stage(JdbcTemplate jdbc, long jobInstanceId, String chunkKey, Collection<Link> links) {
        if (links.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(links.size() * 40);
        for (Link l : links) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(l.studentId()).append('\t').append(l.parentId()).append('\t');
            BulkLoad.appendField(sb, l.relationship());
            sb.append('\t');
            BulkLoad.appendField(sb, l.type());
        }
        jdbc.update("""
                INSERT INTO import_stage_parent_links (job_instance_id, chunk_key, links) VALUES (?, ?, ?)
                ON DUPLICATE KEY UPDATE links = VALUES(links)""", jobInstanceId, chunkKey, sb.toString());
    }

    /** Every staged link, by pair; where chunks disagree about a pair, the later chunk (Clever's order) wins. */
    static Map<Pair, Link> load(JdbcTemplate jdbc, long jobInstanceId) {
        Map<Pair, Link> links = new LinkedHashMap<>();
        jdbc.query("SELECT links FROM import_stage_parent_links WHERE job_instance_id = ? ORDER BY chunk_key", rs -> {
            for (String line : rs.getString(1).split("\n")) {
                String[] f = line.split("\t", -1);
                if (f.length != 4) {
                    throw new IllegalStateException("staged parent link of job instance " + jobInstanceId + " is malformed");
                }
                Link link = new Link(Long.parseLong(f[0]), Long.parseLong(f[1]), unescape(f[2]), unescape(f[3]));
                links.put(link.pair(), link);
            }
        }, jobInstanceId);
        return links;
    }

    /** The {@code student_parent} rows of these students (an import's worth), by pair, in the database's order. */
    static Map<Pair, Link> stored(NamedParameterJdbcTemplate named, Collection<Long> studentIds) {
        return storedBy(named, STORED_OF_STUDENTS, studentIds);
    }

    /** The {@code student_parent} rows of these parents, by pair. */
    static Map<Pair, Link> storedOfParents(NamedParameterJdbcTemplate named, Collection<Long> parentIds) {
        return storedBy(named, STORED_OF_PARENTS, parentIds);
    }

    private static final String STORED = "SELECT STRAIGHT_JOIN sp.student_id, sp.parent_id, sp.relationship, sp.relationship_type FROM "
            + LONG_KEYS + " JOIN student_parent sp ";
    private static final String STORED_OF_STUDENTS = STORED + "FORCE INDEX (PRIMARY) ON sp.student_id = k.v";
    private static final String STORED_OF_PARENTS = STORED + "FORCE INDEX (ix_student_parent_parent) ON sp.parent_id = k.v";

    private static Map<Pair, Link> storedBy(NamedParameterJdbcTemplate named, String sql, Collection<Long> ids) {
        Map<Pair, Link> stored = new LinkedHashMap<>();
        InList.joined(named, sql, new MapSqlParameterSource(), ids, rs -> {
                    Link l = new Link(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4));
                    stored.put(l.pair(), l);
                });
        return stored;
    }

    static String unescape(String s) {
        if (s.equals("\\N")) {
            return null;
        }
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
