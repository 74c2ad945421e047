package dev.hookwise.jdbc.internal;

import dev.hookwise.core.HookwiseConfigurationException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The store's whole JDBC toolkit: borrow a connection, run work, translate failures once, retry
 * deadlocks a few times, run a transaction. No ORM, no framework.
 *
 * <p><b>No wait without a bound.</b> A claim, verdict or transition that meets a row locked by
 * another transaction (a long application transaction, a stuck instance, an administrator's open
 * session) would otherwise wait as long as the database lets it: forever on PostgreSQL, 50 s per
 * statement on MariaDB, and a webhook delivery would hang with it. So every call has a deadline, its
 * statement timeout, and every statement the work creates may wait only for the time the call has
 * left (rounded up to whole seconds, as JDBC counts them). What that reaches, measured against each
 * database:
 * <ul>
 *   <li>PostgreSQL (pgjdbc): {@link Statement#setQueryTimeout} sends a cancel request, which also ends
 *       a lock wait (SQLState 57014).
 *   <li>MariaDB (Connector/J 3): it runs the statement as {@code SET STATEMENT max_statement_time=…
 *       FOR …}, which also ends an InnoDB lock wait (error 1969, SQLState 70100), so
 *       {@code innodb_lock_wait_timeout} need not be touched.
 *   <li>H2 2.x: the query timeout does <em>not</em> end a lock wait, and both it and the lock timeout
 *       are settings of the session, which a pool shares with the application; so on H2 the session's
 *       {@code LOCK_TIMEOUT} is lowered to the time left (never raised) and both settings are put back
 *       before the connection returns to the pool.
 * </ul>
 * A call that timed out is not retried: it fails at once as a {@code StoreUnavailableException}
 * saying a lock or statement timeout passed. Deadlocks are retried only while the deadline allows,
 * so one call never waits much longer than its timeout (at most about a second more, from the
 * rounding). Waiting for a pooled connection is bounded by the pool's own timeout, not this one.
 */
public final class Jdbc {

    /** Attempts of one operation that hits a deadlock or serialization failure. */
    public static final int DEADLOCK_ATTEMPTS = 3;
    /** How long one store call may wait, e.g. for a row another transaction holds, unless configured. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(10);

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final String store;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    /** Whether the database is H2, learnt from the first connection; null until then. */
    private volatile @Nullable Boolean h2;

    /** A toolkit for the event log ("event store" in messages) with the default statement timeout. */
    public Jdbc(DataSource dataSource) {
        this(dataSource, SqlFailures.EVENT_STORE);
    }

    /** @param store what failure messages call the store, e.g. {@code state store} */
    public Jdbc(DataSource dataSource, String store) {
        this(dataSource, store, DEFAULT_STATEMENT_TIMEOUT);
    }

    /**
     * @param store what failure messages call the store, e.g. {@code state store}
     * @param statementTimeout how long one call may take in the database; see {@link #checkStatementTimeout}
     */
    public Jdbc(DataSource dataSource, String store, Duration statementTimeout) {
        this(dataSource, store, statementTimeout, System::nanoTime);
    }

    /** As above, with the monotonic time source in nanoseconds (tests). */
    public Jdbc(DataSource dataSource, String store, Duration statementTimeout, LongSupplier nanoTime) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.store = Objects.requireNonNull(store, "store");
        this.timeout = checkStatementTimeout(statementTimeout);
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * The builders' check of {@code statementTimeout}: whole seconds (JDBC's
     * {@link Statement#setQueryTimeout} counts seconds), at least one.
     *
     * @return {@code value}
     * @throws HookwiseConfigurationException naming the bad value
     */
    public static Duration checkStatementTimeout(Duration value) {
        Objects.requireNonNull(value, "statementTimeout");
        if (value.getNano() != 0 || value.getSeconds() < 1 || value.getSeconds() > Integer.MAX_VALUE) {
            throw new HookwiseConfigurationException("statementTimeout must be a whole number of seconds, at least 1 s"
                    + " (JDBC counts query timeouts in seconds), but was " + value);
        }
        return value;
    }

    /** The statement timeout of every call. */
    public Duration statementTimeout() {
        return timeout;
    }

    /**
     * Runs {@code work} on a pooled connection as its own unit of work, within the statement timeout;
     * deadlocks are retried while time is left, every other {@link SQLException} becomes a
     * {@code StoreUnavailableException} naming {@code operation}.
     *
     * <p>A pool may hand out connections with auto-commit off (a common Hibernate tuning); the
     * work is then committed here, or the pool would roll it back when the connection returns and
     * every claim would be silently lost.
     */
    public <T> T run(String operation, Work<T> work) {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        SQLException last = null;
        int attempts = 0;
        while (attempts < DEADLOCK_ATTEMPTS && (attempts == 0 || nanoTime.getAsLong() - deadline < 0)) {
            attempts++;
            try (Connection pooled = dataSource.getConnection()) {
                return runBounded(pooled, deadline, work, true);
            } catch (SQLException e) {
                if (SqlFailures.timedOut(e) || !SqlFailures.retryable(e)) {
                    throw SqlFailures.translate(store, operation, e);
                }
                last = e;
            }
        }
        String gaveUp = " (gave up after " + attempts + (attempts == 1 ? " deadlock" : " deadlocks")
                + " or serialization failures)";
        throw SqlFailures.translate(store, operation + gaveUp, Objects.requireNonNull(last));
    }

    /**
     * Runs {@code work} on {@code connection}, which is inside a transaction the caller owns (a
     * transactional handler's, the event log's): every statement within the statement timeout as in
     * {@link #run}, a failure becomes a {@code StoreUnavailableException} naming {@code operation},
     * but nothing is committed, rolled back or retried: the caller's transaction decides.
     */
    public <T> T runOn(Connection connection, String operation, Work<T> work) {
        Objects.requireNonNull(connection, "connection");
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        try {
            return runBounded(connection, deadline, work, false);
        } catch (SQLException e) {
            throw SqlFailures.translate(store, operation, e);
        }
    }

    /** @param ownTransaction whether the work is its own unit of work (committed here on an auto-commit-off connection) */
    private <T> T runBounded(Connection pooled, long deadline, Work<T> work, boolean ownTransaction) throws SQLException {
        Boolean isH2 = h2;
        if (isH2 == null) {
            isH2 = "H2".equalsIgnoreCase(pooled.getMetaData().getDatabaseProductName());
            h2 = isH2;
        }
        Bounds bounds = new Bounds(pooled, deadline, isH2 ? H2Session.open(pooled) : null);
        Connection c = (Connection) Proxy.newProxyInstance(Jdbc.class.getClassLoader(),
                new Class<?>[] {Connection.class}, bounds);
        T result;
        try {
            result = !ownTransaction || c.getAutoCommit() ? work.run(c) : inTransaction(c, work);
        } catch (SQLException | RuntimeException | Error e) {
            bounds.close(e);
            throw e;
        }
        bounds.close(null);
        return result;
    }

    /**
     * Runs {@code work} in one transaction on {@code c}; rolls back on any failure, keeping the first
     * error, and restores auto-commit. Shared by the stores' own calls and
     * {@code JdbcTransactionRunner.plain()}.
     */
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
        try {
            if (autoCommit) {
                c.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // Committed already: a connection that cannot be reset is the pool's to discard.
        }
        return result;
    }

    /**
     * The connection the work sees: every statement it creates ({@code createStatement},
     * {@code prepareStatement}, {@code prepareCall}) may wait only for the time the call has left.
     */
    private final class Bounds implements InvocationHandler {
        private final Connection target;
        private final long deadline;
        private final @Nullable H2Session h2Session;

        Bounds(Connection target, long deadline, @Nullable H2Session h2Session) {
            this.target = target;
            this.deadline = deadline;
            this.h2Session = h2Session;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            boolean createsStatement = Statement.class.isAssignableFrom(method.getReturnType());
            int seconds = createsStatement ? secondsLeft() : 0;
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (createsStatement && result instanceof Statement statement) {
                try {
                    statement.setQueryTimeout(seconds);
                    if (h2Session != null) {
                        h2Session.limitLockWait(seconds);
                    }
                } catch (SQLException | RuntimeException e) {
                    try {
                        statement.close();
                    } catch (SQLException closeFailure) {
                        e.addSuppressed(closeFailure);
                    }
                    throw e;
                }
            }
            return result;
        }

        /** The call's time left in whole seconds, rounded up; fails once nothing is left. */
        private int secondsLeft() throws SQLTimeoutException {
            long left = deadline - nanoTime.getAsLong();
            if (left <= 0) {
                throw new SQLTimeoutException("the statement timeout of " + timeout.toSeconds()
                        + " s was used up before the call's next statement", "HYT00");
            }
            long seconds = (left + 999_999_999L) / 1_000_000_000L;
            return (int) Math.min(seconds, Integer.MAX_VALUE);
        }

        /** Puts the session back as the pool lent it; a failure is kept with {@code failure}, else thrown. */
        void close(@Nullable Throwable failure) throws SQLException {
            if (h2Session == null) {
                return;
            }
            try {
                h2Session.restore();
            } catch (SQLException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * An H2 session's lock and query timeouts: H2 keeps both per session, not per statement, so they
     * are read when the call starts and put back when it ends.
     */
    private static final class H2Session {
        private final Connection connection;
        private final int lockTimeoutMillis;
        private final int queryTimeoutSeconds;
        private int currentLockMillis;

        private H2Session(Connection connection, int lockTimeoutMillis, int queryTimeoutSeconds) {
            this.connection = connection;
            this.lockTimeoutMillis = lockTimeoutMillis;
            this.queryTimeoutSeconds = queryTimeoutSeconds;
            this.currentLockMillis = lockTimeoutMillis;
        }

        static H2Session open(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT LOCK_TIMEOUT()")) {
                rs.next();
                return new H2Session(c, rs.getInt(1), s.getQueryTimeout());
            }
        }

        /** Lowers the session's lock timeout to {@code seconds}, never above what the session had. */
        void limitLockWait(int seconds) throws SQLException {
            int millis = (int) Math.min((long) seconds * 1000L, lockTimeoutMillis);
            if (millis != currentLockMillis) {
                set(millis);
            }
        }

        void restore() throws SQLException {
            if (currentLockMillis != lockTimeoutMillis) {
                set(lockTimeoutMillis);
            }
            try (Statement s = connection.createStatement()) {
                // H2's driver turns this into the session's QUERY_TIMEOUT, the way the call's statements set it.
                s.setQueryTimeout(queryTimeoutSeconds);
            }
        }

        private void set(int millis) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute("SET LOCK_TIMEOUT " + millis);
            }
            currentLockMillis = millis;
        }
    }
}
