${sql.v3.header}
ALTER TABLE hookwise_event_log ADD COLUMN ${sql.v3.column};
