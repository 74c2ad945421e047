package dev.hookwise.jdbc;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.jdbc.internal.SqlFailures;
import dev.hookwise.jdbc.internal.SqlScripts;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the event log from the dialect's schema file at start-up, or checks that it exists.
 *
 * <p>Every statement is {@code IF NOT EXISTS}, so running it again is harmless. Instances
 * starting together can still collide inside the database's catalog (PostgreSQL reports a unique
 * violation on {@code pg_class}, H2 "object already exists"); the failed statement is then run
 * once more, when the other instance's object is committed and {@code IF NOT EXISTS} applies.
 */
final class SchemaInstaller {
    private static final Logger log = LoggerFactory.getLogger(SchemaInstaller.class);

    private SchemaInstaller() {}

    static void create(Connection c, JdbcDialect dialect, String prefix, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : SqlScripts.statements(dialect.schemaScript(prefix))) {
                try {
                    s.execute(sql);
                } catch (SQLException first) {
                    // Another instance created the same object a moment ago; by the time the
                    // database reports the clash its object is committed, so IF NOT EXISTS now holds.
                    log.debug("schema statement failed once, retrying: {}", first.getMessage());
                    try {
                        s.execute(sql);
                    } catch (SQLException second) {
                        second.addSuppressed(first);
                        throw second;
                    }
                }
            }
        }
        log.info("event log table {} ready ({})", table, dialect.displayName());
    }

    /** Fails with a message that says how to create the table when it is missing. */
    static void requireTable(Connection c, JdbcDialect dialect, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT id FROM " + table + " WHERE 1 = 0").close();
        } catch (SQLException e) {
            if (SqlFailures.unreachable(e)) {
                throw e;
            }
            throw new HookwiseConfigurationException("the event log table " + table + " cannot be read ("
                    + SqlFailures.redact(String.valueOf(e.getMessage())) + "): create it with createSchema(true),"
                    + " or run classpath:" + dialect.schemaResource() + " (Flyway: copy it into db/migration)");
        }
    }
}
