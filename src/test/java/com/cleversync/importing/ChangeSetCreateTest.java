package com.cleversync.importing;

import com.cleversync.support.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A night's change set is created outside any transaction, so each statement may run on another of the pool's
 * connections (a pool shared by the imports of several accounts at once): its id must be the key of its own INSERT,
 * not what another connection's {@code LAST_INSERT_ID()} holds.
 */
class ChangeSetCreateTest extends DatabaseTest {

    @Test
    void theIdIsThatOfTheInsertedSetWhicheverConnectionRunsTheNextStatement() throws SQLException {
        jdbcTemplate.update("INSERT INTO account (name, time_zone) VALUES ('change sets', 'UTC')");
        long account = jdbcTemplate.queryForObject("SELECT id FROM account WHERE name = 'change sets'", Long.class);
        try (Connection first = jdbcTemplate.getDataSource().getConnection();
             Connection second = jdbcTemplate.getDataSource().getConnection()) {
            // Another account's set, inserted on the second connection: its LAST_INSERT_ID() is that set's id.
            try (var st = second.createStatement()) {
                st.executeUpdate("INSERT INTO nightly_change_set (account_id) VALUES (" + account + ")");
            }
            List<SingleConnectionDataSource> connections = List.of(new SingleConnectionDataSource(first, true),
                    new SingleConnectionDataSource(second, true));
            AtomicInteger next = new AtomicInteger();
            // Hands out the two connections in turn, as a busy pool may.
            DelegatingDataSource alternating = new DelegatingDataSource(connections.getFirst()) {
                @Override
                public Connection getConnection() throws SQLException {
                    return connections.get(next.getAndIncrement() % 2).getConnection();
                }
            };

            long id = ChangeSet.create(new JdbcTemplate(alternating), account, Duration.ofDays(7));

            assertThat(next.get()).as("statements ran on both connections").isGreaterThanOrEqualTo(2);
            assertThat(jdbcTemplate.queryForList("SELECT id FROM nightly_change_set WHERE account_id = ? ORDER BY id",
                    Long.class, account)).as("the returned id is the new set's, the last one").hasSize(2).last().isEqualTo(id);
        }
    }
}
