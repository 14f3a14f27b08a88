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
}
