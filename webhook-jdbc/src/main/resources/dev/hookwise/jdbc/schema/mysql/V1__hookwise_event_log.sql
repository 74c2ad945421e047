-- Hookwise event log for MySQL 8 and MariaDB 10.5+: one row per Stripe event, the idempotency
-- record and the audit trail. Usable as-is by Flyway or the mysql client with the default table
-- name hookwise_event_log; Hookwise substitutes its table prefix for "hookwise_" when it creates
-- the table itself.
-- DATETIME(6) columns hold UTC. utf8mb4_bin: Stripe ids are case-sensitive (a _ci collation would
-- make evt_A and evt_a one key) and errors may contain any character.
-- Indexes are declared inline because MySQL has no CREATE INDEX IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS hookwise_event_log (
    id                VARCHAR(255) NOT NULL,
    type              VARCHAR(255) NOT NULL,
    created           DATETIME(6) NOT NULL,
    livemode          BOOLEAN NOT NULL,
    api_version       VARCHAR(255),
    account           VARCHAR(255),
    status            VARCHAR(16) NOT NULL,
    attempts          INT NOT NULL,
    owner             VARCHAR(255),
    lease_until       DATETIME(6),
    received_at       DATETIME(6) NOT NULL,
    started_at        DATETIME(6),
    completed_at      DATETIME(6),
    processing_micros BIGINT,
    last_error        VARCHAR(4000),
    next_attempt_at   DATETIME(6),
    source            VARCHAR(16) NOT NULL,
    payload           LONGBLOB,
    PRIMARY KEY (id),
    INDEX hookwise_event_log_status_idx (status, next_attempt_at),
    INDEX hookwise_event_log_created_idx (created, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
