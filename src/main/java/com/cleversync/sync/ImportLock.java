package com.cleversync.sync;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * "Never two runs of the same import at once", across threads, JVMs and pods: a MySQL/MariaDB named lock
 * ({@code GET_LOCK}) held on a connection of its own for as long as the run lasts. The server releases it
 * when the lease is closed or when the connection dies with the process, so a crash never leaves it behind.
 * Named locks are server-wide, so the lock name carries the database name: two environments (or two test
 * schemas) on one server never block each other.
 */
@Component("importLock")
public class ImportLock {

    private static final Logger log = LoggerFactory.getLogger(ImportLock.class);
    /** MySQL's limit on a lock name. */
    private static final int MAX_NAME = 64;

    private final DataSource dataSource;
    private final Set<Long> heldHere = ConcurrentHashMap.newKeySet();
    private volatile String database;

    public ImportLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the import's lock without waiting; empty when any process (this one included) holds it. */
    public Optional<Lease> tryAcquire(long eventImportId) {
        String name = lockName(eventImportId);
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            Integer got;
            try (PreparedStatement ps = connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    got = (Integer) rs.getObject(1, Integer.class);
                }
            }
            if (got == null || got != 1) {
                connection.close();
                return Optional.empty();
            }
            heldHere.add(eventImportId);
            return Optional.of(new Lease(this, eventImportId, name, connection));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new DataAccessResourceFailureException("cannot take the lock of import " + eventImportId, e);
        }
    }

    /** Whether any process on any pod holds the import's lock right now. */
    public boolean isHeld(long eventImportId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            ps.setString(1, lockName(eventImportId));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1) != null;
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("cannot check the lock of import " + eventImportId, e);
        }
    }

    /** Whether this process holds the import's lock (a lease it has not closed yet). */
    public boolean isHeldHere(long eventImportId) {
        return heldHere.contains(eventImportId);
    }

    String lockName(long eventImportId) {
        String db = database();
        String name = "clever-sync.import." + db + "." + eventImportId;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        return "clever-sync.import." + sha256(db).substring(0, 16) + "." + eventImportId;
    }

    private String database() {
        String db = database;
        if (db == null) {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement ps = connection.prepareStatement("SELECT DATABASE()");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                db = rs.getString(1) == null ? "" : rs.getString(1);
            } catch (SQLException e) {
                throw new DataAccessResourceFailureException("cannot read the database name", e);
            }
            database = db;
        }
        return db;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void release(Lease lease) {
        heldHere.remove(lease.eventImportId);
        Connection connection = lease.connection;
        try (PreparedStatement ps = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, lease.name);
            ps.executeQuery().close();
            connection.close();
        } catch (SQLException e) {
            // The connection is broken: the server dropped the lock with it. Make sure the pool never reuses it.
            log.warn("import {}: releasing the lock failed ({}); discarding its connection", lease.eventImportId, e.getMessage());
            if (dataSource instanceof HikariDataSource hikari) {
                hikari.evictConnection(connection);
            }
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }

    /** A held import lock; closing it releases the lock and hands the connection back. Idempotent. */
    public static final class Lease implements AutoCloseable {
        private final ImportLock owner;
        private final long eventImportId;
        private final String name;
        private final Connection connection;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(ImportLock owner, long eventImportId, String name, Connection connection) {
            this.owner = owner;
            this.eventImportId = eventImportId;
            this.name = name;
            this.connection = connection;
        }

        public long eventImportId() {
            return eventImportId;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                owner.release(this);
            }
        }
    }
}
