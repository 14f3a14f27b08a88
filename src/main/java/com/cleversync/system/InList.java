package com.cleversync.system;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Key lists in SQL, two ways.
 * <p>
 * <b>Lookups</b> ({@link #joined}) read the keys as a table: the keys go as one JSON array, {@code JSON_TABLE} makes it
 * a table, and the statement joins it to the rows it looks up, keys first ({@code STRAIGHT_JOIN}), each key one probe
 * of the index the statement names ({@code FORCE INDEX}). A few thousand keys are one statement with one parameter. At
 * size L (see the benchmark in the README) this took the cold import's database CPU from 32.8–35.4 s to 26.3–27.5 s
 * against IN lists of 199 values.
 * <p>
 * <b>Updates and deletes</b> ({@link #update}, and the few lookups outside an import's path, {@link #query}) bind
 * {@code IN (:ids)} lists in slices of at most {@value #MAX}: below both servers' {@code eq_range_index_dive_limit}
 * (200 by default on MySQL 8 and MariaDB), so the optimizer estimates each list by looking its values up in the index.
 * From 200 values on it estimates from the index statistics instead, and those lag behind the rows an import adds (a
 * first import fills an account's tables faster than the server refreshes them): in the benchmark at size L, MariaDB
 * then read all 160k relationship rows of the account for each lookup of 1,000 contacts (64 ms a statement, against
 * about 1 ms a slice of 199; from 1,000 values, MariaDB's {@code in_predicate_conversion_threshold}, it joins the list
 * as a derived table, to the same effect).
 */
public final class InList {

    public static final int MAX = 199;

    private InList() {
    }

    /** The values in order, in consecutive slices of at most {@value #MAX}; none for no values. */
    public static <T> List<List<T>> slices(Collection<? extends T> values) {
        List<T> all = new ArrayList<>(values);
        List<List<T>> slices = new ArrayList<>((all.size() + MAX - 1) / MAX);
        for (int from = 0; from < all.size(); from += MAX) {
            slices.add(all.subList(from, Math.min(all.size(), from + MAX)));
        }
        return slices;
    }

    /**
     * Runs the query once per slice of {@code values}, bound as {@code :name} next to {@code params}, each row to
     * {@code rows}; nothing for no values. Rows come slice by slice: an ORDER BY orders each slice's rows.
     */
    public static void query(NamedParameterJdbcTemplate named, String sql, MapSqlParameterSource params, String name,
                             Collection<?> values, RowCallbackHandler rows) {
        for (List<?> slice : slices(values)) {
            named.query(sql, new MapSqlParameterSource(params.getValues()).addValue(name, slice), rows);
        }
    }

    /** Runs the statement once per slice of {@code values}, bound as {@code :name}; the rows affected in all. */
    public static int update(NamedParameterJdbcTemplate named, String sql, MapSqlParameterSource params, String name,
                             Collection<?> values) {
        int rows = 0;
        for (List<?> slice : slices(values)) {
            rows += named.update(sql, new MapSqlParameterSource(params.getValues()).addValue(name, slice));
        }
        return rows;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The most keys one {@link #joined} statement reads. */
    public static final int MAX_JOINED = 5000;

    /** The longest string key a key table holds; a longer value equals no stored one (no key column is that long). */
    public static final int MAX_KEY_LENGTH = 1024;

    /**
     * A table of the string keys bound as {@code :ids}: {@code k}, with the one column {@code v}, for {@link #joined}.
     * Compare {@code k.v} with an explicit {@code COLLATE} (the column's): JSON strings are {@code utf8mb4_bin}.
     */
    public static final String STRING_KEYS = "JSON_TABLE(:ids, '$[*]' COLUMNS (v VARCHAR(" + MAX_KEY_LENGTH + ") PATH '$')) k";

    /** A table of the numeric keys bound as {@code :ids}: {@code k}, with the one column {@code v}, for {@link #joined}. */
    public static final String LONG_KEYS = "JSON_TABLE(:ids, '$[*]' COLUMNS (v BIGINT PATH '$')) k";

    /**
     * Runs a query that joins the key table ({@link #STRING_KEYS} or {@link #LONG_KEYS}) to the rows it looks up,
     * once per {@value #MAX_JOINED} distinct keys; nothing for no keys. The keys lead the join ({@code STRAIGHT_JOIN})
     * and each is one probe of the looked-up table's index, named with {@code FORCE INDEX}: with statistics that lag
     * behind a first import's rows the optimizer otherwise scans the whole table for each key (a lookup of a school's
     * contacts by their students ran for over a minute at size L). One statement where {@link #query} sends one per
     * {@value #MAX} keys, and one parameter (a JSON array) instead of a placeholder per key. A key given twice is looked
     * up once, as in an IN list.
     */
    public static void joined(NamedParameterJdbcTemplate named, String sql, MapSqlParameterSource params, Collection<?> values,
                              RowCallbackHandler rows) {
        Set<Object> keys = new LinkedHashSet<>(values.size() * 2);
        for (Object v : values) {
            if (v != null && !(v instanceof String s && s.length() > MAX_KEY_LENGTH)) {
                keys.add(v);
            }
        }
        List<Object> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += MAX_JOINED) {
            String json = json(all.subList(from, Math.min(all.size(), from + MAX_JOINED)));
            named.query(sql, new MapSqlParameterSource(params.getValues()).addValue("ids", json), rows);
        }
    }

    /** The values as a JSON array: strings quoted and escaped, numbers as they are. */
    static String json(List<?> values) {
        return JSON.writeValueAsString(values);
    }
}
