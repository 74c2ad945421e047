package dev.hookwise.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The store's whole JDBC toolkit: borrow a connection, run work, translate failures once, retry
 * deadlocks a few times, run a transaction. No ORM, no framework.
 */
public final class Jdbc {

    /** Attempts of one operation that hits a deadlock, serialization failure or lock timeout. */
    public static final int DEADLOCK_ATTEMPTS = 3;

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final String store;

    /** A toolkit for the event log ("event store" in messages). */
    public Jdbc(DataSource dataSource) {
        this(dataSource, SqlFailures.EVENT_STORE);
    }

    /** @param store what failure messages call the store, e.g. {@code state store} */
    public Jdbc(DataSource dataSource, String store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    /**
     * Runs {@code work} on a pooled connection as its own unit of work; deadlocks are retried, every
     * other {@link SQLException} becomes a {@code StoreUnavailableException} naming {@code operation}.
     *
     * <p>A pool may hand out connections with auto-commit off (a common Hibernate tuning); the
     * work is then committed here, or the pool would roll it back when the connection returns and
     * every claim would be silently lost.
     */
    public <T> T run(String operation, Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= DEADLOCK_ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                return c.getAutoCommit() ? work.run(c) : inTransaction(c, work);
            } catch (SQLException e) {
                if (!SqlFailures.retryable(e)) {
                    throw SqlFailures.translate(store, operation, e);
                }
                last = e;
            }
        }
        throw SqlFailures.translate(store, operation + " (gave up after " + DEADLOCK_ATTEMPTS + " deadlocks or lock timeouts)",
                last);
    }

    /** Runs {@code work} in one transaction on {@code c}; rolls back on any failure, keeping the first error. */
    public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) {
            c.setAutoCommit(false);
        }
        T result;
        try {
            result = work.run(c);
            c.commit();
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.rollback();
                if (autoCommit) {
                    c.setAutoCommit(true);
                }
            } catch (SQLException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw e;
        }
        if (autoCommit) {
            c.setAutoCommit(true);
        }
        return result;
    }
}
