package com.cleversync.importing;

import com.cleversync.clever.CleverName;
import com.cleversync.clever.CleverUser;
import com.cleversync.clever.Item;
import com.cleversync.support.DatabaseTest;
import com.cleversync.system.BulkLoad;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.PlatformTransactionManager;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A refresh of the account's stored contacts writes only what changed and deletes what Clever no longer lists
 * (the ids a page skips over, and those after the last page), but never deletes on a read that came out of order.
 * A night's changes are applied to them whole or not at all.
 */
class DistrictContactsRefreshTest extends DatabaseTest {

    @Autowired
    DistrictContacts store;

    @Autowired
    BulkLoad bulk;

    @Autowired
    PlatformTransactionManager transactionManager;

    long account;
    long instance;

    @BeforeEach
    void account() {
        jdbcTemplate.update("INSERT INTO account (name, time_zone) VALUES ('refresh', 'UTC')");
        account = jdbcTemplate.queryForObject("SELECT id FROM account WHERE name = 'refresh'", Long.class);
        instance = 1;
    }

    private DistrictContacts.Read newRead() {
        return store.choose(instance++, account, false, null, Duration.ZERO);
    }

    private static Item<CleverUser> parent(String id, String last, String... students) {
        List<CleverUser.StudentRelationship> rels = java.util.Arrays.stream(students)
                .map(s -> new CleverUser.StudentRelationship(s, "Parent", "Parent/Guardian")).toList();
        return Item.of(id, new CleverUser(id, null, id + "@example.org", new CleverName(null, null, last), null, null,
                new CleverUser.Contact(null, null, null, rels), false, false));
    }

    private void write(DistrictContacts.Read read, List<Item<CleverUser>> items) {
        store.writePrepared(read, items.stream().map(item -> DistrictContacts.prepare(account, item)).toList());
    }

    private List<String> storedIds() {
        return jdbcTemplate.queryForList("SELECT clever_user_id FROM district_contact WHERE account_id = ? ORDER BY clever_user_id",
                String.class, account);
    }

    private long relationships() {
        return jdbcTemplate.queryForObject("SELECT COUNT(*) FROM district_contact_relationship WHERE account_id = ?", Long.class, account);
    }

    @Test
    void refreshWritesChangesAndDeletesWhatIsGone() {
        DistrictContacts.Read first = newRead();
        write(first, List.of(parent("a1", "Avery", "s1"), parent("a2", "Blake", "s2"), parent("a3", "Casey", "s3")));
        write(first, List.of(parent("a4", "Drew", "s4"), parent("a5", "Emery", "s5", "s6")));
        store.complete(first);
        assertThat(storedIds()).containsExactly("a1", "a2", "a3", "a4", "a5");
        assertThat(relationships()).isEqualTo(6);

        // Clever dropped a2 (inside a page) and a5 (after the last page), renamed a3 and added a0.
        DistrictContacts.Read second = newRead();
        write(second, List.of(parent("a0", "Finley", "s7"), parent("a1", "Avery", "s1"), parent("a3", "Casey-Lee", "s3")));
        assertThat(storedIds()).as("a page deletes the ids it skips over, not those after it").containsExactly("a0", "a1", "a3", "a4", "a5");
        write(second, List.of(parent("a4", "Drew", "s4")));
        store.complete(second);

        assertThat(storedIds()).containsExactly("a0", "a1", "a3", "a4");
        assertThat(relationships()).isEqualTo(4);
        assertThat(jdbcTemplate.queryForObject("SELECT name_last FROM district_contact WHERE account_id = ? AND clever_user_id = 'a3'",
                String.class, account)).isEqualTo("Casey-Lee");

        // A marker the refresh would overwrite if it rewrote unchanged rows.
        jdbcTemplate.update("UPDATE district_contact SET phone_type = 'marker' WHERE account_id = ?", account);
        DistrictContacts.Read third = newRead();
        write(third, List.of(parent("a0", "Finley", "s7"), parent("a1", "Avery", "s1"), parent("a3", "Casey-Lee", "s3"),
                parent("a4", "Drew", "s4")));
        store.complete(third);
        assertThat(storedIds()).containsExactly("a0", "a1", "a3", "a4");
        assertThat(jdbcTemplate.queryForObject("SELECT COUNT(*) FROM district_contact WHERE account_id = ? AND phone_type = 'marker'",
                Long.class, account)).as("an unchanged district rewrites nothing").isEqualTo(4);
    }

