package com.cleversync.incremental;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * "One process works a district at a time" (Clever's rate limit is per district token): a MySQL/MariaDB named
 * lock per account, held on a connection of its own while the district's nightly runs, released by the server
 * when the process dies. The remote-partitioning manager also reads it to tell a busy worker from a dead one.
 */
@Component("districtLock")
public class DistrictLock {

    private final DataSource dataSource;
    private volatile String prefix;

    public DistrictLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the district's lock without waiting; empty when any process holds it. */
    public Optional<Lease> tryAcquire(long accountId) {
        String name = name(accountId);
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement ps = connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) != 1) {
                        connection.close();
                        return Optional.empty();
                    }
                }
            }
            return Optional.of(new Lease(name, connection));
        } catch (SQLException e) {
            close(connection);
            throw new DataAccessResourceFailureException("cannot take the nightly lock of account " + accountId, e);
        }
    }

    /** Whether any process on any pod holds the district's lock now. */
    public boolean isHeld(long accountId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            ps.setString(1, name(accountId));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1) != null;
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("cannot check the nightly lock of account " + accountId, e);
        }
    }

    /** Named locks are server-wide: the name carries the database's, as the import lock's does (64 chars at most). */
    String name(long accountId) {
        String p = prefix;
        if (p == null) {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement ps = connection.prepareStatement("SELECT DATABASE()");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                String db = rs.getString(1) == null ? "" : rs.getString(1);
                p = "clever-sync.district." + (db.length() <= 32 ? db : Integer.toHexString(db.hashCode()) + db.length());
            } catch (SQLException e) {
                throw new DataAccessResourceFailureException("cannot read the database name", e);
            }
            prefix = p;
        }
        return p + "." + accountId;
    }

    private void release(Lease lease) {
        try (PreparedStatement ps = lease.connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, lease.name);
            ps.executeQuery().close();
            lease.connection.close();
        } catch (SQLException e) {
            // A broken connection took the lock with it; never hand it back to the pool.
            if (dataSource instanceof HikariDataSource hikari) {
                hikari.evictConnection(lease.connection);
            }
            close(lease.connection);
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }

    /** A held district lock; closing releases it. */
    public final class Lease implements AutoCloseable {
        private final String name;
        private final Connection connection;
        private boolean closed;

        private Lease(String name, Connection connection) {
            this.name = name;
            this.connection = connection;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(this);
            }
        }
    }
}
