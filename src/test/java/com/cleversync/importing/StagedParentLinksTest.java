package com.cleversync.importing;

import com.cleversync.support.DatabaseTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Staged parent links keep every text as it was, whether written by the import or carried over by V9. */
class StagedParentLinksTest extends DatabaseTest {

    private static final List<StagedParentLinks.Link> TRICKY = List.of(
            new StagedParentLinks.Link(10, 20, "Par\\ent\tstep", null),
            new StagedParentLinks.Link(11, 21, "Parent", "Parent/Guardian"),
            new StagedParentLinks.Link(12, 22, "\\N", "line\nbreak\r"),
            new StagedParentLinks.Link(13, 23, null, ""),
            new StagedParentLinks.Link(14, 24, "nul\0byte", "ends with \\"));

    @Test
    void linksRoundTripAndLaterChunksWin() {
        StagedParentLinks.stage(jdbcTemplate, 7, "a", TRICKY);
        StagedParentLinks.stage(jdbcTemplate, 7, "b", List.of(new StagedParentLinks.Link(11, 21, "Guardian", "Parent/Guardian")));
        StagedParentLinks.stage(jdbcTemplate, 7, "a", TRICKY);

        Map<StagedParentLinks.Pair, StagedParentLinks.Link> loaded = StagedParentLinks.load(jdbcTemplate, 7);
        assertThat(loaded.values()).containsExactlyInAnyOrder(TRICKY.get(0),
                new StagedParentLinks.Link(11, 21, "Guardian", "Parent/Guardian"), TRICKY.get(2), TRICKY.get(3), TRICKY.get(4));
        assertThat(StagedParentLinks.load(jdbcTemplate, 8)).isEmpty();
    }

    @Test
    void theMigrationCarriesOverLinksStagedOneRowEach() throws Exception {
        String script = Files.readString(Path.of("sql/V9__compact_parent_link_staging.sql"));
        String insert = script.substring(script.indexOf("INSERT INTO import_stage_parent_links"));
        insert = insert.substring(0, insert.indexOf(';')).replace("FROM import_stage_parent_link GROUP", "FROM legacy_parent_link GROUP");
        String carryOver = insert;
        jdbcTemplate.execute((Statement s) -> {
            s.execute("DROP TABLE IF EXISTS legacy_parent_link");
            s.execute("""
                    CREATE TABLE legacy_parent_link (job_instance_id BIGINT NOT NULL, student_id BIGINT NOT NULL,
                      parent_id BIGINT NOT NULL, relationship VARCHAR(64) NULL, relationship_type VARCHAR(64) NULL)
                    DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci""");
            return null;
        });
        try {
            for (StagedParentLinks.Link l : TRICKY) {
                jdbcTemplate.update("INSERT INTO legacy_parent_link VALUES (9, ?, ?, ?, ?)", l.studentId(), l.parentId(),
                        l.relationship(), l.type());
            }
            jdbcTemplate.execute((Statement s) -> {
                s.execute("SET SESSION group_concat_max_len = 1073741824");
                s.execute(carryOver);
                return null;
            });
            assertThat(StagedParentLinks.load(jdbcTemplate, 9).values()).containsExactlyInAnyOrderElementsOf(TRICKY);
        } finally {
            jdbcTemplate.execute("DROP TABLE IF EXISTS legacy_parent_link");
        }
    }
}
