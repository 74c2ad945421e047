package dev.hookwise.cli;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.jdbc.state.JdbcStateStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test class's database, as webhook-jdbc's DatabaseFixture does it: checks the server (with
 * {@code CI=true} an unreachable one fails the class, elsewhere its tests are skipped with the
 * reason), picks a random table prefix so runs never collide, creates the event log and state
 * tables under it, and drops them when the class ends.
 */
final class CliDatabase implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    final TestDatabase database;
    private final String name = "hwcli" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private HikariDataSource dataSource;
    private String skipReason;

    CliDatabase(TestDatabase database) {
        this.database = database;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try (Connection c = DriverManager.getConnection(url(), database.user, "")) {
            c.isValid(5);
        } catch (SQLException e) {
            String message = database.description + " is unreachable (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; with CI=true the CLI's database tests need it: start it (.ci/run does)");
            }
            skipReason = message + "; tests against it are skipped (with CI=true they fail)";
            System.err.println(skipReason);
            return;
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setUsername(database.user);
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setPoolName("cli-test-" + name);
        dataSource = new HikariDataSource(config);
        JdbcIdempotencyStore.builder(dataSource).tablePrefix(prefix()).createSchema(true).build();
        JdbcStateStore.builder(dataSource).tablePrefix(prefix()).createSchema(true).build();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dataSource == null) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("state_history", "entity_state", "event_log")) {
                s.execute("DROP TABLE IF EXISTS " + prefix() + table);
            }
        }
        dataSource.close();
    }

    /** Removes every row, so each test starts from an empty log and no entities. */
    void clear() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("state_history", "entity_state", "event_log")) {
                s.execute("DELETE FROM " + prefix() + table);
            }
        }
    }

    String prefix() {
        return name + "_";
    }

    String url() {
        return database.url(name);
    }

    HikariDataSource dataSource() {
        return dataSource;
    }
}
