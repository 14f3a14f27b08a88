package com.cleversync.system;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.conf.RuntimeProperty;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.JdbcStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Writes many rows with one {@code LOAD DATA LOCAL INFILE} statement fed from memory (tab-separated text the
 * server parses directly) instead of a batch of INSERTs that the driver has to build value by value. The
 * connection reads no file: the statement's rows come from a stream handed to the driver for that statement
 * only, and every other use of the connection keeps the driver's local-file reads off (see
 * {@link BulkLoadConfig}).
 * <p>
 * The server must allow it ({@code local_infile=ON}: MariaDB's default; MySQL 8 needs {@code SET PERSIST
 * local_infile = 1}). When it does not, or {@code clever-sync.import.bulk-load=false}, each write runs as the
 * equivalent batched INSERT, with the same result. Runs inside the caller's transaction.
 */
public class BulkLoad {

    private static final Logger log = LoggerFactory.getLogger(BulkLoad.class);

    /** What happens to a row whose key is already stored. */
    public enum OnDuplicate {
        /** The stored row stays. */
        IGNORE("IGNORE"),
        /** The row replaces the stored one (for tables no foreign key points to). */
        REPLACE("REPLACE"),
        /** Every row must be new: a duplicate fails the write with {@link DuplicateKeyException}. */
        FAIL("");

        /** LOAD DATA's word for the rule (LOCAL loads skip duplicates unless told to replace). */
        private final String loadKeyword;

        OnDuplicate(String loadKeyword) {
            this.loadKeyword = loadKeyword;
        }
    }

    /** What the server allows, asked once. */
    private record Server(boolean localInfile, boolean consecutiveIds) {
    }

    /**
     * Errors that mean "LOAD DATA LOCAL is not allowed here": MySQL's 1148, 2068, 3948 and 3950, MariaDB's 4166 (the
     * connection did not announce the capability), and the driver's own refusal.
     */
    private static final Set<Integer> REFUSED = Set.of(1148, 2068, 3948, 3950, 4166);

    /** Bytes per packet of a load's data. */
    private static final int SEND_BUFFER = 256 * 1024;

    /** {@link #write}'s count when the server reported none. */
    public static final long UNKNOWN = -1;

    private final JdbcTemplate jdbc;
    private final boolean enabled;
    private volatile Server server;

    public BulkLoad(JdbcTemplate jdbc, boolean enabled) {
        this.jdbc = jdbc;
        this.enabled = enabled;
    }

    /** Whether writes go through LOAD DATA (asks the server the first time). */
    public boolean active() {
        return enabled && server().localInfile();
    }

    /**
     * Writes the rows ({@code columns} values each, see {@link #tsv}) into {@code table}. With {@link OnDuplicate#FAIL}
     * the write is whole or nothing (see {@link #wholeOrNothing}). Returns how many rows were stored (with
     * {@link OnDuplicate#IGNORE}, fewer than given when keys were already stored; with {@link OnDuplicate#REPLACE}, the
     * server's count, in which a replaced row counts twice), or {@link #UNKNOWN} for a batched INSERT IGNORE or
     * REPLACE, which does not say.
     */
    public long write(String table, List<String> columns, OnDuplicate onDuplicate, List<Object[]> rows) {
        return write(table, columns, onDuplicate, rows, () -> tsv(rows, columns.size()));
    }

    /**
     * Rows with their text in LOAD DATA's format ({@link #encode}), made beforehand, off the thread that writes them:
     * a load sends the text as it is, a batched INSERT binds the values.
     */
    public record Encoded(Object[] values, byte[] text) {
    }

    /** The row and its line of LOAD DATA text (see {@link #tsv}). */
    public static Encoded encode(Object[] row) {
        return new Encoded(row, tsv(List.<Object[]>of(row), row.length));
    }

