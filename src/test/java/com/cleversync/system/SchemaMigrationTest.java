package com.cleversync.system;

import com.cleversync.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The migrations in sql/ build the whole schema on an empty database, and its keys forbid duplicates. */
class SchemaMigrationTest {

    @Test
    void migrationsCreateEveryTableOnAnEmptyDatabase() {
        TestDatabase db = TestDatabase.get();
        DriverManagerDataSource ds = new DriverManagerDataSource(db.createScratchSchema("empty"), db.username(), db.password());
        var result = Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isGreaterThanOrEqualTo(2);

        JdbcTemplate jdbc = new JdbcTemplate(ds);
        List<String> tables = jdbc.queryForList(
                "SELECT LOWER(table_name) FROM information_schema.tables WHERE table_schema = DATABASE()", String.class);
        assertThat(tables).contains("account", "clever_connection", "school", "event", "event_import", "contact",
                "contact_clever_user", "event_class", "class_teacher", "class_student", "student_parent",
                "batch_job_instance", "batch_job_execution", "batch_job_execution_params", "batch_step_execution",
                "batch_step_execution_context", "batch_job_execution_context", "batch_job_seq".replace("job_seq", "job_instance_seq"));

        List<String> charsets = jdbc.queryForList("""
                SELECT DISTINCT c.character_set_name FROM information_schema.tables t
                JOIN information_schema.collation_character_set_applicability c ON c.collation_name = t.table_collation
                WHERE t.table_schema = DATABASE() AND t.table_name <> 'flyway_schema_history'""", String.class);
        assertThat(charsets).containsExactly("utf8mb4");
        List<String> engines = jdbc.queryForList(
                "SELECT DISTINCT engine FROM information_schema.tables WHERE table_schema = DATABASE()", String.class);
        assertThat(engines).containsExactly("InnoDB");

        // Unique keys make duplicates impossible.
        jdbc.update("INSERT INTO account (name, time_zone) VALUES ('A', 'America/Chicago')");
        long account = jdbc.queryForObject("SELECT id FROM account", Long.class);
        jdbc.update("INSERT INTO school (account_id, clever_school_id, name) VALUES (?, 's1', 'School')", account);
        assertThatThrownBy(() -> jdbc.update(
                "INSERT INTO school (account_id, clever_school_id, name) VALUES (?, 's1', 'Again')", account))
                .hasMessageContaining("Duplicate");
        jdbc.update("INSERT INTO contact (account_id, kind, access_level, source) VALUES (?, 'TEACHER', 'HOST', 'CLEVER')", account);
        long contact = jdbc.queryForObject("SELECT id FROM contact", Long.class);
        jdbc.update("INSERT INTO contact_clever_user (account_id, clever_user_id, contact_id) VALUES (?, 'u1', ?)", account, contact);
        assertThatThrownBy(() -> jdbc.update(
                "INSERT INTO contact_clever_user (account_id, clever_user_id, contact_id) VALUES (?, 'u1', ?)", account, contact))
                .hasMessageContaining("Duplicate");
        // Check constraints hold on both MySQL 8 and MariaDB.
        assertThatThrownBy(() -> jdbc.update(
                "INSERT INTO contact (account_id, kind, access_level, source) VALUES (?, 'ALIEN', 'HOST', 'CLEVER')", account))
                .isInstanceOf(Exception.class);
    }
}
