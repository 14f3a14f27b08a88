package com.cleversync.system;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.function.Supplier;

/**
 * Work that leaves nothing behind when it fails, inside a transaction that goes on: what it wrote is undone to a
 * savepoint taken before it. Spring Batch retries a chunk's failed write in the same transaction, and a write that
 * fails half-way (a lock wait that timed out, a key another run took) must not leave rows for the retry to find.
 * When the database already rolled the whole transaction back (a deadlock victim), there is nothing to undo. Outside
 * a transaction the work just runs, each statement committing as it runs.
 */
public final class Savepoints {

    private Savepoints() {
    }

    /** Runs {@code work}; when it throws {@code undoOn} (or a subclass) in a transaction, its writes are undone first. */
    public static <T> T wholeOrNothing(DataSource dataSource, Class<? extends RuntimeException> undoOn, Supplier<T> work) {
        Connection con = DataSourceUtils.getConnection(dataSource);
        try {
            if (con.getAutoCommit()) {
                return work.get();
            }
            Savepoint before = con.setSavepoint();
            try {
                T result = work.get();
                con.releaseSavepoint(before);
                return result;
            } catch (RuntimeException e) {
                if (undoOn.isInstance(e)) {
                    try {
                        con.rollback(before);
                    } catch (SQLException gone) {
                        // The database rolled the whole transaction back (the savepoint went with it): nothing to undo.
                        e.addSuppressed(gone);
                    }
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("a savepoint around a write to the database failed", e);
        } finally {
            DataSourceUtils.releaseConnection(con, dataSource);
        }
    }
}
