-- What an incremental night read from Clever's Events API, kept so that the imports it runs apply the changes
-- themselves instead of re-reading their schools, and so that a failed one can be restarted: per change set (one
-- district's night), the latest state of each section and user the events named, or that it was deleted.
CREATE TABLE nightly_change_set (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  account_id  BIGINT       NOT NULL,
  created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY ix_nightly_change_set_account (account_id, created_at),
  CONSTRAINT fk_nightly_change_set_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- record_type: 'sections' or 'users'; payload: the record after its last change (before it, for a delete), as JSON.
CREATE TABLE nightly_change (
  change_set_id  BIGINT      NOT NULL,
  record_type    VARCHAR(16) NOT NULL,
  clever_id      VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  deleted        BOOLEAN     NOT NULL,
  payload        MEDIUMTEXT  NOT NULL,
  PRIMARY KEY (change_set_id, record_type, clever_id),
  CONSTRAINT fk_nightly_change_set FOREIGN KEY (change_set_id) REFERENCES nightly_change_set (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
