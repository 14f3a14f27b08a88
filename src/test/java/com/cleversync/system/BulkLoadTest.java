package com.cleversync.system;

import com.cleversync.system.BulkLoad.OnDuplicate;
import com.cleversync.support.DatabaseTest;
import com.cleversync.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link BulkLoad} against the real server, through the application's own pool: the LOAD DATA path (when the server
 * allows it) and the batched INSERTs it falls back to store the same values, keep the same duplicate rules, and the
 * pool's connections never send a file the server asks for.
 */
class BulkLoadTest extends DatabaseTest {

    private static final List<String> COLUMNS = List.of("k", "v", "n", "b");

    /** Values LOAD DATA's text format has to escape, and some it must leave alone. */
    private static final List<String> AWKWARD = List.of("", "plain", "tab\there", "line\nbreak", "carriage\rreturn",
            "back\\slash", "\\N", "ends with \\", "nul\0byte", "quote ' and \"", "émoji 👩‍🏫 中文", "  padded  ", "NULL");

    @Autowired
    BulkLoad bulk;

    @Autowired
    PlatformTransactionManager tm;

    @BeforeEach
    void table() {
        jdbcTemplate.execute("""
                CREATE TABLE IF NOT EXISTS bulk_probe (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, k VARCHAR(64) NOT NULL,
                  v TEXT NULL, n BIGINT NULL, b BOOLEAN NULL, UNIQUE KEY uk_bulk_probe (k))
                  DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin""");
        jdbcTemplate.update("DELETE FROM bulk_probe");
    }

    private boolean serverAllows() {
        return jdbcTemplate.queryForObject("SELECT @@local_infile", Integer.class) == 1;
    }

