package com.cleversync.importing;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Stages a chunk of sections and their enrollments (two multi-row statements). The classes step turns the
 * staged rows into classes and links once every read step has completed.
 */
public class SectionWriter implements ItemWriter<StagedSection> {

    private final JdbcTemplate jdbc;
    private final long jobInstanceId;

    public SectionWriter(JdbcTemplate jdbc, long jobInstanceId) {
        this.jdbc = jdbc;
        this.jobInstanceId = jobInstanceId;
    }

    @Override
    public void write(Chunk<? extends StagedSection> chunk) {
        List<Object[]> sections = new ArrayList<>(chunk.size());
        List<Object[]> enrollments = new ArrayList<>(chunk.size() * 30);
        for (StagedSection s : chunk) {
            sections.add(new Object[] {jobInstanceId, s.id(), s.name(), s.period(), s.subject(), s.grade(), s.sisId(),
                    s.sectionNumber(), s.rowHash()});
            for (String t : s.teachers()) {
                enrollments.add(new Object[] {jobInstanceId, "T", t, s.id()});
            }
            for (String st : s.students()) {
                enrollments.add(new Object[] {jobInstanceId, "S", st, s.id()});
            }
        }
        jdbc.batchUpdate("""
                INSERT INTO import_stage_section
                  (job_instance_id, clever_section_id, name, period, subject, grade, sis_id, section_number, row_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE name = VALUES(name), period = VALUES(period), subject = VALUES(subject),
                  grade = VALUES(grade), sis_id = VALUES(sis_id), section_number = VALUES(section_number),
                  row_hash = VALUES(row_hash)""", sections);
        if (!enrollments.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO import_stage_enrollment (job_instance_id, role, clever_user_id, clever_section_id)
                    VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE role = VALUES(role)""", enrollments);
        }
    }
}
