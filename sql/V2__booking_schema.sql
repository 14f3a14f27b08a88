-- Booking schema: the tables clever-sync writes into.
-- Runs on MySQL 8.0+ and MariaDB 10.11+ (utf8mb4, InnoDB, no vendor-only syntax).
-- Table and column names are a contract with the booking product and ops tooling.

CREATE TABLE account (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  name        VARCHAR(255) NOT NULL,
  time_zone   VARCHAR(64)  NOT NULL DEFAULT 'UTC',
  created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uk_account_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The account's Clever district. The token is stored encrypted (see TokenCipher); never in clear text
-- unless the demo's explicit plain-text mode wrote it.
CREATE TABLE clever_connection (
  account_id          BIGINT        NOT NULL,
  clever_district_id  VARCHAR(64)   NOT NULL,
  district_name       VARCHAR(255)  NULL,
  token               VARCHAR(2048) NOT NULL,
  connected_at        TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at          TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  events_cursor       VARCHAR(64)   NULL,
  events_cursor_at    TIMESTAMP(3)  NULL,
  last_full_sync_at   TIMESTAMP(3)  NULL,
  PRIMARY KEY (account_id),
  KEY ix_clever_connection_district (clever_district_id),
  CONSTRAINT fk_clever_connection_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Schools attached to the integration: billing counts the rows with detached_at IS NULL.
CREATE TABLE school (
  id                BIGINT       NOT NULL AUTO_INCREMENT,
  account_id        BIGINT       NOT NULL,
  clever_school_id  VARCHAR(64)  NOT NULL,
  name              VARCHAR(255) NOT NULL,
  sis_id            VARCHAR(255) NULL,
  school_number     VARCHAR(255) NULL,
  attached_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  detached_at       TIMESTAMP(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_school_account_clever (account_id, clever_school_id),
  CONSTRAINT fk_school_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE event (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  account_id      BIGINT       NOT NULL,
  name            VARCHAR(255) NOT NULL,
  sync_enabled    BOOLEAN      NOT NULL DEFAULT TRUE,
  sync_changed_at TIMESTAMP(3) NULL,
  created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY ix_event_account (account_id),
  CONSTRAINT fk_event_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Each (event, school, term) an admin imported; the nightly sync re-runs every row of an event with sync on.
CREATE TABLE event_import (
  id                BIGINT       NOT NULL AUTO_INCREMENT,
  event_id          BIGINT       NOT NULL,
  school_id         BIGINT       NOT NULL,
  clever_school_id  VARCHAR(64)  NOT NULL,
  clever_term_id    VARCHAR(64)  NOT NULL,
  term_name         VARCHAR(255) NULL,
  created_at        TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_run_at       TIMESTAMP(3) NULL,
  last_status       VARCHAR(16)  NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_event_import (event_id, clever_school_id, clever_term_id),
  KEY ix_event_import_school (school_id),
  CONSTRAINT fk_event_import_event FOREIGN KEY (event_id) REFERENCES event (id) ON DELETE CASCADE,
  CONSTRAINT fk_event_import_school FOREIGN KEY (school_id) REFERENCES school (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per person per account. kind: TEACHER, STUDENT, PARENT, ADMIN.
-- access_level: ADMIN > EVENT_ADMIN > HOST (teachers) > CUSTOMER (parents and students).
-- source: CLEVER (created by an import) or MANUAL (CSV import, school's own id in external_id).
-- email_norm is the trimmed lower-cased email used for matching; dedupe_key folds Clever contact users
-- that are one parent (same email, or same name and phone) and is only set on rows an import created.
CREATE TABLE contact (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  account_id    BIGINT       NOT NULL,
  kind          VARCHAR(16)  NOT NULL,
  access_level  VARCHAR(16)  NOT NULL,
  first_name    VARCHAR(255) NULL,
  last_name     VARCHAR(255) NULL,
  email         VARCHAR(320) NULL,
  email_norm    VARCHAR(320) NULL,
  phone         VARCHAR(64)  NULL,
  external_id   VARCHAR(255) NULL,
  grade         VARCHAR(32)  NULL,
  source        VARCHAR(16)  NOT NULL,
  dedupe_key    VARCHAR(400) NULL,
  row_hash      BIGINT       NULL,
  removed_at    TIMESTAMP(3) NULL,
  created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uk_contact_dedupe (account_id, kind, dedupe_key),
  KEY ix_contact_external (account_id, kind, external_id),
  KEY ix_contact_email (account_id, kind, email_norm),
  KEY ix_contact_level (account_id, access_level),
  CONSTRAINT ck_contact_kind CHECK (kind IN ('TEACHER', 'STUDENT', 'PARENT', 'ADMIN')),
  CONSTRAINT ck_contact_level CHECK (access_level IN ('ADMIN', 'EVENT_ADMIN', 'HOST', 'CUSTOMER')),
  CONSTRAINT ck_contact_source CHECK (source IN ('CLEVER', 'MANUAL')),
  CONSTRAINT fk_contact_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Clever user ids linked to a contact. A Clever user id maps to exactly one contact per account;
-- a contact may carry several Clever ids (e.g. one parent entered twice in the SIS).
CREATE TABLE contact_clever_user (
  account_id      BIGINT       NOT NULL,
  clever_user_id  VARCHAR(64)  NOT NULL,
  contact_id      BIGINT       NOT NULL,
  sis_id          VARCHAR(255) NULL,
  linked_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (account_id, clever_user_id),
  KEY ix_contact_clever_user_contact (contact_id),
  CONSTRAINT fk_ccu_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE,
  CONSTRAINT fk_ccu_contact FOREIGN KEY (contact_id) REFERENCES contact (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A class of an event. type HIDE is an admin's choice and is never changed by a sync;
-- deleted_at is an admin's temporary delete, cleared by the next sync.
CREATE TABLE event_class (
  id                 BIGINT       NOT NULL AUTO_INCREMENT,
  event_id           BIGINT       NOT NULL,
  event_import_id    BIGINT       NOT NULL,
  clever_section_id  VARCHAR(64)  NOT NULL,
  sis_id             VARCHAR(255) NULL,
  name               VARCHAR(255) NOT NULL,
  period             VARCHAR(64)  NULL,
  subject            VARCHAR(64)  NULL,
  grade              VARCHAR(32)  NULL,
  section_number     VARCHAR(64)  NULL,
  type               VARCHAR(8)   NOT NULL DEFAULT 'NORMAL',
  deleted_at         TIMESTAMP(3) NULL,
  row_hash           BIGINT       NULL,
  created_at         TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uk_event_class_section (event_id, clever_section_id),
  KEY ix_event_class_import (event_import_id),
  CONSTRAINT ck_event_class_type CHECK (type IN ('NORMAL', 'HIDE')),
  CONSTRAINT fk_event_class_event FOREIGN KEY (event_id) REFERENCES event (id) ON DELETE CASCADE,
  CONSTRAINT fk_event_class_import FOREIGN KEY (event_import_id) REFERENCES event_import (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE class_teacher (
  class_id    BIGINT NOT NULL,
  contact_id  BIGINT NOT NULL,
  PRIMARY KEY (class_id, contact_id),
  KEY ix_class_teacher_contact (contact_id),
  CONSTRAINT fk_class_teacher_class FOREIGN KEY (class_id) REFERENCES event_class (id) ON DELETE CASCADE,
  CONSTRAINT fk_class_teacher_contact FOREIGN KEY (contact_id) REFERENCES contact (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE class_student (
  class_id    BIGINT NOT NULL,
  contact_id  BIGINT NOT NULL,
  PRIMARY KEY (class_id, contact_id),
  KEY ix_class_student_contact (contact_id),
  CONSTRAINT fk_class_student_class FOREIGN KEY (class_id) REFERENCES event_class (id) ON DELETE CASCADE,
  CONSTRAINT fk_class_student_contact FOREIGN KEY (contact_id) REFERENCES contact (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- relationship is Clever's (Parent, Grandparent, ...); relationship_type is Clever's type (Parent/Guardian, ...).
CREATE TABLE student_parent (
  student_id         BIGINT      NOT NULL,
  parent_id          BIGINT      NOT NULL,
  relationship       VARCHAR(64) NULL,
  relationship_type  VARCHAR(64) NULL,
  PRIMARY KEY (student_id, parent_id),
  KEY ix_student_parent_parent (parent_id),
  CONSTRAINT fk_student_parent_student FOREIGN KEY (student_id) REFERENCES contact (id) ON DELETE CASCADE,
  CONSTRAINT fk_student_parent_parent FOREIGN KEY (parent_id) REFERENCES contact (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
