-- Working tables of the import job (cleverImportJob), keyed by Spring Batch job instance so that a restarted
-- execution finds what its earlier executions committed. Staging rows are deleted when an instance completes.

-- Sections of the import's school and term, as read from Clever in this run.
CREATE TABLE import_stage_section (
  job_instance_id    BIGINT       NOT NULL,
  clever_section_id  VARCHAR(64)  NOT NULL,
  name               VARCHAR(255) NOT NULL,
  period             VARCHAR(64)  NULL,
  subject            VARCHAR(64)  NULL,
  grade              VARCHAR(32)  NULL,
  sis_id             VARCHAR(255) NULL,
  section_number     VARCHAR(64)  NULL,
  row_hash           BIGINT       NOT NULL,
  PRIMARY KEY (job_instance_id, clever_section_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Enrollments from each section's students[] (role S) and teachers[] (role T).
CREATE TABLE import_stage_enrollment (
  job_instance_id    BIGINT      NOT NULL,
  role               CHAR(1)     NOT NULL,
  clever_user_id     VARCHAR(64) NOT NULL,
  clever_section_id  VARCHAR(64) NOT NULL,
  PRIMARY KEY (job_instance_id, role, clever_user_id, clever_section_id),
  KEY ix_stage_enrollment_section (job_instance_id, clever_section_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Student–parent links Clever holds for the import's students, resolved to contact ids.
CREATE TABLE import_stage_parent_link (
  job_instance_id    BIGINT      NOT NULL,
  student_id         BIGINT      NOT NULL,
  parent_id          BIGINT      NOT NULL,
  relationship       VARCHAR(64) NULL,
  relationship_type  VARCHAR(64) NULL,
  PRIMARY KEY (job_instance_id, student_id, parent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The run report: one counter per (instance, entity, metric), incremented inside each chunk's transaction.
CREATE TABLE import_run_stat (
  job_instance_id  BIGINT      NOT NULL,
  entity           VARCHAR(32) NOT NULL,
  metric           VARCHAR(32) NOT NULL,
  value            BIGINT      NOT NULL,
  PRIMARY KEY (job_instance_id, entity, metric)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Records skipped (with the reason), duplicates merged and ambiguous matches, for the report.
CREATE TABLE import_run_issue (
  id               BIGINT       NOT NULL AUTO_INCREMENT,
  job_instance_id  BIGINT       NOT NULL,
  entity           VARCHAR(32)  NOT NULL,
  clever_id        VARCHAR(64)  NOT NULL,
  kind             VARCHAR(16)  NOT NULL,
  reason           VARCHAR(1000) NOT NULL,
  created_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uk_import_run_issue (job_instance_id, entity, clever_id, kind),
  CONSTRAINT ck_import_run_issue_kind CHECK (kind IN ('SKIPPED', 'AMBIGUOUS', 'MERGED', 'MATCHED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Which job instance ran which import, with the run's mode and outcome, for reports and the nightly summary.
CREATE TABLE import_run (
  job_instance_id  BIGINT       NOT NULL,
  event_import_id  BIGINT       NOT NULL,
  trigger_source   VARCHAR(16)  NOT NULL,
  started_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  finished_at      TIMESTAMP(3) NULL,
  PRIMARY KEY (job_instance_id),
  KEY ix_import_run_import (event_import_id),
  CONSTRAINT fk_import_run_import FOREIGN KEY (event_import_id) REFERENCES event_import (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The Clever user whose data a contact mirrors (the first one linked): when several Clever users are one
-- person (a parent entered twice), only that one updates the contact, so syncs never flip between them.
ALTER TABLE contact ADD COLUMN clever_user_id VARCHAR(64) NULL;
