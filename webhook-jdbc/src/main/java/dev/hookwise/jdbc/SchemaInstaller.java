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
 * Creates the event log from the dialect's schema files at start-up, or checks that it exists and
 * has every column this version writes.
 *
 * <p>Every statement of {@code V1} is {@code IF NOT EXISTS}, so running it again is harmless;
 * instances starting together and pools with auto-commit off are handled by
 * {@link SqlScripts#execute}. {@code V3} adds {@code trace_context} only where it is missing (MySQL
 * has no {@code ADD COLUMN IF NOT EXISTS}); an instance that loses the race to add it finds it
 * added.
 */
final class SchemaInstaller {
    private static final Logger log = LoggerFactory.getLogger(SchemaInstaller.class);

    private SchemaInstaller() {}

    /** The column V3 adds (0.2.0): the trace context stored at enqueue. */
    static final String TRACE_CONTEXT_COLUMN = "trace_context";

    /** Rounds of adding {@code trace_context} to an older table while other instances may be doing the same. */
    private static final int UPGRADE_ROUNDS = 3;

    static void create(Connection c, JdbcDialect dialect, String prefix, String table) throws SQLException {
        // A new table gets every column at once; an older one (created by 0.1) gets V3's ALTER below.
        SqlScripts.execute(c, dialect.currentSchemaScript(prefix));
        SQLException failed = null;
        for (int round = 0; round < UPGRADE_ROUNDS && !hasColumn(c, table, TRACE_CONTEXT_COLUMN); round++) {
            try {
                SqlScripts.execute(c, dialect.traceContextMigrationScript(prefix));
                log.info("event log table {}: added column {} (Hookwise 0.2.0)", table, TRACE_CONTEXT_COLUMN);
            } catch (SQLException e) {
                // Another instance starting at the same time is adding it (MySQL refuses a second ADD
                // COLUMN; H2 rebuilds the table meanwhile): look again.
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                if (failed != null) {
                    e.addSuppressed(failed);
                }
                failed = e;
            }
        }
        if (failed != null && !hasColumn(c, table, TRACE_CONTEXT_COLUMN)) {
            throw failed;
        }
        log.info("event log table {} ready ({})", table, dialect.displayName());
    }

    /** Fails with a message that says how to create the table when it is missing. */
    static void requireTable(Connection c, JdbcDialect dialect, String table) throws SQLException {
        SqlScripts.requireTable(c, "event log", table, dialect.schemaResource());
        if (!hasColumn(c, table, TRACE_CONTEXT_COLUMN)) {
            throw new HookwiseConfigurationException("the event log table " + table + " has no column "
                    + TRACE_CONTEXT_COLUMN + ", which Hookwise 0.2.0 writes (the trace context of queued events):"
                    + " run classpath:" + dialect.traceContextMigrationResource() + " (Flyway: copy it into"
                    + " db/migration; for a table prefix other than hookwise_, JdbcDialect."
                    + dialect.name() + ".traceContextMigrationScript(prefix) gives the statement), or build the"
                    + " store with createSchema(true), which adds the column");
        }
    }

    /**
     * Whether {@code table} has {@code column}, read the way the store's statements will (its
     * schema resolution, its case rules). A failed probe is rolled back on a connection with
     * auto-commit off, where PostgreSQL would refuse every later statement of the transaction.
     */
    static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT " + column + " FROM " + table + " WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            if (SqlFailures.unreachable(e) || SqlFailures.timedOut(e)) {
                throw e;
            }
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            return false;
        }
    }
}
