-- Hookwise 0.2.0 for MySQL 8 and MariaDB 10.5+: the event log keeps the trace context of the
-- delivery that queued an event (asynchronous mode), so that the inbox worker's processing
-- continues the same trace. Nullable; older Hookwise versions ignore it, so instances of both
-- versions can share the table. Usable as-is by Flyway or the mysql client with the default table
-- name hookwise_event_log; Hookwise substitutes its table prefix for "hookwise_" when it adds the
-- column itself (after checking that it is missing: MySQL has no ADD COLUMN IF NOT EXISTS).
ALTER TABLE hookwise_event_log ADD COLUMN trace_context VARCHAR(1024) NULL;
