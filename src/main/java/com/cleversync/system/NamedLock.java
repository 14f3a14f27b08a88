package com.cleversync.system;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.dao.DataAccessResourceFailureException;

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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * MySQL/MariaDB named locks ({@code GET_LOCK}) of one kind, one per id, across threads, JVMs and pods: a lock is
 * held on a connection of its own, and the server releases it when the holder closes it or when the connection
 * dies with the process, so a crash never leaves one behind. Names are server-wide, so each carries the database's
 * name ({@code clever-sync.<kind>.<database>.<id>}, the database name hashed when that would pass MySQL's 64
 * characters): two environments or test schemas on one server never block each other.
 */
public final class NamedLock {

    /** MySQL's limit on a lock name. */
    private static final int MAX_NAME = 64;

    private final DataSource dataSource;
    private final String kind;
    private volatile String database;

    public NamedLock(DataSource dataSource, String kind) {
        this.dataSource = dataSource;
        this.kind = kind;
    }

    /** Takes the lock of {@code id} without waiting; empty when any process (this one included) holds it. */
    public Optional<Held> tryAcquire(long id) {
        String name = name(id);
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            Integer got;
            try (PreparedStatement ps = connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    got = rs.getObject(1, Integer.class);
                }
            }
            if (got == null || got != 1) {
                connection.close();
                return Optional.empty();
            }
            return Optional.of(new Held(name, connection));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new DataAccessResourceFailureException("cannot take the " + kind + " lock of " + id, e);
        }
    }

    /** Whether any process on any pod holds the lock of {@code id} now. */
    public boolean isHeld(long id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ps = connection.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            ps.setString(1, name(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1) != null;
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("cannot check the " + kind + " lock of " + id, e);
        }
    }

    public String name(long id) {
        String db = database();
        String name = "clever-sync." + kind + "." + db + "." + id;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        return "clever-sync." + kind + "." + sha256(db).substring(0, 16) + "." + id;
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

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }

    /** A held lock; closing it releases the lock and hands the connection back. Idempotent. */
    public final class Held implements AutoCloseable {
        private final String name;
        private final Connection connection;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Held(String name, Connection connection) {
            this.name = name;
            this.connection = connection;
        }

        /**
         * Releases the lock. Returns normally; when the connection is broken the server has dropped the lock with
         * it, the connection is evicted from the pool, and the failure is returned for the caller to log.
         */
        public Optional<SQLException> release() {
            if (!closed.compareAndSet(false, true)) {
                return Optional.empty();
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                ps.setString(1, name);
                ps.executeQuery().close();
                connection.close();
                return Optional.empty();
            } catch (SQLException e) {
                if (dataSource instanceof HikariDataSource hikari) {
                    hikari.evictConnection(connection);
                }
                closeQuietly(connection);
                return Optional.of(e);
            }
        }

        @Override
        public void close() {
            release();
        }
    }
}
