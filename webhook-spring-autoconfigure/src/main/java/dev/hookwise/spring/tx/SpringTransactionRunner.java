package dev.hookwise.spring.tx;

import dev.hookwise.jdbc.JdbcTransactionRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link JdbcTransactionRunner} of a Spring application: each transaction that carries
 * transactional handlers' work is a new Spring transaction of the application's
 * {@link PlatformTransactionManager} ({@code PROPAGATION_REQUIRES_NEW}), and the event log writes
 * through the connection bound to it. A handler's {@code JdbcTemplate}, {@code JdbcClient} or JPA
 * {@code EntityManager} (with a {@code JpaTransactionManager}) then joins that transaction, so its
 * writes and the event's completion commit together, or not at all.
 *
 * <p>The starter builds its {@code JdbcIdempotencyStore} with this runner when the application has a
 * transaction manager for the event log's {@code DataSource}. An application that defines its own
 * store bean sets it itself:
 * <pre>{@code
 * @Bean
 * JdbcIdempotencyStore hookwiseIdempotencyStore(DataSource dataSource, PlatformTransactionManager transactionManager) {
 *     return JdbcIdempotencyStore.builder(dataSource)
 *             .transactionRunner(new SpringTransactionRunner(transactionManager))
 *             .build();
 * }
 * }</pre>
 * The store is built on the {@code DataSource} the transaction manager manages itself, never on a
 * {@code TransactionAwareDataSourceProxy}: the store's other calls (claims, the inbox, heartbeats)
 * must commit at once, whatever transaction the calling thread is in.
 *
 * <p>How it keeps the runner contract: the work's exceptions ({@link SQLException}, and the unchecked
 * ones the store rolls back with) are rethrown unchanged after the rollback, a failed rollback
 * suppressed in them; a transaction that cannot begin or commit (Spring's
 * {@code TransactionException}s, e.g. an {@code UnexpectedRollbackException} after a participant
 * marked it rollback-only) becomes an {@link SQLException}, which the store reports as the
 * transaction failing as a whole. If the transaction manager binds no connection for the store's
 * {@code DataSource} (it manages another one), nothing runs: {@link DataSourceNotManagedException}.
 *
 * @since 0.2.0
 */
public final class SpringTransactionRunner implements JdbcTransactionRunner {

    private final PlatformTransactionManager transactionManager;
    private final TransactionTemplate template;

    /** A runner whose transactions are {@code transactionManager}'s, each a new one. */
    public SpringTransactionRunner(PlatformTransactionManager transactionManager) {
        this.transactionManager = Objects.requireNonNull(transactionManager, "transactionManager");
        this.template = new TransactionTemplate(transactionManager);
        this.template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.template.setName(SpringTransactionRunner.class.getName());
    }

    /** The transaction manager whose transactions this runner begins. */
    public PlatformTransactionManager transactionManager() {
        return transactionManager;
    }

    @Override
    public <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(work, "work");
        Attempt<T> attempt = new Attempt<>(dataSource, work);
        T result;
        try {
            result = template.execute(status -> attempt.run());
        } catch (RuntimeException | Error e) {
            throw attempt.failure(e);
        }
        return result;
    }

    @Override
    public String toString() {
        return "SpringTransactionRunner[" + transactionManager.getClass().getSimpleName() + "]";
    }

    /** One transaction: what the work threw, so that it is told apart from the transaction manager's own failures. */
    private final class Attempt<T> {
        private final DataSource dataSource;
        private final Work<T> work;
        private @Nullable SQLException sqlFailure;
        private @Nullable Throwable workFailure;

        Attempt(DataSource dataSource, Work<T> work) {
            this.dataSource = dataSource;
            this.work = work;
        }

        T run() {
            if (!(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder)) {
                sqlFailure = new DataSourceNotManagedException(transactionManager, dataSource);
                throw new SqlCarrier(sqlFailure);
            }
            Connection connection = DataSourceUtils.getConnection(dataSource);
            try {
                return work.run(connection);
            } catch (SQLException e) {
                sqlFailure = e;
                throw new SqlCarrier(e);
            } catch (RuntimeException | Error e) {
                workFailure = e;
                throw e;
            } finally {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
        }

        /** What to throw for {@code thrown}, which left the template. */
        RuntimeException failure(Throwable thrown) throws SQLException {
            SQLException sql = sqlFailure;
            if (sql != null) {
                if (!(thrown instanceof SqlCarrier)) {
                    sql.addSuppressed(thrown); // the rollback failed too
                }
                throw sql;
            }
            Throwable own = workFailure;
            if (own != null) {
                if (own != thrown) {
                    own.addSuppressed(thrown); // the rollback failed too
                }
                if (own instanceof Error error) {
                    throw error;
                }
                return (RuntimeException) own;
            }
            if (thrown instanceof Error error) {
                throw error;
            }
            // Nothing of the work failed: the transaction could not begin, or not commit.
            throw new SQLException("the Spring transaction of " + transactionManager.getClass().getSimpleName()
                    + " failed to begin or commit (rolled back): " + thrown, thrown);
        }
    }

    /** Carries the work's checked exception through the template, which rolls back on unchecked ones. */
    private static final class SqlCarrier extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlCarrier(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /**
     * The transaction manager bound no connection for the event log's {@code DataSource} in the
     * transaction it began: it manages another one (or none), so handlers' writes could not join the
     * event's transaction. Nothing ran. Build the store on the transaction manager's own
     * {@code DataSource}, or give the runner the transaction manager of the store's.
     *
     * @since 0.2.0
     */
    public static final class DataSourceNotManagedException extends SQLException {
        private static final long serialVersionUID = 1L;

        DataSourceNotManagedException(PlatformTransactionManager transactionManager, DataSource dataSource) {
            super("the transaction manager " + transactionManager.getClass().getName() + " bound no connection for the"
                    + " event log's DataSource " + dataSource.getClass().getName() + " in a new transaction: it manages"
                    + " another DataSource, so a transactional handler's writes could not commit with the event. Build"
                    + " the JdbcIdempotencyStore on the DataSource the transaction manager manages (not a"
                    + " TransactionAwareDataSourceProxy), or give SpringTransactionRunner that DataSource's transaction"
                    + " manager", "HW001");
        }
    }
}
