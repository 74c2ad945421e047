package dev.hookwise.jdbc.state;

import dev.hookwise.jdbc.JdbcDialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * What the state store needs to know about each {@link JdbcDialect}: where its schema file is,
 * how an instant is bound and read (the same column types and conventions as the event log:
 * {@code timestamptz} on PostgreSQL, UTC {@code DATETIME(6)} on MySQL/MariaDB, {@code TIMESTAMP
 * WITH TIME ZONE} on H2), and how a duplicate key shows. All DML is the same on all three.
 */
final class StateDialect {

    /** The prefix the schema files use; a configured prefix replaces it. */
    static final String SCHEMA_PREFIX = "hookwise_";
    private static final String SCHEMA_FILE = "V2__hookwise_state.sql";

    private final JdbcDialect dialect;

    StateDialect(JdbcDialect dialect) {
        this.dialect = dialect;
    }

    JdbcDialect dialect() {
        return dialect;
    }

    /** The classpath location of the schema file, e.g. {@code dev/hookwise/jdbc/schema/h2/V2__hookwise_state.sql}. */
    static String schemaResource(JdbcDialect dialect) {
        String folder = switch (dialect) {
            case POSTGRESQL -> "postgresql";
            case MYSQL -> "mysql";
            case H2 -> "h2";
        };
        return "dev/hookwise/jdbc/schema/" + folder + "/" + SCHEMA_FILE;
    }

    /** The schema with {@code prefix} in place of {@code hookwise_}; the prefix is validated by the caller. */
    static String schemaScript(JdbcDialect dialect, String prefix) {
        String resource = schemaResource(dialect);
        try (InputStream in = StateDialect.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema file " + resource + " is missing from the classpath");
            }
            // The prefix matches [a-z][a-z0-9_]*, so a literal replacement cannot inject SQL.
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(SCHEMA_PREFIX, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    void setInstant(PreparedStatement ps, int index, @Nullable Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, dialect == JdbcDialect.MYSQL ? Types.TIMESTAMP : Types.TIMESTAMP_WITH_TIMEZONE);
            return;
        }
        Instant micros = value.truncatedTo(ChronoUnit.MICROS);
        if (dialect == JdbcDialect.MYSQL) {
            ps.setObject(index, LocalDateTime.ofInstant(micros, ZoneOffset.UTC));
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(micros, ZoneOffset.UTC));
        }
    }

    @Nullable Instant getInstant(ResultSet rs, String column) throws SQLException {
        if (dialect == JdbcDialect.MYSQL) {
            LocalDateTime value = rs.getObject(column, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        }
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Whether {@code e} reports a primary-key violation. */
    static boolean isDuplicateKey(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException() == x ? null : x.getNextException()) {
            // 23505: unique violation (PostgreSQL, H2); 1062: MySQL/MariaDB ER_DUP_ENTRY.
            if ("23505".equals(x.getSQLState()) || x.getErrorCode() == 1062) {
                return true;
            }
        }
        return false;
    }

}
