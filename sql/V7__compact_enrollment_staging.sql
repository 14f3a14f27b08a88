-- Enrollments are staged with their section (one row per section, the members' Clever ids comma-separated)
-- instead of one row per enrollment: a district of 25,000 sections stages 25,000 rows, not 700,000, and the
-- classes and reconcile steps compare an import's links in memory (an import's worth, never a district's).
ALTER TABLE import_stage_section
  ADD COLUMN teachers MEDIUMTEXT NULL,
  ADD COLUMN students MEDIUMTEXT NULL;

-- Executions that failed before this version keep what they staged: a restart must see the same members.
SET SESSION group_concat_max_len = 16777216;

UPDATE import_stage_section s
SET s.teachers = (SELECT GROUP_CONCAT(e.clever_user_id ORDER BY e.clever_user_id SEPARATOR ',')
                  FROM import_stage_enrollment e
                  WHERE e.job_instance_id = s.job_instance_id AND e.clever_section_id = s.clever_section_id AND e.role = 'T'),
    s.students = (SELECT GROUP_CONCAT(e.clever_user_id ORDER BY e.clever_user_id SEPARATOR ',')
                  FROM import_stage_enrollment e
                  WHERE e.job_instance_id = s.job_instance_id AND e.clever_section_id = s.clever_section_id AND e.role = 'S');

DROP TABLE import_stage_enrollment;
