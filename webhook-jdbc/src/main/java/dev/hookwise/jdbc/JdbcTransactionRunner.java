package dev.hookwise.jdbc;

import dev.hookwise.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * How {@link JdbcIdempotencyStore} obtains, and ends, the connection of a transaction that carries
 * transactional handlers' work (see {@link JdbcTransactional}): the seam through which a framework
 * makes that transaction its own. {@link #plain()} is the default; set another with
 * {@link JdbcIdempotencyStore.Builder#transactionRunner(JdbcTransactionRunner)}.
 *
 * <p>The contract of {@link #inTransaction}:
 * <ol>
 *   <li>Obtain a connection to {@code dataSource}'s database and begin a new transaction on it
 *       (auto-commit off). It must be a transaction of its own: if it joined an enclosing one, the
 *       events' verdicts would commit only with that one, and a rollback there would undo them.</li>
 *   <li>Call {@code work} exactly once with that connection. The store writes the events' verdicts
 *       through it and sets savepoints on it; handlers write through it too.</li>
 *   <li>If {@code work} returns, commit, and return its result. If the commit fails, throw (an
 *       {@link SQLException} or an unchecked exception): the store reports the transaction failed.</li>
 *   <li>If {@code work} throws anything ({@link SQLException}, {@link RuntimeException},
 *       {@link Error}), roll back and rethrow that same exception; a failure of the rollback itself
 *       belongs with it as a suppressed exception. The store uses unchecked exceptions of its own
 *       to roll back on purpose, so a runner must not swallow or wrap them.</li>
 *   <li>Put the connection back as it was lent (auto-commit) and release it.</li>
 * </ol>
 *
 * <p><b>Spring.</b> A runner for a Spring application runs {@code work} inside a
 * {@code TransactionTemplate} with {@code PROPAGATION_REQUIRES_NEW} on the {@code DataSource}'s
 * transaction manager and hands it {@code DataSourceUtils.getConnection(dataSource)} (released with
 * {@code DataSourceUtils.releaseConnection}): the connection bound to that transaction, so a
 * handler's {@code JdbcTemplate}, {@code JdbcClient} or JPA (through the same transaction manager)
 * joins the transaction that completes the event. The store must then be built on the plain
 * {@code DataSource}, not a {@code TransactionAwareDataSourceProxy}: its other calls (claims, the
 * inbox, heartbeats) must commit at once, whatever transaction the calling thread is in. The runner
 * must rethrow the {@code RuntimeException}s {@code work} throws unchanged (the template does), and
 * may unwrap a {@link SQLException} it had to wrap to pass it through the template's callback.
 *
 * @since 0.2.0
 */
public interface JdbcTransactionRunner {

    /**
     * Runs {@code work} in a new transaction on a connection to {@code dataSource}'s database,
     * following the contract of the class comment.
     *
     * @return what {@code work} returned, once committed
     * @throws SQLException when obtaining the connection, beginning, committing or rolling back fails,
     *     or when {@code work} threw one
     */
    <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException;

    /** The work of one transaction. */
    @FunctionalInterface
    interface Work<T> {
        /** Runs inside the transaction; throwing anything rolls it back. */
        T run(Connection connection) throws SQLException;
    }

    /**
     * The default: a connection from {@code dataSource.getConnection()}, auto-commit off,
     * {@code commit()} or {@code rollback()}, auto-commit restored, {@code close()}. The database's
     * default isolation level (read committed on PostgreSQL and H2, repeatable read on InnoDB).
     */
    static JdbcTransactionRunner plain() {
        return PlainTransactionRunner.INSTANCE;
    }
}

/** {@link JdbcTransactionRunner#plain()}. */
final class PlainTransactionRunner implements JdbcTransactionRunner {
    static final PlainTransactionRunner INSTANCE = new PlainTransactionRunner();

    private PlainTransactionRunner() {}

    @Override
    public <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Jdbc.inTransaction(c, work::run);
        }
    }

    @Override
    public String toString() {
        return "JdbcTransactionRunner.plain()";
    }
}
