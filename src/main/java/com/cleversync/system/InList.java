package com.cleversync.system;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Values bound to an SQL {@code IN (:ids)} list go in slices of at most {@value #MAX}: below both servers'
 * {@code eq_range_index_dive_limit} (200 by default on MySQL 8 and MariaDB), so the optimizer estimates each list
 * by looking its values up in the index. From 200 values on it estimates from the index statistics instead, and those
 * lag behind the rows an import adds (a first import fills an account's tables faster than the server refreshes
 * them): in the benchmark at size L, MariaDB then read all 160k relationship rows of the account for each lookup of
 * 1,000 contacts (64 ms a statement, against about 1 ms a slice of 199; from 1,000 values, MariaDB's
 * {@code in_predicate_conversion_threshold}, it joins the list as a derived table, to the same effect). Slices keep
 * every lookup proportional to its values, however large the account and whatever the statistics say.
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
}
