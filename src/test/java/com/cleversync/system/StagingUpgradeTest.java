package com.cleversync.system;

import com.cleversync.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading from V6 keeps what a failed execution had staged and what the district's contacts were, so that its
 * restart after the upgrade sees the same data: V7 folds enrollments into their sections, V8 carries each account's
 * newest complete district read over to the stored contacts, V9 folds parent links into one row per instance.
 */
class StagingUpgradeTest {

    @Test
    void stagedDataAndDistrictContactsSurviveTheUpgrade() {
        TestDatabase db = TestDatabase.get();
        DriverManagerDataSource ds = new DriverManagerDataSource(db.createScratchSchema("upgrade"), db.username(), db.password());
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("6").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);

        jdbc.update("INSERT INTO import_stage_section (job_instance_id, clever_section_id, name, row_hash) VALUES (7, 'sec1', 'Math', 1)");
        jdbc.update("INSERT INTO import_stage_section (job_instance_id, clever_section_id, name, row_hash) VALUES (7, 'sec2', 'Art', 2)");
        for (Object[] e : List.of(new Object[] {"T", "t1", "sec1"}, new Object[] {"S", "s2", "sec1"}, new Object[] {"S", "s1", "sec1"},
                new Object[] {"S", "s1", "sec2"})) {
            jdbc.update("INSERT INTO import_stage_enrollment (job_instance_id, role, clever_user_id, clever_section_id) VALUES (7, ?, ?, ?)", e);
        }
        jdbc.update("INSERT INTO import_stage_parent_link VALUES (7, 100, 200, 'Mother', 'Parent/Guardian'), (7, 101, 200, NULL, 'x\\ty')");

        jdbc.update("INSERT INTO account (id, name) VALUES (1, 'A')");
        jdbc.update("INSERT INTO district_read (id, account_id, shared, completed_at) VALUES (1, 1, TRUE, CURRENT_TIMESTAMP(3))");
        jdbc.update("INSERT INTO district_read (id, account_id, shared, completed_at) VALUES (2, 1, TRUE, CURRENT_TIMESTAMP(3))");
        jdbc.update("INSERT INTO district_read (id, account_id, shared) VALUES (3, 1, TRUE)");
        jdbc.update("INSERT INTO district_read_contact (read_id, clever_user_id, name_last) VALUES (1, 'old', 'Old'), (2, 'c1', 'Avery'), "
                + "(3, 'partial', 'Partial')");
        jdbc.update("INSERT INTO district_read_contact (read_id, clever_user_id, malformed, error) VALUES (2, 'bad', TRUE, 'no name')");
        jdbc.update("INSERT INTO district_read_relationship VALUES (2, 's1', 'c1', 1, 'Mother', 'Parent/Guardian')");

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        List<Map<String, Object>> sections = jdbc.queryForList(
                "SELECT clever_section_id, teachers, students FROM import_stage_section WHERE job_instance_id = 7 ORDER BY clever_section_id");
        assertThat(sections).extracting(r -> r.get("clever_section_id") + "|" + r.get("teachers") + "|" + r.get("students"))
                .containsExactly("sec1|t1|s1,s2", "sec2|null|s1");

        assertThat(jdbc.queryForList("SELECT CONCAT(clever_user_id, ':', COALESCE(name_last, ''), ':', malformed, ':', row_hash) "
                + "FROM district_contact WHERE account_id = 1 ORDER BY clever_user_id", String.class))
                .as("the newest complete read, every row to be rewritten by the next refresh").containsExactly("bad::1:0", "c1:Avery:0:0");
        assertThat(jdbc.queryForList("SELECT CONCAT(student_clever_id, '>', clever_user_id, ':', relationship) FROM district_contact_relationship",
                String.class)).containsExactly("s1>c1:Mother");

        String links = jdbc.queryForObject("SELECT links FROM import_stage_parent_links WHERE job_instance_id = 7", String.class);
        assertThat(List.of(links.split("\n"))).containsExactlyInAnyOrder("100\t200\tMother\tParent/Guardian", "101\t200\t\\N\tx\\ty");
    }
}
