-- Hookwise event log for H2 2.x: one row per Stripe event, the idempotency record and the audit
-- trail. Usable as-is by Flyway with the default table name hookwise_event_log; Hookwise
-- substitutes its table prefix for "hookwise_" when it creates the table itself.
-- Times are instants (TIMESTAMP WITH TIME ZONE, written in UTC).
CREATE TABLE IF NOT EXISTS hookwise_event_log (
    id                VARCHAR(255) NOT NULL,
    type              VARCHAR(255) NOT NULL,
    created           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    livemode          BOOLEAN NOT NULL,
    api_version       VARCHAR(255),
    account           VARCHAR(255),
    status            VARCHAR(16) NOT NULL,
    attempts          INTEGER NOT NULL,
    owner             VARCHAR(255),
    lease_until       TIMESTAMP(6) WITH TIME ZONE,
    received_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    started_at        TIMESTAMP(6) WITH TIME ZONE,
    completed_at      TIMESTAMP(6) WITH TIME ZONE,
    processing_micros BIGINT,
    last_error        VARCHAR(4000),
    next_attempt_at   TIMESTAMP(6) WITH TIME ZONE,
    source            VARCHAR(16) NOT NULL,
    payload           BLOB,
    CONSTRAINT hookwise_event_log_pk PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS hookwise_event_log_status_idx ON hookwise_event_log (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS hookwise_event_log_created_idx ON hookwise_event_log (created, id);
