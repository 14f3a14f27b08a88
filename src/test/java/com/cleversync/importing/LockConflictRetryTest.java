package com.cleversync.importing;

import com.cleversync.support.DatabaseTest;
import com.cleversync.system.LockConflictTranslator;
import org.junit.jupiter.api.Test;
import org.springframework.dao.PessimisticLockingFailureException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DeadlockLoserDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The classes and reconcile steps run their set-based SQL in a transaction of their own, again from the start
 * when InnoDB picks them as a deadlock victim: the failed attempts leave nothing behind.
 */
class LockConflictRetryTest extends DatabaseTest {

    @Autowired
    PlatformTransactionManager tm;

    @Test
    void aDeadlockVictimIsRolledBackAndRunAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        var tasklet = ImportJobConfig.retriedOnLockConflicts(tm, (contribution, chunk) -> {
            int n = attempts.incrementAndGet();
            jdbcTemplate.update("INSERT INTO account (name, time_zone) VALUES (?, 'UTC')", "attempt " + n);
            if (n < 3) {
                throw new DeadlockLoserDataAccessException("Deadlock found when trying to get lock", null);
            }
            return RepeatStatus.FINISHED;
        });

        assertThat(tasklet.execute(null, null)).isEqualTo(RepeatStatus.FINISHED);

        assertThat(attempts).hasValue(3);
        assertThat(jdbcTemplate.queryForList("SELECT name FROM account", String.class)).containsExactly("attempt 3");
    }

    /**
     * Two imports of one account, each holding what the other waits for, one of them for the table's AUTO-INC lock
     * (an INSERT ... SELECT holds it until its statement ends): the database reports the deadlock as error 1467,
     * "Failed to read auto-increment value". The victim is rolled back and runs again, as for any deadlock.
     */
    @Test
    void anAutoIncrementDeadlockIsALockConflictToo() throws Exception {
        jdbcTemplate.execute("CREATE TABLE lock_test_t (id BIGINT AUTO_INCREMENT PRIMARY KEY, k INT, UNIQUE KEY uk_k (k)) ENGINE=InnoDB");
        jdbcTemplate.execute("CREATE TABLE lock_test_src (k INT PRIMARY KEY) ENGINE=InnoDB");
        jdbcTemplate.execute("CREATE TABLE lock_test_heavy (k INT PRIMARY KEY) ENGINE=InnoDB");
        ExecutorService otherRun = Executors.newSingleThreadExecutor();
        try {
            jdbcTemplate.update("INSERT INTO lock_test_src VALUES (1), (2)");
            AtomicInteger attempts = new AtomicInteger();
            List<Future<?>> others = new ArrayList<>();
            var tasklet = ImportJobConfig.retriedOnLockConflicts(tm, (contribution, chunk) -> {
                if (attempts.incrementAndGet() == 1) {
                    jdbcTemplate.update("INSERT INTO lock_test_t (k) VALUES (1)");
                    others.add(otherRun.submit(() -> {
                        try (Connection c = jdbcTemplate.getDataSource().getConnection(); Statement st = c.createStatement()) {
                            c.setAutoCommit(false);
                            // The larger transaction of the two, so that the database picks the tasklet's as the victim.
                            st.executeUpdate("INSERT INTO lock_test_heavy (k) SELECT seq FROM (" + numbers(200) + ") n");
                            st.executeUpdate("INSERT INTO lock_test_t (k) SELECT 1 FROM lock_test_src LIMIT 1");
                            c.commit();
                        }
                        return null;
                    }));
                    awaitALockWait();
                    jdbcTemplate.update("INSERT INTO lock_test_t (k) SELECT 2 FROM lock_test_src LIMIT 1");
                } else {
                    jdbcTemplate.update("INSERT INTO lock_test_t (k) VALUES (3)");
                }
                return RepeatStatus.FINISHED;
            });

            assertThat(tasklet.execute(null, null)).isEqualTo(RepeatStatus.FINISHED);

            others.getFirst().get(30, TimeUnit.SECONDS);
            assertThat(attempts).hasValue(2);
            assertThat(jdbcTemplate.queryForList("SELECT k FROM lock_test_t ORDER BY k", Integer.class)).containsExactly(1, 3);
        } finally {
            otherRun.shutdownNow();
            jdbcTemplate.execute("DROP TABLE IF EXISTS lock_test_t, lock_test_src, lock_test_heavy");
        }
    }

    /** A derived table of the numbers 1..n, column seq. */
    private static String numbers(int n) {
        StringBuilder sql = new StringBuilder("SELECT 1 AS seq");
        for (int i = 2; i <= n; i++) {
            sql.append(" UNION ALL SELECT ").append(i);
        }
        return sql.toString();
    }

    @Test
    void aTranslatedAutoIncrementFailureIsAPessimisticLockingFailure() {
        assertThat(new LockConflictTranslator().translate("insert", "INSERT ...",
                new SQLException("Failed to read auto-increment value from storage engine", "HY000", 1467)))
                .isInstanceOf(PessimisticLockingFailureException.class);
        assertThat(jdbcTemplate.getExceptionTranslator()).isInstanceOf(LockConflictTranslator.class);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        var tasklet = ImportJobConfig.retriedOnLockConflicts(tm, (contribution, chunk) -> {
            attempts.incrementAndGet();
            jdbcTemplate.update("INSERT INTO account (name, time_zone) VALUES ('x', 'UTC')");
            throw new DataIntegrityViolationException("broken");
        });

        assertThatThrownBy(() -> tasklet.execute(null, null)).hasMessageContaining("broken");
        assertThat(attempts).hasValue(1);
        assertThat(jdbcTemplate.queryForObject("SELECT COUNT(*) FROM account", Long.class)).isZero();
    }
}
