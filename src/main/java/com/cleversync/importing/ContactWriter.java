package com.cleversync.importing;

import com.cleversync.roster.ContactKind;
import com.cleversync.roster.ContactMatcher;
import com.cleversync.roster.ContactMatcher.Candidates;
import com.cleversync.roster.ContactMatcher.Match;
import com.cleversync.roster.Person;
import com.cleversync.system.BulkLoad;
import com.cleversync.system.BulkLoad.OnDuplicate;
import com.cleversync.system.InList;
import com.cleversync.system.Savepoints;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static com.cleversync.system.InList.STRING_KEYS;
import static com.cleversync.system.InList.LONG_KEYS;

/**
 * Writes a chunk of people as contacts: looks every candidate up in bulk (four queries per chunk, never one
 * per person), lets {@link ContactMatcher} decide, then inserts new contacts, updates changed ones, links
 * Clever user ids and, for parents, stages the student–parent links, each as one batched statement.
 * Unchanged contacts are not written. Counts go to the run report in the same transaction.
 */
public class ContactWriter implements ItemWriter<Person> {

    private static final List<String> CONTACT_COLUMNS = List.of("account_id", "kind", "access_level", "first_name", "last_name",
            "email", "email_norm", "phone", "external_id", "grade", "source", "dedupe_key", "row_hash", "clever_user_id");
    private static final List<String> LINK_COLUMNS = List.of("account_id", "clever_user_id", "contact_id", "sis_id");

    private final JdbcTemplate jdbc;
    private final BulkLoad bulk;
    private final NamedParameterJdbcTemplate named;
    private final ContactMatcher matcher;
    private final RunStats stats;
    private final long accountId;
    private final long jobInstanceId;
    private final ContactKind kind;
    private final String entity;
    /** Parents only: Clever student id → the student's contact (null: none), filled as chunks name them. */
    private final Map<String, Long> studentContacts = new HashMap<>();

    public ContactWriter(JdbcTemplate jdbc, BulkLoad bulk, ContactMatcher matcher, RunStats stats, ImportContext context,
                         ContactKind kind, String entity) {
        this.jdbc = jdbc;
        this.bulk = bulk;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.matcher = matcher;
        this.stats = stats;
        this.accountId = context.accountId();
        this.jobInstanceId = context.jobInstanceId();
        this.kind = kind;
        this.entity = entity;
    }

    /** A contact this chunk creates; {@code id} is set once inserted. */
    private static final class NewContact {
        final Person person;
        Long id;
        /** The database already held its dedupe key: {@code id} is that contact's. */
        boolean foldedInto;

        NewContact(Person person) {
            this.person = person;
        }
    }

    private record Existing(long id, String source, String cleverUserId, Long rowHash, Timestamp removedAt) {
    }

    /**
     * Writes the chunk whole or not at all (see {@link Savepoints}): Spring Batch retries a failed write in the same
     * transaction, and contacts a failed attempt created must not be there for the retry to match.
     */
    @Override
    public void write(Chunk<? extends Person> chunk) {
        List<? extends Person> people = chunk.getItems();
        if (people.isEmpty()) {
            return;
        }
        Savepoints.wholeOrNothing(jdbc.getDataSource(), RuntimeException.class, () -> {
            writeChunk(people);
            return null;
        });
    }

