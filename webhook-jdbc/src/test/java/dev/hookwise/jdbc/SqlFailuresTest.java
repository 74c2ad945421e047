package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.jdbc.internal.SqlFailures;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** How SQL failures reach the processor: always StoreUnavailableException, never with a password. */
class SqlFailuresTest {

    @Test
    void redactsPasswordsInUrlsAndKeyValueLists() {
        assertThat(SqlFailures.redact("jdbc:postgresql://db/x?user=a&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/x?user=a&password=***&ssl=true");
        assertThat(SqlFailures.redact("jdbc:h2:tcp://h/mem:x;USER=sa;PASSWORD=hunter2;MODE=MySQL"))
                .isEqualTo("jdbc:h2:tcp://h/mem:x;USER=sa;PASSWORD=***;MODE=MySQL");
        assertThat(SqlFailures.redact("mysql://app:hunter2@db:3306/x")).isEqualTo("mysql://app:***@db:3306/x");
        assertThat(SqlFailures.redact("(password: hunter2)")).isEqualTo("(password: ***)");
    }

    @Test
    void unreachableDatabaseIsNamedSo() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:1 refused", "08001",
                new ConnectException("refused"));

        StoreUnavailableException e = SqlFailures.translate("claiming evt_1", refused);

        assertThat(e.getMessage()).isEqualTo(
                "event store unreachable while claiming evt_1: Connection to 127.0.0.1:1 refused (SQLState 08001)");
        assertThat(e.reason()).isEqualTo("store_unavailable");
        assertThat(e.getCause()).isSameAs(refused);
    }

    @Test
    void failingStatementIsNamedSo() {
        StoreUnavailableException e = SqlFailures.translate("reading evt_1",
                new SQLException("relation \"x\" does not exist", "42P01"));

        assertThat(e.getMessage()).startsWith("event store failed while reading evt_1: relation");
    }

    @Test
    void secretInTheCauseChainIsRedactedInACopy() {
        SQLException inner = new SQLException("url jdbc:x://h/db?password=hunter2 refused", "08001");
        SQLTransientConnectionException outer = new SQLTransientConnectionException("pool timed out", "08001", inner);

        StoreUnavailableException e = SqlFailures.translate("claiming evt_1", outer);

        StringBuilder all = new StringBuilder(e.getMessage());
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            all.append('|').append(t.getMessage());
        }
        assertThat(all.toString()).doesNotContain("hunter2").contains("password=***");
        assertThat(((SQLException) e.getCause()).getSQLState()).isEqualTo("08001");
    }

    @Test
    void deadlocksAndLockTimeoutsAreRetryable() {
        assertThat(SqlFailures.retryable(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(SqlFailures.retryable(new SQLException("lock wait timeout", "HY000", 1205))).isTrue();
        assertThat(SqlFailures.retryable(new SQLException("Timeout trying to lock table", "HYT00", 50200))).isTrue();
        assertThat(SqlFailures.retryable(new SQLException("deadlock", "40001", 1213))).isTrue();
        assertThat(SqlFailures.retryable(new SQLException("syntax", "42000"))).isFalse();
    }

    @Test
    void lockAndStatementTimeoutsOfEveryDatabaseAreNamedSo() {
        SQLException[] timeouts = {
            new SQLException("ERROR: canceling statement due to user request", "57014"),                    // pgjdbc
            new SQLException("ERROR: canceling statement due to lock timeout", "55P03"),                    // PG lock_timeout
            new SQLTimeoutException("Query execution was interrupted (max_statement_time exceeded)", "70100", 1969),
            new SQLException("Lock wait timeout exceeded; try restarting transaction", "HY000", 1205),      // InnoDB
            new SQLTimeoutException("Timeout trying to lock table \"T\"", "HYT00", 50200),                  // H2
            new SQLTimeoutException("Statement was canceled or the session timed out", "57014", 57014),     // H2
        };
        for (SQLException timeout : timeouts) {
            assertThat(SqlFailures.timedOut(timeout)).as(timeout.getMessage()).isTrue();
            assertThat(SqlFailures.translate("claiming evt_1", timeout).getMessage())
                    .startsWith("event store timed out while claiming evt_1: a lock or statement timeout passed");
        }
    }

    @Test
    void connectionFailuresAndOtherErrorsAreNotTimeouts() {
        SQLException poolTimeout = new SQLTransientConnectionException("hookwise - Connection is not available,"
                + " request timed out after 5000ms", null, new SQLTimeoutException("login timeout"));

        assertThat(SqlFailures.timedOut(poolTimeout)).isFalse();
        assertThat(SqlFailures.translate("claiming evt_1", poolTimeout).getMessage())
                .startsWith("event store unreachable while claiming evt_1");
        assertThat(SqlFailures.timedOut(new SQLException("I/O error", "08006"))).isFalse();
        assertThat(SqlFailures.timedOut(new SQLException("deadlock detected", "40P01"))).isFalse();
        assertThat(SqlFailures.timedOut(new SQLException("syntax", "42000"))).isFalse();
    }
}
