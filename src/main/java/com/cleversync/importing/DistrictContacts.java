package com.cleversync.importing;

import com.cleversync.clever.CleverName;
import com.cleversync.clever.CleverUser;
import com.cleversync.clever.Item;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The district's contact users as read from Clever ({@code district_read*} tables, see V5): which read a job
 * instance uses, writing a read, and the contacts of one import's students out of it. A district has one list
 * of contacts for all its schools; reading it once and picking each import's contacts in the database replaces
 * reading the whole list in every import.
 */
public class DistrictContacts {

    private static final int BATCH = 1000;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    public DistrictContacts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    /** A read and whether it still needs filling. */
    public record Read(long id, boolean complete) {
    }

    /** The read the job instance uses, if it chose one already (a restart). */
    public Optional<Read> readOf(long jobInstanceId) {
        return jdbc.query("""
                SELECT r.id, r.completed_at IS NOT NULL FROM import_run_district_read m
                JOIN district_read r ON r.id = m.read_id WHERE m.job_instance_id = ?""",
                (rs, n) -> new Read(rs.getLong(1), rs.getBoolean(2)), jobInstanceId).stream().findFirst();
    }

    /**
     * Chooses the read of a job instance: the one it chose before (a restart); else, with a {@code key} (a batch
     * of runs, e.g. one nightly sync), the account's complete read of that batch, or a new one for the batch;
     * else, for a {@code shared} (nightly) run, the newest complete shared read of the account that completed no
     * longer ago than {@code maxAge}; else a new read.
     */
    public Read choose(long jobInstanceId, long accountId, boolean shared, String key, Duration maxAge) {
        Optional<Read> before = readOf(jobInstanceId);
        if (before.isPresent()) {
            return before.get();
        }
        if (key != null) {
            List<Long> ofBatch = jdbc.queryForList("""
                    SELECT id FROM district_read WHERE account_id = ? AND share_key = ? AND completed_at IS NOT NULL
                    ORDER BY completed_at DESC LIMIT 1""", Long.class, accountId, key);
            if (!ofBatch.isEmpty()) {
                assign(jobInstanceId, ofBatch.getFirst());
                return new Read(ofBatch.getFirst(), true);
            }
            jdbc.update("INSERT INTO district_read (account_id, shared, share_key) VALUES (?, TRUE, ?)", accountId, key);
            long id = jdbc.queryForObject("SELECT LAST_INSERT_ID()", Long.class);
            assign(jobInstanceId, id);
            return new Read(id, false);
        }
        if (shared && !maxAge.isZero()) {
            Timestamp since = Timestamp.from(Instant.now().minus(maxAge));
            List<Long> fresh = jdbc.queryForList("""
                    SELECT id FROM district_read WHERE account_id = ? AND shared = TRUE AND share_key IS NULL AND completed_at >= ?
                    ORDER BY completed_at DESC LIMIT 1""", Long.class, accountId, since);
            if (!fresh.isEmpty()) {
                assign(jobInstanceId, fresh.getFirst());
                return new Read(fresh.getFirst(), true);
            }
        }
        jdbc.update("INSERT INTO district_read (account_id, shared) VALUES (?, ?)", accountId, shared);
        long id = jdbc.queryForObject("SELECT LAST_INSERT_ID()", Long.class);
        assign(jobInstanceId, id);
        return new Read(id, false);
    }

    private void assign(long jobInstanceId, long readId) {
        jdbc.update("INSERT INTO import_run_district_read (job_instance_id, read_id) VALUES (?, ?) "
                + "ON DUPLICATE KEY UPDATE read_id = VALUES(read_id)", jobInstanceId, readId);
    }

    public void complete(long readId) {
        jdbc.update("UPDATE district_read SET completed_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND completed_at IS NULL", readId);
    }

