package dev.hookwise.jdbc;

import dev.hookwise.jdbc.internal.DelegatingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Opens the connections of a {@link HikariDataSources} pool, trying a refused connection again every
 * {@link #RETRY_INTERVAL} for up to a window before it reports the failure to HikariCP.
 *
 * <p>The hazard: HikariCP's connection adder sleeps between failed attempts, 10 ms doubling up to 5 s
 * (HikariCP 5 to 7, not configurable). After a database outage of more than about 5 s it tries once
 * every 5 s, so the pool comes back up to 5 s after the database accepts connections again, and
 * every store call meanwhile waits its connection timeout and fails (measured by the reliability
 * suite's database-restart scenario: first 2xx 2.8-3.9 s, workers 3.7-5 s after a 10 s outage). Trying
 * again here, within one call of the adder, keeps its backoff from growing: it fails once per window.
 *
 * <p>Only failures to connect are tried again (SQLState class 08, PostgreSQL's 57P03 "the database
 * system is starting up", and the JDBC connection exception types); a wrong password fails at once.
 */
final class ReconnectingDataSource extends DelegatingDataSource {
    /** How often a refused connection is tried again. */
    static final Duration RETRY_INTERVAL = Duration.ofMillis(100);

    private final long windowNanos;
    private final long intervalMillis;

    /** @param window how long one call keeps trying before it throws the last failure */
    ReconnectingDataSource(DataSource delegate, Duration window) {
        this(delegate, window, RETRY_INTERVAL);
    }

    ReconnectingDataSource(DataSource delegate, Duration window, Duration interval) {
        super(delegate);
        this.windowNanos = window.toNanos();
        this.intervalMillis = Math.max(1, interval.toMillis());
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(null, null);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connect(username, password);
    }

    private Connection connect(@Nullable String username, @Nullable String password) throws SQLException {
        long deadline = System.nanoTime() + windowNanos;
        while (true) {
            try {
                return username == null ? delegate.getConnection() : delegate.getConnection(username, password);
            } catch (SQLException e) {
                if (!refused(e) || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                try {
                    Thread.sleep(intervalMillis); // the database is down or starting: try again shortly
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt(); // the pool is closing
                    throw e;
                }
            }
        }
    }

    /** Whether {@code e} says the database could not be reached (as opposed to refused us for a reason). */
    static boolean refused(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || (state != null && (state.startsWith("08") || "57P03".equals(state)));
    }
}
