package com.cleversync.importing;

import com.cleversync.system.BulkLoad;
import com.cleversync.system.BulkLoad.OnDuplicate;
import com.cleversync.system.InList;
import com.cleversync.clever.CleverName;
import com.cleversync.clever.CleverUser;
import com.cleversync.clever.Item;
import com.cleversync.roster.RowHash;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static com.cleversync.system.InList.STRING_KEYS;

/**
 * The district's contact users as read from Clever ({@code district_contact*}, see V8): which refresh (a
 * "district read", {@code district_read}) a job instance relies on, refreshing the stored contacts from a read of
 * Clever's list, and the contacts of one import's students. A district has one list of contacts for all its
 * schools; reading it once and picking each import's contacts in the database replaces reading the whole list in
 * every import. A refresh writes only what changed: an unchanged district costs one lookup per page.
 */
public class DistrictContacts {

    private static final List<String> CONTACT_COLUMNS = List.of("account_id", "clever_user_id", "email", "name_first",
            "name_middle", "name_last", "sis_id", "phone", "phone_type", "malformed", "error", "row_hash");
    private static final List<String> RELATIONSHIP_COLUMNS = List.of("account_id", "student_clever_id", "clever_user_id", "ord",
            "relationship", "relationship_type");

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final BulkLoad bulk;
    private final TransactionTemplate tx;

