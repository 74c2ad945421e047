package dev.hookwise.jdbc;

import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.contract.InboxStoreContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The testkit's inbox contract ({@code enqueue}, {@code claimDue}, {@code release}, {@code purge},
 * {@code backlog}) on one database per subclass. The contract wants an empty store per test: each
 * test empties the class's own table first.
 */
abstract class JdbcInboxStoreTestBase extends InboxStoreContract {

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Override
    protected IdempotencyStore createStore(MutableClock clock) {
        try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + db().prefix() + "event_log");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the event log before the test", e);
        }
        return JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(db().prefix()).clock(clock).build();
    }
}
