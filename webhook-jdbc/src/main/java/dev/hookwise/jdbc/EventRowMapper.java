package dev.hookwise.jdbc;

import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/** Reads event-log rows into {@link EventRecord}s; an unknown enum value becomes an {@link InvalidEventRowException}. */
final class EventRowMapper {

    private static final String STATUSES = Arrays.toString(EventStatus.values());
    private static final String SOURCES = Arrays.toString(EventSource.values());

    private final EventLogSql sql;

    EventRowMapper(EventLogSql sql) {
        this.sql = sql;
    }

    EventRecord read(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        long micros = rs.getLong("processing_micros");
        Duration processingTime = rs.wasNull() ? null : Duration.of(micros, ChronoUnit.MICROS);
        return EventRecord.builder(id, rs.getString("type"), required(rs, "created", id),
                        status(id, rs.getString("status")), required(rs, "received_at", id),
                        source(id, rs.getString("source")))
                .livemode(rs.getBoolean("livemode"))
                .apiVersion(rs.getString("api_version"))
                .account(rs.getString("account"))
                .attempts(rs.getInt("attempts"))
                .owner(rs.getString("owner"))
                .leaseUntil(sql.dialect.getInstant(rs, "lease_until"))
                .startedAt(sql.dialect.getInstant(rs, "started_at"))
                .completedAt(sql.dialect.getInstant(rs, "completed_at"))
                .processingTime(processingTime)
                .lastError(rs.getString("last_error"))
                .nextAttemptAt(sql.dialect.getInstant(rs, "next_attempt_at"))
                .payload(rs.getBytes("payload"))
                .traceContext(rs.getString("trace_context"))
                .build();
    }

    EventStatus status(String id, String value) {
        try {
            return EventStatus.valueOf(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidEventRowException(sql.table, id, "status", String.valueOf(value), STATUSES);
        }
    }

    private EventSource source(String id, String value) {
        try {
            return EventSource.valueOf(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidEventRowException(sql.table, id, "source", String.valueOf(value), SOURCES);
        }
    }

    private Instant required(ResultSet rs, String column, String id) throws SQLException {
        Instant value = sql.dialect.getInstant(rs, column);
        if (value == null) {
            throw new InvalidEventRowException(sql.table, id, column, "NULL", "a timestamp");
        }
        return value;
    }
}