    @Test
    void aReadSeenOutOfIdOrderDeletesNothingMore() {
        DistrictContacts.Read first = newRead();
        write(first, List.of(parent("b1", "Avery", "s1"), parent("b2", "Blake", "s2"), parent("b3", "Casey", "s3"),
                parent("b4", "Drew", "s4")));
        store.complete(first);

        DistrictContacts.Read second = newRead();
        write(second, List.of(parent("b1", "Avery", "s1")));
        write(second, List.of(parent("b3", "Casey", "s3")));
        write(second, List.of(parent("b2", "Blake", "s2")));
        store.complete(second);
        assertThat(storedIds()).as("b2 came back with its page; b4 may still be at Clever: an unordered read cannot tell")
                .containsExactly("b1", "b2", "b3", "b4");
        assertThat(jdbcTemplate.queryForObject("SELECT in_order FROM district_read WHERE id = ?", Boolean.class, second.id())).isFalse();
    }

    @Test
    void aReadWithAnIdThatIsNotAsciiDeletesNothingMore() {
        DistrictContacts.Read first = newRead();
        write(first, List.of(parent("e1", "Avery", "s1"), parent("e3", "Casey", "s3")));
        store.complete(first);

        DistrictContacts.Read second = newRead();
        write(second, List.of(parent("e2\u00e9", "Blake", "s2")));
        store.complete(second);
        assertThat(storedIds()).as("ordering cannot be trusted past a non-ASCII id").contains("e1", "e3", "e2\u00e9");
    }

    @Test
    void anEmptyCompleteReadLeavesNoContact() {
        DistrictContacts.Read first = newRead();
        write(first, List.of(parent("c1", "Avery", "s1")));
        store.complete(first);
        store.complete(newRead());
        assertThat(storedIds()).isEmpty();
        assertThat(relationships()).isZero();
    }

    @Test
    void malformedRecordsAreKeptWithTheirError() {
        DistrictContacts.Read read = newRead();
        write(read, List.of(parent("d1", "Avery", "s1"), Item.malformed("d2", "'name' is a number")));
        store.complete(read);
        assertThat(store.contacts(read, List.of("d1", "d2", "gone"))).extracting(Item::id).as("a vanished id is left out")
                .containsExactly("d1", "d2");
        assertThat(store.contacts(read, List.of("d2")).getFirst().malformed()).isTrue();
    }
    @Test
    void contactsComeBackWholeWithTheirRelationshipsInCleversOrder() {
        DistrictContacts.Read read = newRead();
        Item<CleverUser> many = Item.of("m1", new CleverUser("m1", null, "m1@example.org", new CleverName("Ann", "B", "Cole"), null, null,
                new CleverUser.Contact("sis-m1", "555-0100", "cell", List.of(
                        new CleverUser.StudentRelationship("s9", "Parent", "Parent/Guardian"),
                        new CleverUser.StudentRelationship("s1", "Grandparent", "Emergency"),
                        new CleverUser.StudentRelationship("s5", "Aunt", "Other"))), false, false));
        Item<CleverUser> none = Item.of("m2", new CleverUser("m2", null, null, null, null, null,
                new CleverUser.Contact(null, null, null, List.of()), false, false));
        write(read, List.of(many, none));
        store.complete(read);

        List<Item<CleverUser>> read2 = store.contacts(read, List.of("m2", "m1"));
        assertThat(read2).extracting(Item::id).as("in the order asked").containsExactly("m2", "m1");
        CleverUser m1 = read2.get(1).value();
        assertThat(m1.contact().studentRelationships()).as("Clever's order, not the students' ids")
                .containsExactly(new CleverUser.StudentRelationship("s9", "Parent", "Parent/Guardian"),
                        new CleverUser.StudentRelationship("s1", "Grandparent", "Emergency"),
                        new CleverUser.StudentRelationship("s5", "Aunt", "Other"));
        assertThat(m1.email()).isEqualTo("m1@example.org");
        assertThat(m1.name()).isEqualTo(new CleverName("Ann", "B", "Cole"));
        assertThat(m1.contact().sisId()).isEqualTo("sis-m1");
        assertThat(m1.contact().phone()).isEqualTo("555-0100");
        assertThat(m1.contact().phoneType()).isEqualTo("cell");
        assertThat(store.contacts(read, List.of("m1", "m1"))).as("an id asked for twice")
                .allSatisfy(item -> assertThat(item.value().contact().studentRelationships()).hasSize(3));
        CleverUser m2 = read2.getFirst().value();
        assertThat(m2.contact().studentRelationships()).isEmpty();
        assertThat(m2.name()).isNull();
        assertThat(m2.email()).isNull();
    }

