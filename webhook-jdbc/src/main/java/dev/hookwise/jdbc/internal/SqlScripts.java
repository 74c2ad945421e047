package dev.hookwise.jdbc.internal;

import dev.hookwise.core.HookwiseConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs Hookwise's own schema files, split into statements (no general SQL parser: our files only). */
public final class SqlScripts {
    private static final Logger log = LoggerFactory.getLogger(SqlScripts.class);

    private SqlScripts() {}

    /**
     * Runs {@code script}'s statements (each {@code IF NOT EXISTS}) one by one, each on a statement
     * of its own so that each gets the time its {@link Jdbc#run call} has left.
     *
     * <p>Instances starting together can collide inside the database's catalog (PostgreSQL reports
     * a unique violation on {@code pg_class}, H2 "object already exists"); a failed statement is run
     * once more, when the other instance's object is committed and {@code IF NOT EXISTS} holds.
     *
     * <p>On a connection with auto-commit off (a pool configured so) each statement is committed on
     * its own: PostgreSQL's DDL is transactional, and uncommitted tables would vanish when the pool
     * rolls the connection back, while the log said they were ready. A clash is rolled back before
     * the statement runs again, since PostgreSQL refuses every statement of a failed transaction.
     */
    public static void execute(Connection c, String script) throws SQLException {
        boolean manualCommit = !c.getAutoCommit();
        for (String sql : statements(script)) {
            try {
                run(c, sql);
            } catch (SQLException first) {
                log.debug("schema statement failed once, retrying: {}", first.getMessage());
                if (manualCommit) {
                    c.rollback();
                }
                try {
                    run(c, sql);
                } catch (SQLException second) {
                    second.addSuppressed(first);
                    throw second;
                }
            }
            if (manualCommit) {
                c.commit();
            }
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Comment lines start with "--", statements end with ";". */
    public static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    /**
     * The text of a schema file shipped in Hookwise's jar, with the name the file uses
     * ({@code hookwise_…}) replaced by the configured one. {@code name} must already be validated
     * (a prefix matching {@code [a-z][a-z0-9_]*}), so a literal replacement cannot inject SQL.
     *
     * @throws IllegalStateException when the file is missing from the classpath
     */
    public static String load(String resource, String fileName, String name) {
        try (InputStream in = SqlScripts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema file " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(fileName, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * Fails with a configuration error that says how to create {@code table} when it cannot be read:
     * {@code "the <what> table <table> cannot be read (<why>): create it with createSchema(true), or run
     * classpath:<resource> (Flyway: copy it into db/migration)"}. An unreachable database or a timeout
     * is rethrown as it is, since no schema change would help.
     */
    public static void requireTable(Connection c, String what, String table, String resource) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
        } catch (SQLException e) {
            if (SqlFailures.unreachable(e) || SqlFailures.timedOut(e)) {
                throw e;
            }
            throw new HookwiseConfigurationException("the " + what + " table " + table + " cannot be read ("
                    + SqlFailures.redact(String.valueOf(e.getMessage())) + "): create it with createSchema(true),"
                    + " or run classpath:" + resource + " (Flyway: copy it into db/migration)");
        }
    }
}
