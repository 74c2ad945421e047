-- Hookwise state store for MySQL 8 and MariaDB 10.5+: entities moved by declared state machines
-- (hookwise_entity_state) and every transition attempt with its result (hookwise_state_history,
-- the audit trail). Usable as-is by Flyway or the mysql client with the default prefix
-- "hookwise_"; Hookwise substitutes its table prefix for "hookwise_" when it creates the tables.
-- DATETIME(6) columns hold UTC. utf8mb4_bin: ids are case-sensitive.
-- Indexes are declared inline because MySQL has no CREATE INDEX IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS hookwise_entity_state (
    entity_type        VARCHAR(64) NOT NULL,
    id                 VARCHAR(255) NOT NULL,
    state              VARCHAR(64) NOT NULL,
    previous_state     VARCHAR(64),
    version            BIGINT NOT NULL,
    last_event_id      VARCHAR(255),
    last_event_created DATETIME(6),
    created_at         DATETIME(6) NOT NULL,
    updated_at         DATETIME(6) NOT NULL,
    PRIMARY KEY (entity_type, id),
    INDEX hookwise_entity_state_stuck_idx (entity_type, state, updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE IF NOT EXISTS hookwise_state_history (
    seq           BIGINT NOT NULL AUTO_INCREMENT,
    entity_type   VARCHAR(64) NOT NULL,
    entity_id     VARCHAR(255) NOT NULL,
    from_state    VARCHAR(64),
    to_state      VARCHAR(64) NOT NULL,
    result        VARCHAR(32) NOT NULL,
    event_id      VARCHAR(255) NOT NULL,
    event_created DATETIME(6) NOT NULL,
    source        VARCHAR(16) NOT NULL,
    recorded_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (seq),
    INDEX hookwise_state_history_entity_idx (entity_type, entity_id, seq),
    INDEX hookwise_state_history_recorded_idx (recorded_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
