package com.cleversync.importing;

import com.cleversync.support.DatabaseTest;
import org.junit.jupiter.api.Test;
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
