package dev.hookwise.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every test class's database fixture does alike: reach the server once before the class
 * (with {@code CI=true} an unreachable server fails the class, elsewhere each of its tests is
 * skipped, naming the server either way) and open pools onto it with the database's credentials.
 */
abstract class ServerFixture implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    final TestDatabase database;
    /** Why every test of the class is skipped (server down, not under CI), or null. */
    private String skipReason;

    ServerFixture(TestDatabase database) {
        this.database = database;
    }

    /** A connection to {@code url}, or null when the server is unreachable and the class's tests are skipped. */
    final Connection connectOrSkip(String url) {
        try {
            return DriverManager.getConnection(url, database.user, database.password);
        } catch (SQLException e) {
            skipReason = DatabaseFixture.skipReasonOrFail(database.description, e);
            return null;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
    }

    /** A pool onto {@code url} named {@code test-<database>-<label>}, closed by the caller. */
    final HikariDataSource openPool(String url, String label, int size, boolean autoCommit, String connectionInitSql) {
        HikariConfig config = new HikariConfig();
        config.setConnectionInitSql(connectionInitSql);
        config.setAutoCommit(autoCommit);
        config.setJdbcUrl(url);
        config.setUsername(database.user);
        config.setPassword(database.password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setPoolName("test-" + database.name().toLowerCase(Locale.ROOT) + "-" + label);
        return new HikariDataSource(config);
    }
}
