-- Operations: confirmation tokens of the contacts clean-slate.
-- A dry run stores the SHA-256 of a random token together with the account, the level and the counts it
-- showed; the real run needs that token before it expires, for the same account and level, with the same
-- counts, and only once. The token itself is never stored.
CREATE TABLE contact_deletion_token (
  token_hash    CHAR(64)     NOT NULL,
  account_id    BIGINT       NOT NULL,
  access_level  VARCHAR(16)  NOT NULL,
  counts        VARCHAR(255) NOT NULL,
  created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  expires_at    TIMESTAMP(3) NOT NULL,
  used_at       TIMESTAMP(3) NULL,
  PRIMARY KEY (token_hash),
  KEY ix_contact_deletion_token_account (account_id),
  CONSTRAINT fk_contact_deletion_token_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