    private static List<Object[]> awkwardRows() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < AWKWARD.size(); i++) {
            rows.add(new Object[] {"k" + i, AWKWARD.get(i), (long) i * 1_000_000_007L, i % 2 == 0});
        }
        rows.add(new Object[] {"nulls", null, null, null});
        return rows;
    }

    private List<List<Object>> stored() {
        return jdbcTemplate.query("SELECT k, v, n, b FROM bulk_probe ORDER BY id", (rs, n) -> {
            long num = rs.getLong(3);
            Long number = rs.wasNull() ? null : num;
            boolean bool = rs.getBoolean(4);
            Boolean flag = rs.wasNull() ? null : bool;
            return Arrays.asList(rs.getString(1), rs.getString(2), number, flag);
        });
    }

    private static List<List<Object>> asLists(List<Object[]> rows) {
        return rows.stream().map(Arrays::asList).toList();
    }

    private void inTransaction(Runnable work) {
        new TransactionTemplate(tm).executeWithoutResult(s -> work.run());
    }

    @Test
    void theApplicationsPoolLoadsWheneverTheServerAllowsIt() {
        assertThat(bulk.active()).as("LOAD DATA LOCAL is used exactly when the server's local_infile is ON").isEqualTo(serverAllows());
    }

    @Test
    void everyValueComesBackAsWrittenOnBothPaths() {
        List<Object[]> rows = awkwardRows();
        inTransaction(() -> bulk.write("bulk_probe", COLUMNS, OnDuplicate.FAIL, rows));
        assertThat(stored()).isEqualTo(asLists(rows));

        jdbcTemplate.update("DELETE FROM bulk_probe");
        BulkLoad batched = new BulkLoad(jdbcTemplate, false);
        assertThat(batched.active()).isFalse();
        inTransaction(() -> batched.write("bulk_probe", COLUMNS, OnDuplicate.FAIL, rows));
        assertThat(stored()).isEqualTo(asLists(rows));
    }

    @Test
    void rowsEncodedBeforehandComeBackAsWrittenOnBothPaths() {
        List<Object[]> rows = awkwardRows();
        List<BulkLoad.Encoded> encoded = rows.stream().map(BulkLoad::encode).toList();
        for (BulkLoad writer : List.of(bulk, new BulkLoad(jdbcTemplate, false))) {
            jdbcTemplate.update("DELETE FROM bulk_probe");
            inTransaction(() -> writer.writeEncoded("bulk_probe", COLUMNS, OnDuplicate.FAIL, encoded));
            assertThat(stored()).isEqualTo(asLists(rows));
            assertThatThrownBy(() -> inTransaction(() -> writer.writeEncoded("bulk_probe", COLUMNS, OnDuplicate.FAIL,
                    List.of(BulkLoad.encode(new Object[] {"new", "x", 1L, true}), encoded.getFirst()))))
                    .isInstanceOf(DuplicateKeyException.class);
            assertThat(stored()).as("the failed write's transaction rolled back whole").hasSize(rows.size());
        }
        assertThatThrownBy(() -> bulk.writeEncoded("bulk_probe", COLUMNS, OnDuplicate.IGNORE,
                List.of(BulkLoad.encode(new Object[] {"k", "v"})))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLoadOfManyPacketsArrivesWhole() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            rows.add(new Object[] {"row-" + i, ("value " + i + " \t\n ").repeat(12), (long) i, i % 3 == 0});
        }
        inTransaction(() -> bulk.write("bulk_probe", COLUMNS, OnDuplicate.FAIL, rows));
        assertThat(jdbcTemplate.queryForObject("SELECT COUNT(*) FROM bulk_probe", Integer.class)).isEqualTo(rows.size());
        assertThat(jdbcTemplate.queryForObject("SELECT SUM(n) FROM bulk_probe", Long.class)).isEqualTo(19_999L * 20_000 / 2);
        assertThat(jdbcTemplate.queryForObject("SELECT v FROM bulk_probe WHERE k = 'row-12345'", String.class))
                .isEqualTo(rows.get(12_345)[1]);
    }

    @Test
    void duplicatesFollowTheChosenRuleOnBothPaths() {
        for (BulkLoad writer : List.of(bulk, new BulkLoad(jdbcTemplate, false))) {
            jdbcTemplate.update("DELETE FROM bulk_probe");
            jdbcTemplate.update("INSERT INTO bulk_probe (k, v, n, b) VALUES ('a', 'stored', 1, TRUE)");

            inTransaction(() -> writer.write("bulk_probe", COLUMNS, OnDuplicate.IGNORE,
                    List.of(new Object[] {"a", "ignored", 2L, false}, new Object[] {"b", "new", 3L, true})));
            assertThat(stored()).containsExactly(Arrays.asList("a", "stored", 1L, true), Arrays.asList("b", "new", 3L, true));

            inTransaction(() -> writer.write("bulk_probe", COLUMNS, OnDuplicate.REPLACE,
                    List.<Object[]>of(new Object[] {"a", "replaced", 4L, false})));
            assertThat(stored()).containsExactlyInAnyOrder(Arrays.asList("a", "replaced", 4L, false), Arrays.asList("b", "new", 3L, true));

            assertThatThrownBy(() -> inTransaction(() -> writer.write("bulk_probe", COLUMNS, OnDuplicate.FAIL,
                    List.of(new Object[] {"c", "new", 5L, true}, new Object[] {"b", "duplicate", 6L, true}))))
                    .isInstanceOf(DuplicateKeyException.class);
            assertThat(stored()).as("the failed write's transaction rolled back whole").hasSize(2);
        }
    }

    @Test
    void aWriteThatBreaksAKeyLeavesNothingBehindAndTheTransactionGoesOn() {
        for (BulkLoad writer : List.of(bulk, new BulkLoad(jdbcTemplate, false))) {
            jdbcTemplate.update("DELETE FROM bulk_probe");
            jdbcTemplate.update("INSERT INTO bulk_probe (k) VALUES ('b')");
            inTransaction(() -> {
                writer.write("bulk_probe", COLUMNS, OnDuplicate.IGNORE, List.<Object[]>of(new Object[] {"a", null, null, null}));
                assertThatThrownBy(() -> writer.write("bulk_probe", COLUMNS, OnDuplicate.FAIL,
                        List.of(new Object[] {"c", null, null, null}, new Object[] {"b", null, null, null}, new Object[] {"d", null, null, null})))
                        .isInstanceOf(DuplicateKeyException.class);
                assertThatThrownBy(() -> writer.insertReturningKeys("bulk_probe", COLUMNS,
                        List.of(new Object[] {"e", null, null, null}, new Object[] {"b", null, null, null})))
                        .isInstanceOf(DuplicateKeyException.class);
                writer.insertReturningKeys("bulk_probe", COLUMNS, List.<Object[]>of(new Object[] {"f", null, null, null}));
            });
            assertThat(jdbcTemplate.queryForList("SELECT k FROM bulk_probe ORDER BY k", String.class))
                    .as("the failed writes left no row; the writes before and after them committed").containsExactly("a", "b", "f");
        }
    }

    @Test
    void aConnectionThatCannotLoadFallsBackToBatchedInsertsInTheSameTransaction() {
        // Opened without the driver's local-data capability: the server refuses LOAD DATA LOCAL on it.
        TestDatabase db = TestDatabase.get();
        DriverManagerDataSource plain = new DriverManagerDataSource(db.url(), db.username(), db.password());
        JdbcTemplate template = new JdbcTemplate(plain);
        BulkLoad writer = new BulkLoad(template, true);
        List<Object[]> rows = awkwardRows();
        new TransactionTemplate(new DataSourceTransactionManager(plain)).executeWithoutResult(s -> {
            template.update("INSERT INTO bulk_probe (k) VALUES ('before')");
            writer.write("bulk_probe", COLUMNS, OnDuplicate.FAIL, rows);
        });
        assertThat(writer.active()).as("not tried again after the refusal").isFalse();
        List<List<Object>> stored = stored();
        assertThat(stored.getFirst().getFirst()).isEqualTo("before");
        assertThat(stored.subList(1, stored.size())).isEqualTo(asLists(rows));
    }

    @Test
    void insertedKeysComeBackInTheRowsOrderOnBothPaths() {
        for (BulkLoad writer : List.of(bulk, new BulkLoad(jdbcTemplate, false))) {
            jdbcTemplate.update("DELETE FROM bulk_probe");
            jdbcTemplate.update("INSERT INTO bulk_probe (k) VALUES ('before')");
            List<Object[]> rows = awkwardRows();
            long[] keys = new TransactionTemplate(tm).execute(s -> writer.insertReturningKeys("bulk_probe", COLUMNS, rows));
            assertThat(keys).hasSize(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertThat(jdbcTemplate.queryForObject("SELECT k FROM bulk_probe WHERE id = ?", String.class, keys[i]))
                        .isEqualTo(rows.get(i)[0]);
            }
            assertThatThrownBy(() -> new TransactionTemplate(tm).execute(s -> writer.insertReturningKeys("bulk_probe", COLUMNS,
                    List.<Object[]>of(new Object[] {"new", null, null, null}, new Object[] {"k1", null, null, null}))))
                    .isInstanceOf(DuplicateKeyException.class);
        }
    }

    @Test
    void aFileTheServerAsksForIsNeverSent() throws Exception {
        inTransaction(() -> bulk.write("bulk_probe", COLUMNS, OnDuplicate.FAIL, awkwardRows()));
        Path secret = Files.createTempFile("bulk-load-test", ".txt");
        try {
            Files.writeString(secret, "must-not-be-read\n");
            // What a hostile server could ask for: the pool's connections answer with no file, before and after a load.
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> jdbcTemplate.execute("LOAD DATA LOCAL INFILE '" + secret + "' INTO TABLE bulk_probe (k)"))
                        .isInstanceOf(DataAccessException.class);
                inTransaction(() -> bulk.write("bulk_probe", COLUMNS, OnDuplicate.IGNORE,
                        List.<Object[]>of(new Object[] {"again", "v", 1L, true})));
            }
            assertThat(jdbcTemplate.queryForObject("SELECT COUNT(*) FROM bulk_probe WHERE k LIKE 'must-not%'", Integer.class)).isZero();
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void textFormatEscapesWhatLoadDataWouldReadAsSyntax() {
        byte[] tsv = BulkLoad.tsv(List.<Object[]>of(new Object[] {"a\tb\\c\nd\re\0", null, 7L, true, 3}), 5);
        assertThat(new String(tsv, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("a\\tb\\\\c\\nd\\re\\0\t\\N\t7\t1\t3\n");
        assertThatThrownBy(() -> BulkLoad.tsv(List.<Object[]>of(new Object[] {1.5}), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