    private void writeChunk(List<? extends Person> people) {
        RunStats.Counts counts = new RunStats.Counts();
        List<RunStats.Issue> issues = new ArrayList<>();

        Map<Long, Existing> known = new HashMap<>();
        Map<String, Long> linked = linkedContacts(people, known);
        List<Person> unlinked = people.stream().filter(p -> !linked.containsKey(p.cleverUserId())).map(p -> (Person) p).toList();
        Map<String, Long> byDedupe = byDedupeKey(unlinked);
        Map<String, List<Long>> byExternal = byExternalId(unlinked);
        Map<String, List<Long>> byEmail = byEmail(unlinked);

        // Keyed by identity: a chunk holds each person once, and a record's hashCode would hash every field.
        List<Map.Entry<Person, Long>> toExisting = new ArrayList<>();
        Map<Person, NewContact> toNew = new IdentityHashMap<>();
        Map<String, NewContact> newByDedupe = new HashMap<>();
        List<NewContact> created = new ArrayList<>();

        for (Person p : people) {
            Candidates candidates = new Candidates(linked.get(p.cleverUserId()),
                    p.dedupeKey() == null ? null : byDedupe.get(p.dedupeKey()),
                    distinct(p.matchIds().stream().map(id -> byExternal.getOrDefault(id, List.of())).toList()),
                    p.emailNorm() == null ? List.of() : byEmail.getOrDefault(p.emailNorm(), List.of()));
            Match match = matcher.match(p, candidates);
            switch (match.outcome()) {
                case LINKED -> toExisting.add(Map.entry(p, match.contactId()));
                case MERGED -> {
                    toExisting.add(Map.entry(p, match.contactId()));
                    counts.add(RunStats.MERGED, 1);
                    issues.add(new RunStats.Issue(entity, p.cleverUserId(), "MERGED",
                            "same person as contact " + match.contactId() + " (" + keyKind(p) + ")"));
                }
                case MATCHED_EXTERNAL_ID, MATCHED_EMAIL -> {
                    toExisting.add(Map.entry(p, match.contactId()));
                    counts.add(RunStats.MATCHED, 1);
                    issues.add(new RunStats.Issue(entity, p.cleverUserId(), "MATCHED", "linked to existing contact "
                            + match.contactId() + " by " + (match.outcome() == ContactMatcher.Outcome.MATCHED_EMAIL ? "email" : "school id")));
                }
                case AMBIGUOUS, NEW -> {
                    NewContact pending = p.dedupeKey() == null ? null : newByDedupe.get(p.dedupeKey());
                    if (pending != null) {
                        toNew.put(p, pending);
                        counts.add(RunStats.MERGED, 1);
                        issues.add(new RunStats.Issue(entity, p.cleverUserId(), "MERGED",
                                "same person as Clever user " + pending.person.cleverUserId() + " (" + keyKind(p) + ")"));
                        continue;
                    }
                    NewContact n = new NewContact(p);
                    created.add(n);
                    toNew.put(p, n);
                    if (p.dedupeKey() != null) {
                        newByDedupe.put(p.dedupeKey(), n);
                    }
                    if (match.outcome() == ContactMatcher.Outcome.AMBIGUOUS) {
                        counts.add(RunStats.AMBIGUOUS, 1);
                        issues.add(new RunStats.Issue(entity, p.cleverUserId(), "AMBIGUOUS",
                                "several existing contacts could be this person " + match.candidates()
                                        + "; created a new contact instead of guessing"));
                    }
                }
            }
        }

        insertNew(created);
        for (NewContact n : created) {
            if (n.foldedInto) {
                counts.add(RunStats.MERGED, 1);
                issues.add(new RunStats.Issue(entity, n.person.cleverUserId(), "MERGED",
                        "same person as contact " + n.id + " (" + keyKind(n.person) + ")"));
            } else {
                counts.add(RunStats.CREATED, 1);
            }
        }
        updateExisting(toExisting, known, counts);

        Map<Person, Long> contactOf = new IdentityHashMap<>();
        toExisting.forEach(e -> contactOf.put(e.getKey(), e.getValue()));
        toNew.forEach((p, n) -> contactOf.put(p, n.id));
        Map<String, Long> taken = insertLinks(people, linked, contactOf);
        if (!taken.isEmpty()) {
            useContactsLinkedMeanwhile(people, taken, contactOf, created, counts);
        }
        if (kind == ContactKind.PARENT) {
            stageParentLinks(people, contactOf);
        }
        stats.add(jobInstanceId, entity, counts);
        stats.issues(jobInstanceId, issues);
    }

    private static String keyKind(Person p) {
        return p.dedupeKey() != null && p.dedupeKey().startsWith("email:") ? "same email" : "same name and phone";
    }

