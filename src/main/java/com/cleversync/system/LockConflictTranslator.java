package com.cleversync.system;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.stereotype.Component;

import java.sql.SQLException;

/**
 * The application's {@code JdbcTemplate} translation of SQL errors (Spring Boot applies this bean to it): JDBC's
 * own, plus InnoDB's error 1467, "Failed to read auto-increment value from storage engine". MySQL and MariaDB report
 * a deadlock that involves a table's AUTO-INC lock with it (an {@code INSERT ... SELECT} or a {@code LOAD DATA}
 * holds that lock until its statement ends, and imports of one account run at once), so it is a lock conflict like
 * error 1213: the transaction is retried from its start.
 */
@Component("sqlExceptionTranslator")
public class LockConflictTranslator extends SQLExceptionSubclassTranslator {

    /** ER_AUTOINC_READ_FAILED. */
    static final int AUTO_INCREMENT_READ_FAILED = 1467;

    @Override
    protected DataAccessException doTranslate(String task, String sql, SQLException ex) {
        if (ex.getErrorCode() == AUTO_INCREMENT_READ_FAILED) {
            return new CannotAcquireLockException(buildMessage(task, sql, ex), ex);
        }
        return super.doTranslate(task, sql, ex);
    }
}
