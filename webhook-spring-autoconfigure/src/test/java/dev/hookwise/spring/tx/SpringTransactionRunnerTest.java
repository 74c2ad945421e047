package dev.hookwise.spring.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link SpringTransactionRunner} keeps the {@code JdbcTransactionRunner} contract on a real
 * database (H2) with Spring's {@code JdbcTransactionManager}: a new transaction whose connection
 * {@code JdbcTemplate} shares, commit on return, the work's own exceptions rethrown unchanged after a
 * rollback, a failed commit as an {@link SQLException}, and nothing run on a {@code DataSource} the
 * transaction manager does not manage.
 */
class SpringTransactionRunnerTest {

    private DataSource dataSource;
    private JdbcTransactionManager transactionManager;
    private SpringTransactionRunner runner;
    private JdbcTemplate jdbc;

    @BeforeEach
    void database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:runner-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        dataSource = h2;
        transactionManager = new JdbcTransactionManager(dataSource);
        runner = new SpringTransactionRunner(transactionManager);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE ledger (id VARCHAR(20) NOT NULL)");
    }

    @Test
    void workRunsInANewSpringTransactionWhoseConnectionJdbcTemplateShares() throws SQLException {
        String result = runner.inTransaction(dataSource, connection -> {
            assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isTrue();
            assertThat(connection.getAutoCommit()).isFalse();
            assertThat(DataSourceUtils.getConnection(dataSource)).isSameAs(connection);
            insert(connection, "store");
            jdbc.update("INSERT INTO ledger (id) VALUES ('handler')");
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(rows()).containsExactlyInAnyOrder("store", "handler");
        assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isFalse();
    }

    @Test
    void theWorksSqlExceptionIsRethrownUnchangedAndEverythingRolledBack() {
        SQLException refused = new SQLException("refused by the test", "23000");

        assertThatThrownBy(() -> runner.inTransaction(dataSource, connection -> {
            insert(connection, "store");
            jdbc.update("INSERT INTO ledger (id) VALUES ('handler')");
            throw refused;
        })).isSameAs(refused);
        assertThat(rows()).isEmpty();
    }

    @Test
    void theWorksUncheckedExceptionIsRethrownUnchangedAndEverythingRolledBack() {
        IllegalStateException undo = new IllegalStateException("the store rolls back on purpose");

        assertThatThrownBy(() -> runner.inTransaction(dataSource, connection -> {
            jdbc.update("INSERT INTO ledger (id) VALUES ('handler')");
            throw undo;
        })).isSameAs(undo);
        assertThat(rows()).isEmpty();
    }

    @Test
    void itIsATransactionOfItsOwnEvenInsideTheCallersTransaction() {
        TransactionTemplate outer = new TransactionTemplate(transactionManager);

        outer.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO ledger (id) VALUES ('outer')");
            try {
                runner.inTransaction(dataSource, connection -> insert(connection, "event"));
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
            status.setRollbackOnly();
        });

        assertThat(rows()).containsExactly("event");
    }

    @Test
    void aCommitThatFailsIsAnSqlException() {
        // A participant (a @Transactional service the handler called, say) failed and marked the
        // whole transaction rollback-only; the work itself returned normally.
        assertThatThrownBy(() -> runner.inTransaction(dataSource, connection -> {
            insert(connection, "store");
            try {
                new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
                    throw new IllegalStateException("a participant failed");
                });
            } catch (IllegalStateException swallowed) {
                // the handler swallowed it
            }
            return null;
        })).isInstanceOf(SQLException.class)
                .hasMessageContaining("failed to begin or commit (rolled back)")
                .hasCauseInstanceOf(org.springframework.transaction.UnexpectedRollbackException.class);
        assertThat(rows()).isEmpty();
    }

    @Test
    void aDataSourceTheTransactionManagerDoesNotManageRunsNothing() {
        AtomicBoolean ran = new AtomicBoolean();
        TransactionAwareDataSourceProxy proxy = new TransactionAwareDataSourceProxy(dataSource);

        assertThatThrownBy(() -> runner.inTransaction(proxy, connection -> {
            ran.set(true);
            return null;
        })).isInstanceOf(SpringTransactionRunner.DataSourceNotManagedException.class)
                .hasMessageContaining("bound no connection for the event log's DataSource")
                .hasMessageContaining("not a TransactionAwareDataSourceProxy");
        assertThat(ran).isFalse();
    }

    private static Void insert(Connection connection, String id) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("INSERT INTO ledger (id) VALUES ('" + id + "')");
        }
        return null;
    }

    private java.util.List<String> rows() {
        return jdbc.queryForList("SELECT id FROM ledger", String.class);
    }
}