    /** The contacts the people's Clever ids are linked to, with each contact's row as {@code known} (one query). */
    private Map<String, Long> linkedContacts(List<? extends Person> people, Map<Long, Existing> known) {
        Map<String, Long> map = new HashMap<>();
        InList.joined(named, """
                SELECT STRAIGHT_JOIN ccu.clever_user_id, c.id, c.source, c.clever_user_id, c.row_hash, c.removed_at
                FROM %s
                JOIN contact_clever_user ccu FORCE INDEX (PRIMARY)
                  ON ccu.account_id = :a AND ccu.clever_user_id = k.v COLLATE utf8mb4_unicode_ci
                JOIN contact c FORCE INDEX (PRIMARY) ON c.id = ccu.contact_id""".formatted(STRING_KEYS),
                new MapSqlParameterSource("a", accountId), people.stream().map(Person::cleverUserId).toList(),
                rs -> {
                    long id = rs.getLong(2);
                    map.put(rs.getString(1), id);
                    known.put(id, existing(rs, 2));
                });
        return map;
    }

    /** A contact row read from {@code from} on: id, source, clever_user_id, row_hash, removed_at. */
    private static Existing existing(ResultSet rs, int from) throws SQLException {
        long id = rs.getLong(from);
        long hash = rs.getLong(from + 3);
        boolean noHash = rs.wasNull();
        return new Existing(id, rs.getString(from + 1), rs.getString(from + 2), noHash ? null : hash, rs.getTimestamp(from + 4));
    }

    private Map<String, Long> byDedupeKey(List<Person> people) {
        List<String> keys = people.stream().map(Person::dedupeKey).filter(Objects::nonNull).distinct().toList();
        Map<String, Long> map = new HashMap<>();
        if (!keys.isEmpty()) {
            InList.joined(named, "SELECT STRAIGHT_JOIN c.dedupe_key, c.id FROM " + STRING_KEYS + " JOIN contact c FORCE INDEX (uk_contact_dedupe) "
                            + "ON c.account_id = :a AND c.kind = :k AND c.dedupe_key = k.v COLLATE utf8mb4_unicode_ci",
                    new MapSqlParameterSource("a", accountId).addValue("k", kind.name()), keys,
                    rs -> {
                        map.put(rs.getString(1), rs.getLong(2));
                    });
        }
        return map;
    }

    private Map<String, List<Long>> byExternalId(List<Person> people) {
        List<String> ids = people.stream().flatMap(p -> p.matchIds().stream()).distinct().toList();
        return grouped("SELECT STRAIGHT_JOIN c.external_id, c.id FROM " + STRING_KEYS + " JOIN contact c FORCE INDEX (ix_contact_external) "
                + "ON c.account_id = :a AND c.kind = :k AND c.external_id = k.v COLLATE utf8mb4_unicode_ci", ids);
    }

