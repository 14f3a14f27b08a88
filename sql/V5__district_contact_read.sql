-- The district's contact users (users?role=contact: Clever has no per-school list), read from Clever once and
-- kept here for the imports that need them. Runs started with the same district read key (share_key, e.g. one
-- per nightly sync) share one read per account; a nightly run without a key shares the nightly read of the account
-- made within clever-sync.import.shared-contacts-max-age; so a district of N schools reads its contacts once a
-- night instead of N times. Any other run makes a read of its own. A job instance keeps the read
-- it used (import_run_district_read) so that a restart sees the same data. Reads nobody uses any more are deleted.

CREATE TABLE district_read (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  account_id    BIGINT       NOT NULL,
  shared        BOOLEAN      NOT NULL,
  share_key     VARCHAR(64)  NULL,
  started_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  completed_at  TIMESTAMP(3) NULL,
  PRIMARY KEY (id),
  KEY ix_district_read_account (account_id, shared, completed_at),
  KEY ix_district_read_key (account_id, share_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One contact user as read; error is set (and the fields empty) for a record Clever sent malformed.
CREATE TABLE district_read_contact (
  read_id         BIGINT      NOT NULL,
  clever_user_id  VARCHAR(64) NOT NULL,
  email           TEXT        NULL,
  name_first      TEXT        NULL,
  name_middle     TEXT        NULL,
  name_last       TEXT        NULL,
  sis_id          TEXT        NULL,
  phone           TEXT        NULL,
  phone_type      TEXT        NULL,
  malformed       BOOLEAN     NOT NULL DEFAULT FALSE,
  error           TEXT        NULL,
  PRIMARY KEY (read_id, clever_user_id),
  KEY ix_district_read_contact_malformed (read_id, malformed, clever_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The contact's student_relationships, in Clever's order (ord); keyed by student to find an import's contacts.
CREATE TABLE district_read_relationship (
  read_id            BIGINT      NOT NULL,
  student_clever_id  VARCHAR(64) NOT NULL,
  clever_user_id     VARCHAR(64) NOT NULL,
  ord                INT         NOT NULL,
  relationship       TEXT        NULL,
  relationship_type  TEXT        NULL,
  PRIMARY KEY (read_id, student_clever_id, clever_user_id, ord),
  KEY ix_district_read_relationship_contact (read_id, clever_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE import_run_district_read (
  job_instance_id  BIGINT NOT NULL,
  read_id          BIGINT NOT NULL,
  PRIMARY KEY (job_instance_id),
  KEY ix_import_run_district_read_read (read_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
