package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * H2 keeps its lock and query timeouts per session: here its sessions wait up to 120 s for a lock,
 * so only the stores' statement timeout can end the waits of the base class's tests, and the
 * session must be handed back to the pool as it was lent.
 */
class H2StatementTimeoutTest extends StatementTimeoutTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.H2);

    private static final int SESSION_LOCK_TIMEOUT_MILLIS = 120_000;

    @Override
    protected DatabaseFixture db() {
        return DB;
    }

    @Override
    protected HikariDataSource storePool() throws SQLException {
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SET DEFAULT_LOCK_TIMEOUT " + SESSION_LOCK_TIMEOUT_MILLIS);
        }
        return DB.pool(1);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sessionTimeoutsAreRestoredAfterACallThatTimedOut() throws SQLException {
        HikariDataSource pool = storePool();
        Jdbc jdbc = new Jdbc(pool, "event store", Duration.ofSeconds(1));
        String table = DB.table("locked");
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT)");
            s.execute("INSERT INTO " + table + " VALUES (1, 0)");
        }
        try (Connection holder = DB.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT v FROM " + table + " WHERE id = 1 FOR UPDATE").close();
            }
            assertThatThrownBy(() -> jdbc.run("updating the locked row", c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE " + table + " SET v = 1 WHERE id = 1");
                }
            })).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("a lock or statement timeout passed");
            holder.rollback();
        }

        // The pool's only connection, as the application would get it next.
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT LOCK_TIMEOUT()")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(SESSION_LOCK_TIMEOUT_MILLIS);
            assertThat(s.getQueryTimeout()).isZero();
        }
    }
}
