-- Student–parent links are staged one row per written chunk of parents (the links as text, see
-- StagedParentLinks) instead of one row per link: the classes step compares them with student_parent in memory
-- (an import's worth) and writes only the new or changed ones.
CREATE TABLE import_stage_parent_links (
  job_instance_id  BIGINT      NOT NULL,
  chunk_key        VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  links            MEDIUMTEXT  NOT NULL,
  PRIMARY KEY (job_instance_id, chunk_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Executions that failed before this version keep what they staged (tabs and newlines never occur in the ids, and
-- relationship texts are escaped as StagedParentLinks reads them).
SET SESSION group_concat_max_len = 1073741824;

INSERT INTO import_stage_parent_links (job_instance_id, chunk_key, links)
SELECT job_instance_id, '', GROUP_CONCAT(CONCAT_WS('\t', student_id, parent_id,
         COALESCE(REPLACE(REPLACE(REPLACE(REPLACE(relationship, '\\', '\\\\'), '\t', '\\t'), '\n', '\\n'), '\r', '\\r'), '\\N'),
         COALESCE(REPLACE(REPLACE(REPLACE(REPLACE(relationship_type, '\\', '\\\\'), '\t', '\\t'), '\n', '\\n'), '\r', '\\r'), '\\N'))
       SEPARATOR '\n')
FROM import_stage_parent_link GROUP BY job_instance_id;

DROP TABLE import_stage_parent_link;