    /** Stores a chunk of contact users (malformed ones with their error); idempotent, so a retried chunk is harmless. */
    public void write(long readId, List<? extends Item<CleverUser>> items) {
        List<Object[]> contacts = new ArrayList<>(items.size());
        List<Object[]> relationships = new ArrayList<>(items.size() * 2);
        for (Item<CleverUser> item : items) {
            if (item.malformed()) {
                contacts.add(new Object[] {readId, item.id(), null, null, null, null, null, null, null, true, item.error()});
                continue;
            }
            CleverUser u = item.value();
            CleverName name = u.name();
            CleverUser.Contact c = u.contact();
            contacts.add(new Object[] {readId, u.id(), u.email(), name == null ? null : name.first(),
                    name == null ? null : name.middle(), name == null ? null : name.last(), c == null ? null : c.sisId(),
                    c == null ? null : c.phone(), c == null ? null : c.phoneType(), false, null});
            if (c != null) {
                int ord = 0;
                for (CleverUser.StudentRelationship r : c.studentRelationships()) {
                    ord++;
                    if (r.student() != null) {
                        relationships.add(new Object[] {readId, r.student(), u.id(), ord, r.relationship(), r.type()});
                    }
                }
            }
        }
        jdbc.batchUpdate("""
                INSERT IGNORE INTO district_read_contact (read_id, clever_user_id, email, name_first, name_middle, name_last,
                  sis_id, phone, phone_type, malformed, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", contacts);
        if (!relationships.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT IGNORE INTO district_read_relationship (read_id, student_clever_id, clever_user_id, ord,
                      relationship, relationship_type) VALUES (?, ?, ?, ?, ?, ?)""", relationships);
        }
    }

    /**
     * The ids, in Clever's order (ascending), of the read's contacts related to a student the job instance's
     * sections enroll, and of every malformed record (its relations are unknown, so every import reports it, as
     * when each import read the whole list). A school's worth: a few thousand ids.
     */
    public List<String> idsFor(long readId, long jobInstanceId) {
        List<String> students = new ArrayList<>(StagedEnrollments.load(jdbc, jobInstanceId).users(StagedEnrollments.STUDENT));
        Set<String> ids = new HashSet<>();
        for (int from = 0; from < students.size(); from += BATCH) {
            ids.addAll(named.queryForList("""
                    SELECT DISTINCT clever_user_id FROM district_read_relationship
                    WHERE read_id = :r AND student_clever_id IN (:ids)""",
                    new MapSqlParameterSource("r", readId).addValue("ids", students.subList(from, Math.min(students.size(), from + BATCH))),
                    String.class));
        }
        ids.addAll(jdbc.queryForList("SELECT clever_user_id FROM district_read_contact WHERE read_id = ? AND malformed",
                String.class, readId));
        List<String> ordered = new ArrayList<>(ids);
        Collections.sort(ordered);
        return ordered;
    }

    /**
     * The given contacts of the read, in the given order, with all their relationships (the mapper keeps those
     * to the import's students).
     */
    public List<Item<CleverUser>> contacts(long readId, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        MapSqlParameterSource params = new MapSqlParameterSource("r", readId).addValue("ids", ids);
        Map<String, List<CleverUser.StudentRelationship>> relations = new HashMap<>();
        // Every relationship of the page's contacts, in Clever's order; the mapper decides which count.
        named.query("""
                SELECT clever_user_id, student_clever_id, relationship, relationship_type FROM district_read_relationship
                WHERE read_id = :r AND clever_user_id IN (:ids) ORDER BY clever_user_id, ord""", params, rs -> {
            relations.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                    .add(new CleverUser.StudentRelationship(rs.getString(2), rs.getString(3), rs.getString(4)));
        });
        Map<String, Item<CleverUser>> rows = new HashMap<>();
        named.query("""
                SELECT clever_user_id, email, name_first, name_middle, name_last, sis_id, phone, phone_type, malformed, error
                FROM district_read_contact WHERE read_id = :r AND clever_user_id IN (:ids)""", params, rs -> {
            String id = rs.getString(1);
            if (rs.getBoolean(9)) {
                rows.put(id, Item.malformed(id, rs.getString(10)));
                return;
            }
            String first = rs.getString(3);
            String middle = rs.getString(4);
            String last = rs.getString(5);
            CleverName name = first == null && middle == null && last == null ? null : new CleverName(first, middle, last);
            CleverUser.Contact contact = new CleverUser.Contact(rs.getString(6), rs.getString(7), rs.getString(8),
                    List.copyOf(relations.getOrDefault(id, List.of())));
            rows.put(id, Item.of(id, new CleverUser(id, null, rs.getString(2), name, null, null, contact, false, false)));
        });
        List<Item<CleverUser>> page = new ArrayList<>(ids.size());
        for (String id : ids) {
            Item<CleverUser> item = rows.get(id);
            if (item == null) {
                throw new IllegalStateException("contact " + id + " vanished from district read " + readId);
            }
            page.add(item);
        }
        return page;
    }

    /**
     * Deletes the reads no job instance holds any more, except shared ones young enough to be reused. Called when
     * a job instance completed (it lets go of its read first).
     */
    public void release(long jobInstanceId, long accountId, Duration maxAge) {
        jdbc.update("DELETE FROM import_run_district_read WHERE job_instance_id = ?", jobInstanceId);
        Timestamp keepSince = Timestamp.from(Instant.now().minus(maxAge));
        List<Long> unused = jdbc.queryForList("""
                SELECT r.id FROM district_read r WHERE r.account_id = ?
                  AND NOT EXISTS (SELECT 1 FROM import_run_district_read m WHERE m.read_id = r.id)
                  AND NOT (r.shared AND r.completed_at >= ?)
                  AND (r.completed_at IS NOT NULL OR r.started_at < ?)""", Long.class, accountId, keepSince, keepSince);
        for (long id : unused) {
            jdbc.update("DELETE FROM district_read_relationship WHERE read_id = ?", id);
            jdbc.update("DELETE FROM district_read_contact WHERE read_id = ?", id);
            jdbc.update("DELETE FROM district_read WHERE id = ?", id);
        }
    }
}