    /**
     * Two imports of one account at once: one is creating its read of the night's changes while the other, done,
     * lets go of its own and deletes the reads nobody holds. The new read must never be one of those, even between
     * its creation and its assignment to the job instance (a second connection holds the assignment up there).
     */
    @Test
    void aReadBeingCreatedIsNotReleasedByAnotherImport() throws Exception {
        long creating = 500;
        long done = 501;
        store.current(done, account);
        ExecutorService otherImport = Executors.newSingleThreadExecutor();
        try (Connection blocker = jdbcTemplate.getDataSource().getConnection(); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // Locks the gap where the creating import's assignment goes: its INSERT waits.
            st.executeQuery("SELECT * FROM import_run_district_read WHERE job_instance_id = " + creating + " FOR UPDATE").close();
            Future<DistrictContacts.Read> created = otherImport.submit(() -> store.current(creating, account));
            awaitALockWait();
            store.release(done, account, Duration.ofHours(1));
            blocker.commit();
            DistrictContacts.Read read = created.get(30, TimeUnit.SECONDS);
            assertThat(store.readOf(creating)).as("the creating import's read survived the other's release").contains(read);
        } finally {
            otherImport.shutdownNow();
        }
        assertThat(store.readOf(done)).isEmpty();
    }

    @Test
    void applyingANightsChangesWritesChangedContactsAndRemovesDeletedOnesAndFormerContacts() {
        DistrictContacts.Read read = newRead();
        write(read, List.of(parent("f1", "Avery", "s1"), parent("f2", "Blake", "s2"), parent("f3", "Casey", "s3", "s4")));
        store.complete(read);

        // f1 renamed with another student; f2 is no longer a contact (a teacher now); f3 deleted; t9 was never a contact.
        CleverUser teacherNow = new CleverUser("f2", null, "f2@example.org", new CleverName(null, null, "Blake"), null,
                new CleverUser.Teacher(null, null, null, null, null, null), null, false, false);
        CleverUser teacher = new CleverUser("t9", null, "t9@example.org", new CleverName(null, null, "Tate"), null,
                new CleverUser.Teacher(null, null, null, null, null, null), null, false, false);
        store.apply(account, List.of(parent("f1", "Avery-Jo", "s9").value(), teacherNow, teacher), List.of("f3", "x9"));

        assertThat(storedIds()).containsExactly("f1");
        assertThat(jdbcTemplate.queryForList("SELECT student_clever_id FROM district_contact_relationship WHERE account_id = ?",
                String.class, account)).containsExactly("s9");
        assertThat(jdbcTemplate.queryForObject("SELECT name_last FROM district_contact WHERE account_id = ? AND clever_user_id = 'f1'",
                String.class, account)).isEqualTo("Avery-Jo");

        jdbcTemplate.update("UPDATE district_contact SET phone_type = 'marker' WHERE account_id = ?", account);
        store.apply(account, List.of(parent("f1", "Avery-Jo", "s9").value(), teacherNow, teacher), List.of("f3", "x9"));
        assertThat(jdbcTemplate.queryForObject("SELECT phone_type FROM district_contact WHERE account_id = ? AND clever_user_id = 'f1'",
                String.class, account)).as("changes applied again rewrite nothing").isEqualTo("marker");
        assertThat(relationships()).isOne();
    }

    @Test
    void applyingChangesIsAllOrNothing() {
        DistrictContacts.Read read = newRead();
        write(read, List.of(parent("g1", "Avery", "s1", "s2"), parent("g2", "Blake", "s3")));
        store.complete(read);

        // The database refuses the relationships' write, after g2's delete and g1's old relationships' delete ran.
        BulkLoad refusing = new BulkLoad(jdbcTemplate, bulk.active()) {
            @Override
            public long writeEncoded(String table, List<String> columns, OnDuplicate onDuplicate, List<Encoded> rows) {
                if (table.equals("district_contact_relationship")) {
                    throw new DataAccessResourceFailureException("connection lost");
                }
                return super.writeEncoded(table, columns, onDuplicate, rows);
            }
        };
        DistrictContacts failing = new DistrictContacts(jdbcTemplate, refusing, transactionManager);
        assertThatThrownBy(() -> failing.apply(account, List.of(parent("g1", "Avery-Jo", "s5").value()), List.of("g2")))
                .isInstanceOf(DataAccessResourceFailureException.class);

        assertThat(storedIds()).containsExactly("g1", "g2");
        assertThat(relationships()).as("g1 keeps its relationships, g2 its own").isEqualTo(3);
        assertThat(jdbcTemplate.queryForObject("SELECT name_last FROM district_contact WHERE account_id = ? AND clever_user_id = 'g1'",
                String.class, account)).isEqualTo("Avery");
    }
}
