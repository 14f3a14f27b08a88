package com.cleversync.system;

import com.cleversync.support.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Lookups and deletes by more values than one IN list holds, against the database. */
class InListTest extends DatabaseTest {

    @Test
    void slicesKeepEveryValueInOrderAndNoSliceIsLargerThanTheMaximum() {
        List<Integer> values = IntStream.range(0, 2 * InList.MAX + 3).boxed().toList();
        List<List<Integer>> slices = InList.slices(values);
        assertThat(slices).hasSize(3);
        assertThat(slices).allSatisfy(slice -> assertThat(slice).hasSizeLessThanOrEqualTo(InList.MAX));
        assertThat(slices.stream().flatMap(List::stream).toList()).isEqualTo(values);
        assertThat(InList.slices(List.of())).isEmpty();
    }

    @Test
    void aQueryAndAnUpdateSeeEveryValueOfEverySlice() {
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(jdbcTemplate);
        jdbcTemplate.update("INSERT INTO account (name) VALUES ('Slices')");
        long account = jdbcTemplate.queryForObject("SELECT id FROM account WHERE name = 'Slices'", Long.class);
        int count = 2 * InList.MAX + 50;
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count + 10; i++) {
            rows.add(new Object[]{account, "c" + i, "s" + i, 1});
        }
        jdbcTemplate.batchUpdate("INSERT INTO district_contact_relationship (account_id, clever_user_id, student_clever_id, ord) "
                + "VALUES (?, ?, ?, ?)", rows);
        List<String> wanted = IntStream.range(0, count).mapToObj(i -> "c" + i).toList();

        List<String> found = new ArrayList<>();
        InList.query(named, "SELECT clever_user_id FROM district_contact_relationship WHERE account_id = :a AND clever_user_id IN (:ids)",
                new MapSqlParameterSource("a", account), "ids", wanted, rs -> {
                    found.add(rs.getString(1));
                });
        assertThat(found).containsExactlyInAnyOrderElementsOf(wanted);

        int deleted = InList.update(named, "DELETE FROM district_contact_relationship WHERE account_id = :a AND clever_user_id IN (:ids)",
                new MapSqlParameterSource("a", account), "ids", wanted);
        assertThat(deleted).isEqualTo(count);
        assertThat(jdbcTemplate.queryForObject("SELECT COUNT(*) FROM district_contact_relationship", Integer.class)).isEqualTo(10);
    }

    @Test
    void aKeyTableFindsEveryKeyOnceWhateverItsCharactersAndHowManyThereAre() {
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(jdbcTemplate);
        jdbcTemplate.update("INSERT INTO account (name) VALUES ('Keys')");
        long account = jdbcTemplate.queryForObject("SELECT id FROM account WHERE name = 'Keys'", Long.class);
        List<String> odd = List.of("quote\"d", "back\\slash", "tab\tand\nnewline", "José Núñez 李", "it's");
        List<String> stored = new ArrayList<>(odd);
        IntStream.range(0, InList.MAX_JOINED + 20).forEach(i -> stored.add("c" + i));
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            rows.add(new Object[]{account, stored.get(i), "s" + i, 1});
        }
        jdbcTemplate.batchUpdate("INSERT INTO district_contact_relationship (account_id, clever_user_id, student_clever_id, ord) "
                + "VALUES (?, ?, ?, ?)", rows);
        List<String> wanted = new ArrayList<>(stored.subList(0, stored.size() - 10));
        wanted.add(odd.getFirst());
        wanted.add("missing");
        wanted.add("x".repeat(InList.MAX_KEY_LENGTH + 1));

        List<String> found = new ArrayList<>();
        InList.joined(named, "SELECT STRAIGHT_JOIN r.clever_user_id FROM " + InList.STRING_KEYS
                        + " JOIN district_contact_relationship r ON r.account_id = :a AND r.clever_user_id = k.v COLLATE utf8mb4_bin",
                new MapSqlParameterSource("a", account), wanted, rs -> {
                    found.add(rs.getString(1));
                });
        assertThat(found).containsExactlyInAnyOrderElementsOf(stored.subList(0, stored.size() - 10));

        List<Long> ords = new ArrayList<>();
        InList.joined(named, "SELECT STRAIGHT_JOIN r.ord FROM " + InList.LONG_KEYS
                        + " JOIN district_contact_relationship r ON r.account_id = :a AND r.clever_user_id = 'c7' AND r.ord = k.v",
                new MapSqlParameterSource("a", account), List.of(1L, 2L, 1L), rs -> {
                    ords.add(rs.getLong(1));
                });
        assertThat(ords).containsExactly(1L);
    }

    @Test
    void keysAreWrittenAsAJsonArray() {
        assertThat(InList.json(List.of("a\"b", "c\\d", "e\u0001", 42L))).isEqualTo("[\"a\\\"b\",\"c\\\\d\",\"e\\u0001\",42]");
    }
}
