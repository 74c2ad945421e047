-- Hookwise 0.2.0 for H2 2.x: the event log keeps the trace context of the delivery that queued
-- an event (asynchronous mode), so that the inbox worker's processing continues the same trace.
-- Nullable; older Hookwise versions ignore it, so instances of both versions can share the table.
-- Usable as-is by Flyway with the default table name hookwise_event_log; Hookwise substitutes its
-- table prefix for "hookwise_" when it adds the column itself.
ALTER TABLE hookwise_event_log ADD COLUMN IF NOT EXISTS trace_context VARCHAR(1024);
