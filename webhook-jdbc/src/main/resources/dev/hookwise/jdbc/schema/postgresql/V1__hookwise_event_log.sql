-- Hookwise event log for PostgreSQL: one row per Stripe event, the idempotency record and the
-- audit trail. Usable as-is by Flyway or psql with the default table name hookwise_event_log;
-- Hookwise substitutes its table prefix for "hookwise_" when it creates the table itself.
-- Times are instants (timestamptz). Ids and types use the "C" collation: Stripe ids are
-- case-sensitive, and ordering and LIKE then match Java's String order.
CREATE TABLE IF NOT EXISTS hookwise_event_log (
    id                VARCHAR(255) COLLATE "C" NOT NULL,
    type              VARCHAR(255) COLLATE "C" NOT NULL,
    created           TIMESTAMP WITH TIME ZONE NOT NULL,
    livemode          BOOLEAN NOT NULL,
    api_version       VARCHAR(255),
    account           VARCHAR(255),
    status            VARCHAR(16) NOT NULL,
    attempts          INTEGER NOT NULL,
    owner             VARCHAR(255),
    lease_until       TIMESTAMP WITH TIME ZONE,
    received_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE,
    completed_at      TIMESTAMP WITH TIME ZONE,
    processing_micros BIGINT,
    last_error        VARCHAR(4000),
    next_attempt_at   TIMESTAMP WITH TIME ZONE,
    source            VARCHAR(16) NOT NULL,
    payload           BYTEA,
    CONSTRAINT hookwise_event_log_pk PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS hookwise_event_log_status_idx ON hookwise_event_log (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS hookwise_event_log_created_idx ON hookwise_event_log (created, id);