    /**
     * MANUAL contacts of the kind with the people's emails. An account without any (one probe of the email key, per
     * chunk: a CSV import may add some meanwhile) is not asked for each email.
     */
    private Map<String, List<Long>> byEmail(List<Person> people) {
        List<String> emails = people.stream().map(Person::emailNorm).filter(Objects::nonNull).distinct().toList();
        if (emails.isEmpty() || !Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM contact WHERE account_id = ? AND kind = ? AND source = 'MANUAL')", Boolean.class, accountId, kind.name()))) {
            return Map.of();
        }
        return grouped("SELECT STRAIGHT_JOIN c.email_norm, c.id FROM " + STRING_KEYS + " JOIN contact c FORCE INDEX (ix_contact_email) "
                + "ON c.account_id = :a AND c.kind = :k AND c.source = 'MANUAL' AND c.email_norm = k.v COLLATE utf8mb4_unicode_ci", emails);
    }

    /**
     * The contacts by the stored value of the looked-up column (each once: two keys the collation holds equal, such as
     * "josé" and "jose", both find the row).
     */
    private Map<String, List<Long>> grouped(String sql, List<String> values) {
        Map<String, List<Long>> map = new HashMap<>();
        if (!values.isEmpty()) {
            InList.joined(named, sql, new MapSqlParameterSource("a", accountId).addValue("k", kind.name()), values,
                    rs -> {
                        List<Long> ids = map.computeIfAbsent(rs.getString(1), x -> new ArrayList<>());
                        long id = rs.getLong(2);
                        if (!ids.contains(id)) {
                            ids.add(id);
                        }
                    });
        }
        return map;
    }

    private static List<Long> distinct(List<List<Long>> lists) {
        Set<Long> set = new LinkedHashSet<>();
        lists.forEach(set::addAll);
        return List.copyOf(set);
    }

    /**
     * Inserts the chunk's new contacts, all in one write. The database compares dedupe keys by its collation, which
     * ignores case and accents ("José Núñez" and "Jose Nunez" with one phone are one parent), while the chunk folded
     * equal strings only; when the one write breaks the dedupe key (it then leaves nothing behind, see
     * {@link BulkLoad#insertReturningKeys}), the contacts are inserted one at a time, each one the database refuses
     * folded into the contact that holds its key. So is one that another run of the account created meanwhile (a
     * locking read finds it, committed after this transaction's first read).
     */
    private void insertNew(List<NewContact> created) {
        try {
            assignKeys(created, bulk.insertReturningKeys("contact", CONTACT_COLUMNS, created.stream().map(n -> newRow(n.person)).toList()));
        } catch (DuplicateKeyException e) {
            insertOneByOne(created);
        }
    }

    private void insertOneByOne(List<NewContact> created) {
        for (NewContact n : created) {
            try {
                n.id = bulk.insertReturningKeys("contact", CONTACT_COLUMNS, List.<Object[]>of(newRow(n.person)))[0];
            } catch (DuplicateKeyException e) {
                // A locking read: the holder may be another run's, committed after this transaction's first read.
                List<Long> holder = n.person.dedupeKey() == null ? List.of() : jdbc.queryForList(
                        "SELECT id FROM contact WHERE account_id = ? AND kind = ? AND dedupe_key = ? LOCK IN SHARE MODE", Long.class,
                        accountId, kind.name(), n.person.dedupeKey());
                if (holder.size() != 1) {
                    throw e;
                }
                n.id = holder.getFirst();
                n.foldedInto = true;
            }
        }
    }

    private static void assignKeys(List<NewContact> created, long[] ids) {
        for (int i = 0; i < created.size(); i++) {
            created.get(i).id = ids[i];
        }
    }

    /** A new contact's row, in {@link #CONTACT_COLUMNS}' order. */
    private Object[] newRow(Person p) {
        Object[] row = new Object[CONTACT_COLUMNS.size()];
        row[0] = accountId;
        row[1] = kind.name();
        row[2] = kind.accessLevel();
        System.arraycopy(fields(p), 0, row, 3, 7);
        row[10] = "CLEVER";
        row[11] = p.dedupeKey();
        row[12] = p.rowHash();
        row[13] = p.cleverUserId();
        return row;
    }

    /** first_name, last_name, email, email_norm, phone, external_id, grade, each cut to its column. */
    private static Object[] fields(Person p) {
        return new Object[] {cut(p.firstName(), 255), cut(p.lastName(), 255), cut(p.email(), 320), cut(p.emailNorm(), 320),
                cut(p.phone(), 64), cut(p.externalId(), 255), cut(p.grade(), 32)};
    }

    /** The {@link #fields} from {@code index} on. */
    private static void setFields(PreparedStatement ps, int index, Person p) throws SQLException {
        Object[] fields = fields(p);
        for (int i = 0; i < fields.length; i++) {
            ps.setObject(index + i, fields[i]);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /**
     * Updates contacts whose data changed, and brings back removed ones. Only the Clever user a contact mirrors
     * updates it; a CSV-imported contact keeps its own external_id.
     */
    private void updateExisting(List<Map.Entry<Person, Long>> toExisting, Map<Long, Existing> known, RunStats.Counts counts) {
        if (toExisting.isEmpty()) {
            return;
        }
        Map<Long, Existing> rows = new HashMap<>();
        Set<Long> unknown = new LinkedHashSet<>();
        for (Map.Entry<Person, Long> e : toExisting) {
            Existing row = known.get(e.getValue());
            if (row != null) {
                rows.put(row.id(), row);
            } else {
                unknown.add(e.getValue());
            }
        }
        if (!unknown.isEmpty()) {
            InList.joined(named, "SELECT STRAIGHT_JOIN c.id, c.source, c.clever_user_id, c.row_hash, c.removed_at FROM "
                            + LONG_KEYS + " JOIN contact c FORCE INDEX (PRIMARY) ON c.id = k.v",
                    new MapSqlParameterSource(), unknown, rs -> {
                        Existing row = existing(rs, 1);
                        rows.put(row.id(), row);
                    });
        }
        Map<Long, String> mirrorOf = new HashMap<>();
        rows.values().forEach(e -> mirrorOf.put(e.id(), e.cleverUserId()));
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> restores = new ArrayList<>();
        for (Map.Entry<Person, Long> entry : toExisting) {
            Person p = entry.getKey();
            Existing e = rows.get(entry.getValue());
            if (e == null) {
                throw new IllegalStateException("contact " + entry.getValue() + " vanished during the import");
            }
            String mirror = mirrorOf.get(e.id());
            if (mirror == null) {
                mirrorOf.put(e.id(), p.cleverUserId());
                mirror = p.cleverUserId();
            }
            boolean removed = e.removedAt() != null;
            if (!mirror.equals(p.cleverUserId())) {
                if (removed) {
                    restores.add(new Object[] {e.id()});
                    counts.add(RunStats.RESTORED, 1);
                } else {
                    counts.add(RunStats.UNCHANGED, 1);
                }
                continue;
            }
            boolean manual = "MANUAL".equals(e.source());
            long hash = (manual ? withoutExternalId(p) : p).rowHash();
            if (removed || e.rowHash() == null || e.rowHash() != hash || e.cleverUserId() == null) {
                updates.add(new Object[] {p, manual, hash, e.id()});
                counts.add(removed ? RunStats.RESTORED : RunStats.UPDATED, 1);
            } else {
                counts.add(RunStats.UNCHANGED, 1);
            }
        }
        if (!updates.isEmpty()) {
            jdbc.batchUpdate("""
                    UPDATE contact SET first_name = ?, last_name = ?, email = ?, email_norm = ?, phone = ?,
                      external_id = IF(source = 'MANUAL', external_id, ?), grade = ?, row_hash = ?, clever_user_id = ?,
                      removed_at = NULL, updated_at = CURRENT_TIMESTAMP(3)
                    WHERE id = ?""", new BatchPreparedStatementSetter() {
                @Override
                public void setValues(PreparedStatement ps, int i) throws SQLException {
                    Object[] u = updates.get(i);
                    Person p = (Person) u[0];
                    setFields(ps, 1, p);
                    ps.setLong(8, (Long) u[2]);
                    ps.setString(9, p.cleverUserId());
                    ps.setLong(10, (Long) u[3]);
                }

                @Override
                public int getBatchSize() {
                    return updates.size();
                }
            });
        }
        if (!restores.isEmpty()) {
            jdbc.batchUpdate("UPDATE contact SET removed_at = NULL, updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?", restores);
        }
    }

    private static Person withoutExternalId(Person p) {
        return new Person(p.cleverUserId(), p.kind(), p.firstName(), p.lastName(), p.email(), p.emailNorm(), p.phone(),
                null, p.matchIds(), p.grade(), p.dedupeKey(), p.parentOf());
    }

    /**
     * Links the Clever ids no contact held when the chunk began. Another import of the account running at the same
     * time (see {@code ParallelImports}) may have linked some of them meanwhile: its link stays, and those ids are
     * returned with the contacts they are linked to.
     */
    private Map<String, Long> insertLinks(List<? extends Person> people, Map<String, Long> linked, Map<Person, Long> contactOf) {
        List<Object[]> links = new ArrayList<>();
        for (Person p : people) {
            if (!linked.containsKey(p.cleverUserId())) {
                links.add(new Object[] {accountId, p.cleverUserId(), contactOf.get(p), cut(p.externalId(), 255)});
            }
        }
        long stored = bulk.write("contact_clever_user", LINK_COLUMNS, OnDuplicate.IGNORE, links);
        return stored == links.size() ? Map.of() : linksTakenMeanwhile(links);
    }

    /**
     * The links held by other contacts than this chunk's, with those contacts. A locking read: it sees what other runs
     * committed after this transaction's first read, and every key it reads is stored (this chunk's or another run's),
     * so it locks those rows only.
     */
    private Map<String, Long> linksTakenMeanwhile(List<Object[]> links) {
        Map<String, Long> ours = new HashMap<>();
        links.forEach(l -> ours.put((String) l[1], (Long) l[2]));
        Map<String, Long> taken = new HashMap<>();
        InList.query(named, "SELECT clever_user_id, contact_id FROM contact_clever_user WHERE account_id = :a AND clever_user_id IN (:ids) "
                        + "LOCK IN SHARE MODE",
                new MapSqlParameterSource("a", accountId), "ids", List.copyOf(ours.keySet()), rs -> {
                    long holder = rs.getLong(2);
                    String id = rs.getString(1);
                    if (!Objects.equals(ours.get(id), holder)) {
                        taken.put(id, holder);
                    }
                });
        return taken;
    }

    /**
     * The people whose Clever ids another run linked meanwhile ({@code taken}) get that run's contacts; a contact this
     * chunk created for them alone is deleted again (nothing refers to it yet), and counted unchanged instead of created.
     */
    private void useContactsLinkedMeanwhile(List<? extends Person> people, Map<String, Long> taken, Map<Person, Long> contactOf,
                                            List<NewContact> created, RunStats.Counts counts) {
        Set<Long> createdHere = new HashSet<>();
        created.stream().filter(n -> !n.foldedInto).forEach(n -> createdHere.add(n.id));
        Set<Long> stillUsed = new HashSet<>();
        for (Person p : people) {
            if (!taken.containsKey(p.cleverUserId())) {
                stillUsed.add(contactOf.get(p));
            }
        }
        Set<Long> dropped = new LinkedHashSet<>();
        for (Person p : people) {
            Long holder = taken.get(p.cleverUserId());
            if (holder != null) {
                Long ours = contactOf.put(p, holder);
                if (createdHere.contains(ours) && !stillUsed.contains(ours)) {
                    dropped.add(ours);
                }
            }
        }
        if (!dropped.isEmpty()) {
            InList.update(named, "DELETE FROM contact WHERE id IN (:ids)", new MapSqlParameterSource(), "ids", dropped);
            counts.add(RunStats.CREATED, -dropped.size()).add(RunStats.UNCHANGED, dropped.size());
        }
    }

    private void stageParentLinks(List<? extends Person> people, Map<Person, Long> contactOf) {
        Set<String> students = new LinkedHashSet<>();
        people.forEach(p -> p.parentOf().forEach(l -> students.add(l.studentCleverId())));
        if (students.isEmpty()) {
            return;
        }
        // The students' contacts are the students step's, settled before this step: looked up once per step.
        List<String> unknown = students.stream().filter(id -> !studentContacts.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            unknown.forEach(id -> studentContacts.put(id, null));
            studentContacts.putAll(StagedEnrollments.linkedContacts(named, accountId, unknown));
        }
        Map<StagedParentLinks.Pair, StagedParentLinks.Link> links = new LinkedHashMap<>();
        for (Person p : people) {
            Long parent = contactOf.get(p);
            for (Person.ParentOf link : p.parentOf()) {
                Long student = studentContacts.get(link.studentCleverId());
                if (student != null) {
                    links.putIfAbsent(new StagedParentLinks.Pair(student, parent),
                            new StagedParentLinks.Link(student, parent, cut(link.relationship(), 64), cut(link.type(), 64)));
                }
            }
        }
        StagedParentLinks.stage(jdbc, jobInstanceId, people.getFirst().cleverUserId(), links.values());
    }
}