    public DistrictContacts(JdbcTemplate jdbc, BulkLoad bulk, PlatformTransactionManager tm) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.bulk = bulk;
        this.tx = new TransactionTemplate(tm);
    }

    /** A read (a refresh of the account's stored contacts) and whether it still needs filling. */
    public record Read(long id, long accountId, boolean complete) {
    }

    /** The read the job instance uses, if it chose one already (a restart). */
    public Optional<Read> readOf(long jobInstanceId) {
        return jdbc.query("""
                SELECT r.id, r.account_id, r.completed_at IS NOT NULL FROM import_run_district_read m
                JOIN district_read r ON r.id = m.read_id WHERE m.job_instance_id = ?""",
                (rs, n) -> new Read(rs.getLong(1), rs.getLong(2), rs.getBoolean(3)), jobInstanceId).stream().findFirst();
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
                return use(jobInstanceId, accountId, ofBatch.getFirst());
            }
            return create(jobInstanceId, accountId, false, "INSERT INTO district_read (account_id, shared, share_key) VALUES (?, TRUE, ?)",
                    accountId, key);
        }
        if (shared && !maxAge.isZero()) {
            Timestamp since = Timestamp.from(Instant.now().minus(maxAge));
            List<Long> fresh = jdbc.queryForList("""
                    SELECT id FROM district_read WHERE account_id = ? AND shared = TRUE AND share_key IS NULL AND completed_at >= ?
                    ORDER BY completed_at DESC LIMIT 1""", Long.class, accountId, since);
            if (!fresh.isEmpty()) {
                return use(jobInstanceId, accountId, fresh.getFirst());
            }
        }
        return create(jobInstanceId, accountId, false, "INSERT INTO district_read (account_id, shared) VALUES (?, ?)", accountId, shared);
    }

    /** The job instance relies on an existing complete read. */
    private Read use(long jobInstanceId, long accountId, long readId) {
        assign(jobInstanceId, readId);
        return new Read(readId, accountId, true);
    }

    /**
     * A new read ({@code insert} with its arguments) that the job instance relies on. The read and its assignment
     * commit together: another import's {@link #release} never sees the read unheld and deletes it.
     */
    private Read create(long jobInstanceId, long accountId, boolean complete, String insert, Object... args) {
        return tx.execute(status -> {
            var keys = new GeneratedKeyHolder();
            JdbcClient.create(jdbc).sql(insert).params(args).update(keys);
            long id = keys.getKey().longValue();
            assign(jobInstanceId, id);
            return new Read(id, accountId, complete);
        });
    }

    private void assign(long jobInstanceId, long readId) {
        jdbc.update("INSERT INTO import_run_district_read (job_instance_id, read_id) VALUES (?, ?) "
                + "ON DUPLICATE KEY UPDATE read_id = VALUES(read_id)", jobInstanceId, readId);
    }

    /**
     * Marks the read complete. Clever listed nothing after the last id it stored, so stored contacts after that id
     * are gone (all of them when the list was empty), unless a page came out of order.
     */
    public void complete(Read read) {
        Progress progress = progress(read);
        if (progress.inOrder()) {
            List<String> gone = jdbc.queryForList("""
                    SELECT clever_user_id FROM district_contact WHERE account_id = ? AND clever_user_id > ?""",
                    String.class, read.accountId(), progress.filledThrough() == null ? "" : progress.filledThrough());
            delete(read.accountId(), gone);
        }
        jdbc.update("UPDATE district_read SET completed_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND completed_at IS NULL", read.id());
    }

    /** How far a read got: the last id it stored, and whether every page so far came in id order. */
    private record Progress(String filledThrough, boolean inOrder) {
    }

    private Progress progress(Read read) {
        return jdbc.queryForObject("SELECT filled_through, in_order FROM district_read WHERE id = ?",
                (rs, n) -> new Progress(rs.getString(1), rs.getBoolean(2)), read.id());
    }

    private static boolean ascii(String id) {
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * One contact user as it is stored, with the fingerprint that tells whether it changed; its row and its
     * relationships' rows come with their LOAD DATA text, made where the record is prepared.
     */
    private record Stored(String id, BulkLoad.Encoded row, List<BulkLoad.Encoded> relationships, long hash) {
    }

    /**
     * A contact user read for the store, with its row and fingerprint already computed: pure work, done off the step's
     * thread while the previous chunk is written (see {@link DistrictContactsFillReader}).
     */
    public static final class Prepared {
        private final Item<CleverUser> item;
        private final Stored stored;

        private Prepared(Item<CleverUser> item, Stored stored) {
            this.item = item;
            this.stored = stored;
        }

        public String id() {
            return item.id();
        }
    }

    /** The contact user prepared for {@link #writePrepared} into the account's stored contacts. */
    public static Prepared prepare(long accountId, Item<CleverUser> item) {
        return new Prepared(item, stored(accountId, item));
    }

    /**
     * Refreshes the stored contacts from a page of the read (malformed ones with their error, each {@link #prepare}d
     * beforehand), in one transaction with the reader's position: writes the contacts that are new or changed and
     * deletes those Clever skipped over since the previous page. Idempotent, so a retried chunk is harmless.
     */
    public void writePrepared(Read read, List<? extends Prepared> items) {
        if (items.isEmpty()) {
            return;
        }
        long account = read.accountId();
        Progress progress = progress(read);
        String before = progress.filledThrough();
        boolean inOrder = progress.inOrder();

        Map<String, Stored> page = new LinkedHashMap<>();
        String previous = before;
        for (Prepared item : items) {
            // Clever's ids are ASCII (hex): other ids might order differently here and in the database.
            if (previous != null && item.id().compareTo(previous) <= 0 || !ascii(item.id())) {
                inOrder = false;
            }
            previous = item.id();
            page.put(item.id(), item.stored);
        }

        Map<String, Long> hashes = new HashMap<>();
        if (inOrder) {
            // Clever lists users in id order: one range read gives the stored fingerprints of this page, and a stored
            // id between the previous page and the end of this one that this page does not hold is gone from Clever.
            List<String> gone = new ArrayList<>();
            jdbc.query("""
                    SELECT clever_user_id, row_hash FROM district_contact
                    WHERE account_id = ? AND clever_user_id > ? AND clever_user_id <= ?""", rs -> {
                String id = rs.getString(1);
                if (page.containsKey(id)) {
                    hashes.put(id, rs.getLong(2));
                } else {
                    gone.add(id);
                }
            }, account, before == null ? "" : before, previous);
            delete(account, gone);
        } else {
            hashes.putAll(storedHashes(account, page.keySet()));
        }
        upsert(account, page.values(), hashes);
        jdbc.update("UPDATE district_read SET filled_through = ?, in_order = ? WHERE id = ?", previous, inOrder, read.id());
    }

    /** The stored fingerprints of these contacts, by id (those not stored are absent). */
    private Map<String, Long> storedHashes(long account, Collection<String> ids) {
        Map<String, Long> hashes = new HashMap<>();
        InList.joined(named, "SELECT STRAIGHT_JOIN dc.clever_user_id, dc.row_hash FROM " + STRING_KEYS
                        + " JOIN district_contact dc FORCE INDEX (PRIMARY) ON dc.account_id = :a AND dc.clever_user_id = k.v COLLATE utf8mb4_bin",
                new MapSqlParameterSource("a", account), ids, rs -> {
                    hashes.put(rs.getString(1), rs.getLong(2));
                });
        return hashes;
    }

    /**
     * Writes those of the contacts that are new or changed ({@code hashes}: the stored fingerprints, by id), with
     * their relationships.
     */
    private void upsert(long account, Collection<Stored> contacts, Map<String, Long> hashes) {
        List<Stored> changed = contacts.stream().filter(c -> !Long.valueOf(c.hash()).equals(hashes.get(c.id()))).toList();
        if (!changed.isEmpty()) {
            List<String> replaced = changed.stream().map(Stored::id).filter(hashes::containsKey).toList();
            if (!replaced.isEmpty()) {
                InList.update(named, "DELETE FROM district_contact_relationship WHERE account_id = :a AND clever_user_id IN (:ids)",
                        new MapSqlParameterSource("a", account), "ids", replaced);
            }
            // A stored contact is replaced whole: nothing refers to its row.
            bulk.writeEncoded("district_contact", CONTACT_COLUMNS, OnDuplicate.REPLACE, changed.stream().map(Stored::row).toList());
            bulk.writeEncoded("district_contact_relationship", RELATIONSHIP_COLUMNS, OnDuplicate.IGNORE,
                    changed.stream().flatMap(c -> c.relationships().stream()).toList());
        }
    }

    private static Stored stored(long account, Item<CleverUser> item) {
        if (item.malformed()) {
            long hash = RowHash.of("malformed", item.error());
            return new Stored(item.id(), BulkLoad.encode(new Object[] {account, item.id(), null, null, null, null, null, null, null, true,
                    item.error(), hash}), List.of(), hash);
        }
        CleverUser u = item.value();
        CleverName name = u.name();
        CleverUser.Contact c = u.contact();
        // email, name_first, name_middle, name_last, sis_id, phone, phone_type: stored as they are, fingerprinted.
        String[] values = {u.email(), name == null ? null : name.first(), name == null ? null : name.middle(),
                name == null ? null : name.last(), c == null ? null : c.sisId(), c == null ? null : c.phone(),
                c == null ? null : c.phoneType()};
        List<String> fields = new ArrayList<>();
        for (String v : values) {
            fields.add(nz(v));
        }
        List<BulkLoad.Encoded> relationships = new ArrayList<>();
        if (c != null) {
            int ord = 0;
            for (CleverUser.StudentRelationship r : c.studentRelationships()) {
                ord++;
                if (r.student() != null) {
                    relationships.add(BulkLoad.encode(new Object[] {account, r.student(), u.id(), ord, r.relationship(), r.type()}));
                    fields.add(ord + "|" + r.student() + "|" + nz(r.relationship()) + "|" + nz(r.type()));
                }
            }
        }
        long hash = RowHash.of(fields.toArray(String[]::new));
        Object[] row = {account, u.id(), values[0], values[1], values[2], values[3], values[4], values[5], values[6], false,
                null, hash};
        return new Stored(u.id(), BulkLoad.encode(row), relationships, hash);
    }

    /** A field for the fingerprint: null and empty differ. */
    private static String nz(String s) {
        return s == null ? "\u0001" : s;
    }

    private void delete(long account, List<String> ids) {
        for (List<String> slice : InList.slices(ids)) {
            MapSqlParameterSource params = new MapSqlParameterSource("a", account).addValue("ids", slice);
            named.update("DELETE FROM district_contact_relationship WHERE account_id = :a AND clever_user_id IN (:ids)", params);
            named.update("DELETE FROM district_contact WHERE account_id = :a AND clever_user_id IN (:ids)", params);
        }
    }

    /**
     * The ids, in Clever's order (ascending), of the account's contacts related to one of the students (those the
     * job instance's sections enroll), and of every malformed record (its relations are unknown, so every import
     * reports it, as when each import read the whole list). A school's worth: a few thousand ids.
     */
    public List<String> idsFor(Read read, Set<String> students) {
        Set<String> ids = new HashSet<>(idsRelatedTo(read.accountId(), students));
        ids.addAll(jdbc.queryForList("SELECT clever_user_id FROM district_contact WHERE account_id = ? AND malformed",
                String.class, read.accountId()));
        List<String> ordered = new ArrayList<>(ids);
        Collections.sort(ordered);
        return ordered;
    }

    /** The ids of the account's stored contacts related to any of the given students. */
    public Set<String> idsRelatedTo(long accountId, Collection<String> students) {
        Set<String> ids = new HashSet<>();
        InList.joined(named, """
                SELECT STRAIGHT_JOIN r.clever_user_id FROM %s
                JOIN district_contact_relationship r FORCE INDEX (ix_district_contact_relationship_student)
                  ON r.account_id = :a AND r.student_clever_id = k.v COLLATE utf8mb4_unicode_ci"""
                        .formatted(STRING_KEYS),
                new MapSqlParameterSource("a", accountId), students, rs -> {
                    ids.add(rs.getString(1));
                });
        return ids;
    }

    /**
     * A read for a job instance that applies a night's changes: the stored contacts as they are (the nightly applied
     * the night's contact changes to them first, see {@link #apply}), so it is complete from the start.
     */
    public Read current(long jobInstanceId, long accountId) {
        Optional<Read> before = readOf(jobInstanceId);
        if (before.isPresent()) {
            return before.get();
        }
        return create(jobInstanceId, accountId, true,
                "INSERT INTO district_read (account_id, shared, completed_at) VALUES (?, FALSE, CURRENT_TIMESTAMP(3))", accountId);
    }

    /**
     * Applies changed contact users to the account's stored contacts, in one transaction: changed ones are written,
     * deleted ones (and users that are no longer contacts) removed. Idempotent: changes applied again change nothing.
     * One keyed lookup finds which of the ids are stored, so that only those are deleted (most users a night changes
     * are students and teachers, never stored here).
     */
    public void apply(long accountId, Collection<CleverUser> changed, Collection<String> deleted) {
        Set<String> gone = new LinkedHashSet<>(deleted);
        Map<String, Stored> page = new LinkedHashMap<>();
        for (CleverUser u : changed) {
            if (u.contact() == null) {
                gone.add(u.id());
            } else {
                page.put(u.id(), stored(accountId, Item.of(u.id(), u)));
            }
        }
        if (gone.isEmpty() && page.isEmpty()) {
            return;
        }
        Set<String> ids = new HashSet<>(page.keySet());
        ids.addAll(gone);
        tx.executeWithoutResult(status -> {
            Map<String, Long> stored = storedHashes(accountId, ids);
            delete(accountId, gone.stream().filter(stored::containsKey).toList());
            upsert(accountId, page.values(), stored);
        });
    }

    /**
     * The given contacts, in the given order, with all their relationships in Clever's order (the mapper keeps those
     * to the import's students). A contact another refresh deleted meanwhile (Clever dropped it) is left out. One
     * statement per slice of ids reads a contact with its relationships (a row each; one row without any).
     */
    public List<Item<CleverUser>> contacts(Read read, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, StoredContact> rows = new HashMap<>();
        InList.joined(named, """
                SELECT STRAIGHT_JOIN dc.clever_user_id, dc.email, dc.name_first, dc.name_middle, dc.name_last, dc.sis_id, dc.phone,
                  dc.phone_type, dc.malformed, dc.error, r.ord, r.student_clever_id, r.relationship, r.relationship_type
                FROM %s
                JOIN district_contact dc FORCE INDEX (PRIMARY) ON dc.account_id = :a AND dc.clever_user_id = k.v COLLATE utf8mb4_bin
                LEFT JOIN district_contact_relationship r FORCE INDEX (PRIMARY) ON r.account_id = dc.account_id AND r.clever_user_id = dc.clever_user_id"""
                        .formatted(STRING_KEYS), new MapSqlParameterSource("a", read.accountId()), ids,
                rs -> {
                    String id = rs.getString(1);
                    StoredContact row = rows.get(id);
                    if (row == null) {
                        row = rs.getBoolean(9) ? new StoredContact(Item.malformed(id, rs.getString(10)))
                                : new StoredContact(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                        rs.getString(6), rs.getString(7), rs.getString(8));
                        rows.put(id, row);
                    }
                    int ord = rs.getInt(11);
                    if (!rs.wasNull()) {
                        row.relationships.put(ord, new CleverUser.StudentRelationship(rs.getString(12), rs.getString(13), rs.getString(14)));
                    }
                });
        List<Item<CleverUser>> page = new ArrayList<>(ids.size());
        for (String id : ids) {
            StoredContact row = rows.get(id);
            if (row != null) {
                page.add(row.item());
            }
        }
        return page;
    }

    /** A stored contact as its rows arrive: the contact's fields (or its malformed record) and its relationships. */
    private static final class StoredContact {
        private final Item<CleverUser> malformed;
        private final String[] fields;
        /** Keyed by {@code ord}: in Clever's order, and each once even if the id was asked for twice. */
        private final TreeMap<Integer, CleverUser.StudentRelationship> relationships = new TreeMap<>();

        StoredContact(Item<CleverUser> malformed) {
            this.malformed = malformed;
            this.fields = null;
        }

        /** id, email, name_first, name_middle, name_last, sis_id, phone, phone_type. */
        StoredContact(String... fields) {
            this.malformed = null;
            this.fields = fields;
        }

        Item<CleverUser> item() {
            if (malformed != null) {
                return malformed;
            }
            List<CleverUser.StudentRelationship> ordered = List.copyOf(relationships.values());
            String first = fields[2];
            String middle = fields[3];
            String last = fields[4];
            CleverName name = first == null && middle == null && last == null ? null : new CleverName(first, middle, last);
            CleverUser.Contact contact = new CleverUser.Contact(fields[5], fields[6], fields[7], ordered);
            return Item.of(fields[0], new CleverUser(fields[0], null, fields[1], name, null, null, contact, false, false));
        }
    }

    /**
     * Deletes the records of reads no job instance holds any more, except shared ones young enough to be reused
     * (the contacts themselves stay: they are the account's, refreshed by the next read). Called when
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
            // Unless a job instance took it up since (a read of a batch of runs that another run chose meanwhile).
            jdbc.update("""
                    DELETE FROM district_read WHERE id = ?
                      AND NOT EXISTS (SELECT 1 FROM import_run_district_read m WHERE m.read_id = ?)""", id, id);
        }
    }
}