    /** {@link #write(String, List, OnDuplicate, List)} for rows {@link #encode}d beforehand. */
    public long writeEncoded(String table, List<String> columns, OnDuplicate onDuplicate, List<Encoded> rows) {
        List<Object[]> values = new ArrayList<>(rows.size());
        int length = 0;
        for (Encoded row : rows) {
            if (row.values().length != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.values().length + " values for " + columns.size() + " columns");
            }
            values.add(row.values());
            length += row.text().length;
        }
        int size = length;
        return write(table, columns, onDuplicate, values, () -> {
            byte[] data = new byte[size];
            int at = 0;
            for (Encoded row : rows) {
                System.arraycopy(row.text(), 0, data, at, row.text().length);
                at += row.text().length;
            }
            return data;
        });
    }

    /** Both writes: nothing for no rows, whole or nothing for {@link OnDuplicate#FAIL}; {@code text} only if loaded. */
    private long write(String table, List<String> columns, OnDuplicate onDuplicate, List<Object[]> rows, Supplier<byte[]> text) {
        if (rows.isEmpty()) {
            return 0;
        }
        if (onDuplicate == OnDuplicate.FAIL) {
            return wholeOrNothing(() -> writeRows(table, columns, onDuplicate, rows, text));
        }
        return writeRows(table, columns, onDuplicate, rows, text);
    }

    private long writeRows(String table, List<String> columns, OnDuplicate onDuplicate, List<Object[]> rows, Supplier<byte[]> text) {
        if (active()) {
            Long loaded = load(table, columns, onDuplicate, text);
            if (loaded != null) {
                if (onDuplicate == OnDuplicate.FAIL && loaded != rows.size()) {
                    throw duplicate(table, rows.size(), loaded);
                }
                return loaded;
            }
        }
        jdbc.batchUpdate(insert(onDuplicate, table, columns), rows);
        // A batch the driver rewrote into multi-row statements does not report which rows each one stored.
        return onDuplicate == OnDuplicate.FAIL ? rows.size() : UNKNOWN;
    }

    /**
     * Inserts new rows into a table with an AUTO_INCREMENT key and returns their keys, in the rows' order. Through LOAD
     * DATA when the server promises consecutive keys for one statement ({@code innodb_autoinc_lock_mode} 0 or 1 and an
     * {@code auto_increment_increment} of 1): the first is {@code LAST_INSERT_ID()} and the others follow it one by one.
     * Otherwise a batched INSERT with generated keys. A row already stored fails the write with
     * {@link DuplicateKeyException}, as in {@link OnDuplicate#FAIL}: whole or nothing.
     */
    public long[] insertReturningKeys(String table, List<String> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return new long[0];
        }
        return wholeOrNothing(() -> insertRows(table, columns, rows));
    }

    /**
     * Runs a write that may break a unique key so that, in a transaction, it leaves nothing behind when it does: a
     * LOCAL load skips the duplicates and loads the other rows, and a batched INSERT may go as several statements, so
     * what the write stored before {@link DuplicateKeyException} is undone (see {@link Savepoints}). The rest of the
     * transaction stands, and the caller may try another way.
     */
    private <T> T wholeOrNothing(Supplier<T> write) {
        return Savepoints.wholeOrNothing(jdbc.getDataSource(), DuplicateKeyException.class, write);
    }

    private long[] insertRows(String table, List<String> columns, List<Object[]> rows) {
        long[] keys = new long[rows.size()];
        Long loaded = active() && server().consecutiveIds() ? load(table, columns, OnDuplicate.FAIL, () -> tsv(rows, columns.size())) : null;
        if (loaded != null) {
            if (loaded != rows.size()) {
                throw duplicate(table, rows.size(), loaded);
            }
            Long first = jdbc.queryForObject("SELECT LAST_INSERT_ID()", Long.class);
            if (first == null || first == 0) {
                throw new IllegalStateException("the server reported no generated key for " + rows.size() + " rows loaded into " + table);
            }
            for (int i = 0; i < keys.length; i++) {
                keys[i] = first + i;
            }
            return keys;
        }
        GeneratedKeyHolder generated = new GeneratedKeyHolder();
        jdbc.batchUpdate(con -> con.prepareStatement(insert(OnDuplicate.FAIL, table, columns), Statement.RETURN_GENERATED_KEYS),
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        Object[] row = rows.get(i);
                        for (int c = 0; c < row.length; c++) {
                            ps.setObject(c + 1, row[c]);
                        }
                    }

                    @Override
                    public int getBatchSize() {
                        return rows.size();
                    }
                }, generated);
        List<Map<String, Object>> list = generated.getKeyList();
        if (list.size() != rows.size()) {
            throw new IllegalStateException("expected " + rows.size() + " generated keys from " + table + ", got " + list.size());
        }
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ((Number) list.get(i).values().iterator().next()).longValue();
        }
        return keys;
    }

    /** The batched INSERT that stands in for a load with this duplicate rule. */
    private static String insert(OnDuplicate onDuplicate, String table, List<String> columns) {
        String into = switch (onDuplicate) {
            case IGNORE -> "INSERT IGNORE INTO " + table;
            case REPLACE -> "REPLACE INTO " + table;
            case FAIL -> "INSERT INTO " + table;
        };
        return into + " (" + String.join(", ", columns) + ") VALUES (" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
    }

    private static DuplicateKeyException duplicate(String table, int rows, long loaded) {
        return new DuplicateKeyException(table + ": " + (rows - loaded) + " of " + rows
                + " new rows broke a unique key (stored meanwhile by another run, or equal to another row under the key's collation)");
    }

    /** Rows loaded, or null when the server or driver refused LOAD DATA LOCAL (it is then not tried again). */
    private Long load(String table, List<String> columns, OnDuplicate onDuplicate, Supplier<byte[]> text) {
        String sql = "LOAD DATA LOCAL INFILE 'rows' " + onDuplicate.loadKeyword + " INTO TABLE " + table
                + " CHARACTER SET utf8mb4 (" + String.join(", ", columns) + ")";
        byte[] data = text.get();
        return jdbc.execute((ConnectionCallback<Long>) con -> {
            try {
                return loadFrom(con, sql, data);
            } catch (SQLException e) {
                String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                if (REFUSED.contains(e.getErrorCode()) || message.contains("load data local") || message.contains("local infile")) {
                    log.warn("the database refused LOAD DATA LOCAL ({}); imports write with batched INSERTs from now on, which is "
                            + "slower: allow it with local_infile=ON on the server, or set clever-sync.import.bulk-load=false",
                            e.getMessage());
                    server = new Server(false, false);
                    return null;
                }
                throw e;
            }
        });
    }

    private static long loadFrom(Connection con, String sql, byte[] data) throws SQLException {
        PropertySet properties = con.unwrap(JdbcConnection.class).getPropertySet();
        RuntimeProperty<Boolean> allow = properties.getBooleanProperty(PropertyKey.allowLoadLocalInfile);
        RuntimeProperty<Integer> packet = properties.getIntegerProperty(PropertyKey.maxAllowedPacket);
        boolean allowed = allow.getValue();
        int maxPacket = packet.getValue();
        // Only while this statement runs, and only with the stream below: the driver sends these bytes, never a file.
        allow.setValue(true);
        // The driver sends the stream through a buffer of up to 1 MiB that it often allocates again: 256 KiB packets keep
        // that buffer out of the collector's "humongous" (region-sized) objects.
        packet.setValue(Math.min(maxPacket, SEND_BUFFER));
        try (Statement statement = con.createStatement()) {
            statement.unwrap(JdbcStatement.class).setLocalInfileInputStream(new ByteArrayInputStream(data));
            return statement.executeLargeUpdate(sql);
        } finally {
            allow.setValue(allowed);
            packet.setValue(maxPacket);
        }
    }

    private Server server() {
        Server s = server;
        if (s == null) {
            if (!enabled) {
                s = new Server(false, false);
            } else {
                Map<String, Object> row = jdbc.queryForMap("SELECT @@local_infile AS local_infile, "
                        + "@@innodb_autoinc_lock_mode AS lock_mode, @@auto_increment_increment AS step");
                boolean local = row.get("local_infile") != null && ((Number) row.get("local_infile")).intValue() == 1;
                // Modes 0 and 1 give one statement's rows consecutive keys (2 may interleave concurrent statements).
                boolean consecutive = row.get("lock_mode") != null && ((Number) row.get("lock_mode")).intValue() <= 1
                        && row.get("step") != null && ((Number) row.get("step")).intValue() == 1;
                s = new Server(local, consecutive);
                if (!local) {
                    log.info("the database does not allow LOAD DATA LOCAL (local_infile=OFF): imports write with batched INSERTs, "
                            + "which is slower; SET PERSIST local_infile = 1 allows it");
                }
            }
            server = s;
        }
        return s;
    }

    /**
     * The rows as LOAD DATA's default text format: fields separated by tabs, rows by newlines, NULL as {@code \N},
     * backslash, tab, newline, carriage return and NUL escaped with a backslash. Values are strings, numbers,
     * booleans (1/0) or null.
     */
    static byte[] tsv(List<Object[]> rows, int columns) {
        StringBuilder out = new StringBuilder(rows.size() * 16 * columns);
        for (Object[] row : rows) {
            if (row.length != columns) {
                throw new IllegalArgumentException("a row has " + row.length + " values for " + columns + " columns");
            }
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.append('\t');
                }
                appendField(out, row[i]);
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * One field in LOAD DATA's default text format (see {@link #tsv}): a string, number, boolean (1/0) or null
     * ({@code \\N}).
     */
    public static void appendField(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("\\N");
            case String s -> escape(out, s);
            case Boolean b -> out.append(b ? '1' : '0');
            case Long l -> out.append(l.longValue());
            case Integer i -> out.append(i.intValue());
            default -> throw new IllegalArgumentException("cannot bulk-load a " + value.getClass().getSimpleName());
        }
    }

    /** Copies the runs between special characters whole: most values have none, and go in one copy. */
    private static void escape(StringBuilder out, String s) {
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            String escaped = switch (s.charAt(i)) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\0' -> "\\0";
                default -> null;
            };
            if (escaped != null) {
                out.append(s, from, i).append(escaped);
                from = i + 1;
            }
        }
        if (from == 0) {
            // append(String) copies the string's bytes whole; append(CharSequence, int, int) goes char by char.
            out.append(s);
        } else {
            out.append(s, from, s.length());
        }
    }
}
