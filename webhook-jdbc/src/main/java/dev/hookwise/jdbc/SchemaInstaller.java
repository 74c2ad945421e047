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
 * <p>Every statement is {@code IF NOT EXISTS}, so running it again is harmless; instances starting
 * together and pools with auto-commit off are handled by {@link SqlScripts#execute}.
 */
final class SchemaInstaller {
    private static final Logger log = LoggerFactory.getLogger(SchemaInstaller.class);

    private SchemaInstaller() {}

    static void create(Connection c, JdbcDialect dialect, String prefix, String table) throws SQLException {
        SqlScripts.execute(c, dialect.schemaScript(prefix));
        log.info("event log table {} ready ({})", table, dialect.displayName());
    }

    /** Fails with a message that says how to create the table when it is missing. */
    static void requireTable(Connection c, JdbcDialect dialect, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT id FROM " + table + " WHERE 1 = 0").close();
        } catch (SQLException e) {
            if (SqlFailures.unreachable(e) || SqlFailures.timedOut(e)) {
                throw e;
            }
            throw new HookwiseConfigurationException("the event log table " + table + " cannot be read ("
                    + SqlFailures.redact(String.valueOf(e.getMessage())) + "): create it with createSchema(true),"
                    + " or run classpath:" + dialect.schemaResource() + " (Flyway: copy it into db/migration)");
        }
    }
}
