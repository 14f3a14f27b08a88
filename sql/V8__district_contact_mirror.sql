-- The district's contact users are kept per account and refreshed in place, instead of being written whole into
-- every district read (V5): a refresh compares each page with what is stored (row_hash) and writes only the
-- contacts that changed, and deletes the ones Clever no longer lists. Clever lists users in id order, so the ids a
-- page skips over are the ones that are gone; clever_user_id is compared in binary order, as Clever orders them.
-- district_read remains the record of each refresh (who made it, when it completed, how far it got) and
-- import_run_district_read which refresh a job instance relies on.
CREATE TABLE district_contact (
  account_id      BIGINT      NOT NULL,
  clever_user_id  VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  email           TEXT        NULL,
  name_first      TEXT        NULL,
  name_middle     TEXT        NULL,
  name_last       TEXT        NULL,
  sis_id          TEXT        NULL,
  phone           TEXT        NULL,
  phone_type      TEXT        NULL,
  malformed       BOOLEAN     NOT NULL DEFAULT FALSE,
  error           TEXT        NULL,
  row_hash        BIGINT      NOT NULL,
  PRIMARY KEY (account_id, clever_user_id),
  KEY ix_district_contact_malformed (account_id, malformed)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A contact's student_relationships, in Clever's order (ord); keyed by student to find an import's contacts.
CREATE TABLE district_contact_relationship (
  account_id         BIGINT      NOT NULL,
  student_clever_id  VARCHAR(64) NOT NULL,
  clever_user_id     VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  ord                INT         NOT NULL,
  relationship       TEXT        NULL,
  relationship_type  TEXT        NULL,
  PRIMARY KEY (account_id, student_clever_id, clever_user_id, ord),
  KEY ix_district_contact_relationship_contact (account_id, clever_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- filled_through: the last id the refresh stored (its pages committed up to there); in_order: every page came in
-- ascending id order, so the ids it skipped are really gone (a refresh that saw otherwise deletes nothing).
ALTER TABLE district_read
  ADD COLUMN filled_through VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  ADD COLUMN in_order BOOLEAN NOT NULL DEFAULT TRUE;

-- Each account starts from its newest complete read; row_hash 0 makes the next refresh rewrite every row.
INSERT IGNORE INTO district_contact (account_id, clever_user_id, email, name_first, name_middle, name_last, sis_id,
  phone, phone_type, malformed, error, row_hash)
SELECT r.account_id, c.clever_user_id, c.email, c.name_first, c.name_middle, c.name_last, c.sis_id, c.phone,
  c.phone_type, c.malformed, c.error, 0
FROM district_read_contact c JOIN district_read r ON r.id = c.read_id
WHERE r.id = (SELECT MAX(r2.id) FROM district_read r2 WHERE r2.account_id = r.account_id AND r2.completed_at IS NOT NULL);

INSERT IGNORE INTO district_contact_relationship (account_id, student_clever_id, clever_user_id, ord, relationship,
  relationship_type)
SELECT r.account_id, x.student_clever_id, x.clever_user_id, x.ord, x.relationship, x.relationship_type
FROM district_read_relationship x JOIN district_read r ON r.id = x.read_id
WHERE r.id = (SELECT MAX(r2.id) FROM district_read r2 WHERE r2.account_id = r.account_id AND r2.completed_at IS NOT NULL);

DROP TABLE district_read_relationship;
DROP TABLE district_read_contact;
