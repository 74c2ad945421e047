package dev.hookwise.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.h2.tools.Server;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * One test class's database: checks the server is reachable (with {@code CI=true} an unreachable
 * server fails the class, elsewhere each of its tests is skipped, naming the server either way), picks a
 * random table prefix so runs never collide, opens a pool, creates the event log, and drops every
 * table it handed out when the class ends.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.POSTGRESQL);
 * }</pre>
 */
final class DatabaseFixture extends ServerFixture {

    private final String name = "hw" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final List<String> tables = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private HikariDataSource dataSource;
    private Server h2Server;

    DatabaseFixture(TestDatabase database) {
        super(database);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        try (Connection c = connectOrSkip(url())) {
            if (c == null) {
                return;
            }
            c.isValid(5);
        }
        dataSource = pool(16);
        JdbcIdempotencyStore.builder(dataSource).tablePrefix(prefix()).createSchema(true).build();
        tables.add(prefix() + "event_log");
    }

    /**
     * For a class-level extension that found {@code server} unreachable: under CI a failure, otherwise
     * the reason every test of the class is then skipped with (printed once). Tests are skipped one by
     * one, so that the report counts and explains each.
     */
    static String skipReasonOrFail(String server, Exception cause) {
        try {
            unreachable(server, cause, "true".equalsIgnoreCase(System.getenv("CI")));
        } catch (TestAbortedException skipped) {
            System.err.println(skipped.getMessage());
            return skipped.getMessage();
        }
        throw new IllegalStateException("unreachable() either fails or aborts");
    }

    /**
     * Reports an unreachable server: fails under CI, otherwise aborts (a JUnit assumption, a skip);
     * the message names the server either way.
     */
    static void unreachable(String server, Exception cause, boolean ci) {
        String message = server + " is unreachable (" + cause.getMessage() + ")";
        if (ci) {
            fail(message + "; with CI=true the JDBC tests need it: start it (.ci/run does) and run again");
        }
        Assumptions.abort(message + "; tests against it are skipped (with CI=true they fail)");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dataSource != null) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                for (String table : tables) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
        pools.forEach(HikariDataSource::close);
        if (h2Server != null) {
            h2Server.stop();
        }
    }

    /** This class's own table prefix, e.g. {@code hw1a2b3c4d5e_}. */
    String prefix() {
        return name + "_";
    }

    /** A fresh prefix whose event log is dropped after the class (for tests that create their own). */
    String newPrefix(String label) {
        String prefix = name + "_" + label.toLowerCase(Locale.ROOT) + "_";
        tables.add(prefix + "event_log");
        return prefix;
    }

    /** Registers a table the test creates itself, to be dropped after the class. */
    String table(String suffix) {
        String table = name + "_" + suffix;
        tables.add(table);
        return table;
    }

    /** The class's shared pool. */
    /**
     * The class's event log, emptied (the inbox and fault contracts count every row), as a store on
     * the class's pool whose leases and timestamps follow {@code clock}.
     */
    JdbcIdempotencyStore emptiedEventLog(java.time.Clock clock) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + prefix() + "event_log");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the event log before the test", e);
        }
        return JdbcIdempotencyStore.builder(dataSource()).tablePrefix(prefix()).clock(clock).build();
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    /** The JDBC URL of the class's database, as this JVM reaches it. */
    String url() {
        return database.url(name);
    }

    /** A URL another JVM can use; for H2 this starts a TCP server onto the same in-memory database. */
    String remoteUrl() throws SQLException {
        if (database != TestDatabase.H2) {
            return url();
        }
        synchronized (this) {
            if (h2Server == null) {
                h2Server = Server.createTcpServer("-tcpPort", "0").start();
            }
        }
        return "jdbc:h2:tcp://127.0.0.1:" + h2Server.getPort() + "/mem:" + name;
    }

    /** Another independent pool onto the same database, closed after the class. */
    HikariDataSource pool(int size) {
        return pool(size, true);
    }

    /** Another pool whose connections come with {@code autoCommit} as given, closed after the class. */
    HikariDataSource pool(int size, boolean autoCommit) {
        return pool(size, autoCommit, null);
    }

    /** Another pool whose new connections first run {@code connectionInitSql} (if not null), closed after the class. */
    HikariDataSource pool(int size, boolean autoCommit, String connectionInitSql) {
        HikariDataSource pool = openPool(url(), String.valueOf(pools.size()), size, autoCommit, connectionInitSql);
        pools.add(pool);
        return pool;
    }
}
