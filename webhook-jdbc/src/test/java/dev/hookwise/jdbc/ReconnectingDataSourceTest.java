package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A refused connection is tried again within one call, so HikariCP's backoff does not grow. */
class ReconnectingDataSourceTest {
    private static final Connection CONNECTION = (Connection) Proxy.newProxyInstance(
            ReconnectingDataSourceTest.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> null);

    /** Fails its first {@code failures} calls with {@code failure}, then connects. */
    private static final class Flaky implements DataSource {
        final AtomicInteger calls = new AtomicInteger();
        private final int failures;
        private final SQLException failure;

        Flaky(int failures, SQLException failure) {
            this.failures = failures;
            this.failure = failure;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (calls.incrementAndGet() <= failures) {
                throw failure;
            }
            return CONNECTION;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return new PrintWriter(System.err);
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    @Test
    void triesARefusedConnectionAgainUntilTheDatabaseAccepts() throws SQLException {
        Flaky database = new Flaky(5, new SQLException("Connection refused", "08001"));
        DataSource pool = new ReconnectingDataSource(database, Duration.ofHours(1), Duration.ofMillis(1));

        assertThat(pool.getConnection()).isSameAs(CONNECTION);
        assertThat(database.calls).hasValue(6);
    }

    @Test
    void triesAgainWhilePostgresqlIsStartingUp() throws SQLException {
        Flaky database = new Flaky(2, new SQLException("the database system is starting up", "57P03"));

        assertThat(new ReconnectingDataSource(database, Duration.ofHours(1), Duration.ofMillis(1)).getConnection())
                .isSameAs(CONNECTION);
        assertThat(database.calls).hasValue(3);
    }

    @Test
    void reportsTheFailureOnceTheWindowHasPassed() {
        SQLException refused = new SQLException("Connection refused", "08001");
        Flaky database = new Flaky(Integer.MAX_VALUE, refused);

        assertThatThrownBy(() -> new ReconnectingDataSource(database, Duration.ZERO, Duration.ofMillis(1))
                .getConnection()).isSameAs(refused);
        assertThat(database.calls).hasValue(1);
    }

    @Test
    void aRefusalForAReasonIsNotTriedAgain() {
        SQLException wrongPassword = new SQLException("password authentication failed", "28P01");
        Flaky database = new Flaky(Integer.MAX_VALUE, wrongPassword);

        assertThatThrownBy(() -> new ReconnectingDataSource(database, Duration.ofHours(1), Duration.ofMillis(1))
                .getConnection()).isSameAs(wrongPassword);
        assertThat(database.calls).hasValue(1);
    }

    @Test
    void theBuiltPoolOpensItsConnectionsThroughIt() throws SQLException {
        try (var pool = HikariDataSources.builder("jdbc:h2:mem:reconnecting;DB_CLOSE_DELAY=-1").build()) {
            assertThat(pool.getDataSource()).isInstanceOf(ReconnectingDataSource.class);
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }
}
