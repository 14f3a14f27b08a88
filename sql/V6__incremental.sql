-- Remote partitioning of the nightly sync: the manager's partition requests (one per district) wait here until a
-- worker polls one (SELECT ... FOR UPDATE SKIP LOCKED, then DELETE). Spring Integration's JdbcChannelMessageStore
-- table, as in its schema-mysql.sql, in this schema's charset. The incremental cursor itself lives in
-- clever_connection (events_cursor, events_cursor_at, last_full_sync_at; V2).
CREATE TABLE INT_CHANNEL_MESSAGE (
  MESSAGE_ID        CHAR(36)     NOT NULL,
  GROUP_KEY         CHAR(36)     NOT NULL,
  CREATED_DATE      BIGINT       NOT NULL,
  MESSAGE_PRIORITY  BIGINT       NULL,
  MESSAGE_SEQUENCE  BIGINT       NOT NULL AUTO_INCREMENT UNIQUE,
  MESSAGE_CONTENT   BLOB,
  REGION            VARCHAR(100) NOT NULL,
  PRIMARY KEY (REGION, GROUP_KEY, CREATED_DATE, MESSAGE_SEQUENCE),
  KEY INT_CHANNEL_MSG_DELETE_IDX (REGION, GROUP_KEY, MESSAGE_ID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
