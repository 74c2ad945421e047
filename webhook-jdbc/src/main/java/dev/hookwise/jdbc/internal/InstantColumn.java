package dev.hookwise.jdbc.internal;

import dev.hookwise.jdbc.JdbcDialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * How every Hookwise table (the event log and the state store alike) keeps an instant, in one place:
 * microsecond precision, the finest all three databases keep, and never the JVM's or the server's
 * time zone. The hazard: a {@code java.sql.Timestamp} is read in the JVM's zone, so an instance in
 * another zone would see every lease shifted by hours; the tests run in a non-UTC zone to catch it.
 */
public enum InstantColumn {
    /** {@code timestamptz} (PostgreSQL) and {@code TIMESTAMP WITH TIME ZONE} (H2): bound as a UTC offset time. */
    WITH_TIME_ZONE(Types.TIMESTAMP_WITH_TIMEZONE),
    /** {@code DATETIME(6)} holding the UTC wall-clock time (MySQL/MariaDB), whatever the server's zone. */
    UTC_WALL_CLOCK(Types.TIMESTAMP);

    private final int sqlType;

    InstantColumn(int sqlType) {
        this.sqlType = sqlType;
    }

    /** The columns of {@code dialect}'s schema files. */
    public static InstantColumn of(JdbcDialect dialect) {
        return dialect == JdbcDialect.MYSQL ? UTC_WALL_CLOCK : WITH_TIME_ZONE;
    }

    /** Binds {@code value}, truncated to microseconds, or SQL NULL. */
    public void set(PreparedStatement ps, int index, @Nullable Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, sqlType);
            return;
        }
        Instant micros = value.truncatedTo(ChronoUnit.MICROS);
        if (this == UTC_WALL_CLOCK) {
            ps.setObject(index, LocalDateTime.ofInstant(micros, ZoneOffset.UTC));
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(micros, ZoneOffset.UTC));
        }
    }

    /** Reads {@code column}, or null. */
    public @Nullable Instant get(ResultSet rs, String column) throws SQLException {
        if (this == UTC_WALL_CLOCK) {
            LocalDateTime value = rs.getObject(column, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        }
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
