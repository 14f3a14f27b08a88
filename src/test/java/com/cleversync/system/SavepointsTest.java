package com.cleversync.system;

import com.cleversync.support.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Work that fails half-way inside a transaction leaves nothing behind, and the transaction goes on. */
class SavepointsTest extends DatabaseTest {

    @Autowired
    PlatformTransactionManager tm;

    private void insert(String name) {
        jdbcTemplate.update("INSERT INTO account (name, time_zone) VALUES (?, 'UTC')", name);
    }

    @Test
    void aWriteThatFailsHalfWayIsUndoneAndItsRetryInTheSameTransactionStartsClean() {
        AtomicInteger attempts = new AtomicInteger();
        new TransactionTemplate(tm).executeWithoutResult(status -> {
            insert("before");
            for (int i = 0; i < 2; i++) {
                try {
                    Savepoints.wholeOrNothing(jdbcTemplate.getDataSource(), RuntimeException.class, () -> {
                        insert("attempt " + attempts.incrementAndGet());
                        if (attempts.get() == 1) {
                            throw new CannotAcquireLockException("Lock wait timeout exceeded");
                        }
                        return null;
                    });
                } catch (CannotAcquireLockException e) {
                    // retried, as Spring Batch retries a chunk's write
                }
            }
            insert("after");
        });

        assertThat(jdbcTemplate.queryForList("SELECT name FROM account ORDER BY id", String.class))
                .containsExactly("before", "attempt 2", "after");
    }

    @Test
    void onlyTheNamedFailuresAreUndone() {
        new TransactionTemplate(tm).executeWithoutResult(status -> {
            assertThatThrownBy(() -> Savepoints.wholeOrNothing(jdbcTemplate.getDataSource(), DuplicateKeyException.class, () -> {
                insert("kept");
                throw new IllegalStateException("not a duplicate");
            })).isInstanceOf(IllegalStateException.class);
        });

        assertThat(jdbcTemplate.queryForList("SELECT name FROM account", String.class)).containsExactly("kept");
    }

    @Test
    void outsideATransactionEachStatementCommitsAsItRuns() {
        assertThatThrownBy(() -> Savepoints.wholeOrNothing(jdbcTemplate.getDataSource(), RuntimeException.class, () -> {
            insert("committed");
            throw new CannotAcquireLockException("Lock wait timeout exceeded");
        })).isInstanceOf(CannotAcquireLockException.class);

        assertThat(jdbcTemplate.queryForList("SELECT name FROM account", String.class)).containsExactly("committed");
    }
}
