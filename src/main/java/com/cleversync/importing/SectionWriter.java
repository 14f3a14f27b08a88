package com.cleversync.importing;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Stages a chunk of sections with their enrollments (one multi-row statement; the members' Clever ids travel with
 * their section). The classes step turns the staged rows into classes and links once every read step has completed.
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
        for (StagedSection s : chunk) {
            sections.add(new Object[] {jobInstanceId, s.id(), s.name(), s.period(), s.subject(), s.grade(), s.sisId(),
                    s.sectionNumber(), s.rowHash(), StagedEnrollments.join(s.teachers()), StagedEnrollments.join(s.students())});
        }
        jdbc.batchUpdate("""
                INSERT INTO import_stage_section
                  (job_instance_id, clever_section_id, name, period, subject, grade, sis_id, section_number, row_hash,
                   teachers, students)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE name = VALUES(name), period = VALUES(period), subject = VALUES(subject),
                  grade = VALUES(grade), sis_id = VALUES(sis_id), section_number = VALUES(section_number),
                  row_hash = VALUES(row_hash), teachers = VALUES(teachers), students = VALUES(students)""", sections);
    }
}
