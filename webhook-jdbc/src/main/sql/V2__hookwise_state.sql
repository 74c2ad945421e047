${sql.v2.header}
CREATE TABLE IF NOT EXISTS hookwise_entity_state (
    entity_type        VARCHAR(64)${sql.collate} NOT NULL,
    id                 VARCHAR(255)${sql.collate} NOT NULL,
    state              VARCHAR(64) NOT NULL,
    previous_state     VARCHAR(64),
    version            BIGINT NOT NULL,
    last_event_id      VARCHAR(255),
    last_event_created ${sql.timestamp},
    created_at         ${sql.timestamp} NOT NULL,
    updated_at         ${sql.timestamp} NOT NULL,
${sql.v2.entity_state.keys}
CREATE TABLE IF NOT EXISTS hookwise_state_history (
    seq           ${sql.v2.seq},
    entity_type   VARCHAR(64)${sql.collate} NOT NULL,
    entity_id     VARCHAR(255)${sql.collate} NOT NULL,
    from_state    VARCHAR(64),
    to_state      VARCHAR(64) NOT NULL,
    result        VARCHAR(32) NOT NULL,
    event_id      VARCHAR(255) NOT NULL,
    event_created ${sql.timestamp} NOT NULL,
    source        VARCHAR(16) NOT NULL,
    recorded_at   ${sql.timestamp} NOT NULL,
${sql.v2.state_history.keys}
