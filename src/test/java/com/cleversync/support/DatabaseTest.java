package com.cleversync.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.sql.Statement;
import java.util.List;

/**
 * Base class of every test that needs the database: a non-web Spring context on {@link TestDatabase}'s
 * schema (migrated by Flyway at start-up), and every booking and Spring Batch table emptied before each test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
public abstract class DatabaseTest {

    /** A token-encryption key for tests only (32 bytes, base64). */
    public static final String TEST_TOKEN_KEY = "dGVzdC1vbmx5LWtleS1jbGV2ZXItc3luYy0zMmJ5dGU=";

    @Autowired
    protected JdbcTemplate jdbcTemplate;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase db = TestDatabase.get();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        registry.add("clever-sync.token-key", () -> TEST_TOKEN_KEY);
    }

    /**
     * Waits until a transaction of the server waits for a row or table lock (InnoDB's status says so on MySQL and
     * MariaDB alike; MariaDB's INNODB_TRX table does not always list the waiting one), or fails after 30 s.
     */
    protected void awaitALockWait() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!jdbcTemplate.queryForList("SHOW ENGINE INNODB STATUS").stream()
                .anyMatch(row -> String.valueOf(row.get("Status")).contains("TRX HAS BEEN WAITING"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no transaction waited for a lock within 30 s");
            }
            Thread.onSpinWait();
        }
    }

    @BeforeEach
    void cleanTables() {
        cleanAllTables(jdbcTemplate);
    }

    public static void cleanAllTables(JdbcTemplate jdbcTemplate) {
        jdbcTemplate.execute((ConnectionCallback<Void>) connection -> {
            List<String> tables;
            try (var rs = connection.createStatement().executeQuery("""
                    SELECT table_name FROM information_schema.tables
                    WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'
                      AND table_name <> 'flyway_schema_history' AND table_name NOT LIKE 'BATCH\\_%\\_SEQ'""")) {
                tables = new java.util.ArrayList<>();
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            try (Statement s = connection.createStatement()) {
                s.execute("SET FOREIGN_KEY_CHECKS = 0");
                for (String table : tables) {
                    s.execute("DELETE FROM `" + table + "`");
                }
                s.execute("SET FOREIGN_KEY_CHECKS = 1");
            }
            return null;
        });
    }
}
