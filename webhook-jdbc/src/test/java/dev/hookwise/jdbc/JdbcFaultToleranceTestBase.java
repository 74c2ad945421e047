package dev.hookwise.jdbc;

import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.contract.FaultToleranceContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The testkit's fault-tolerance contract (errors, hung and slow handlers, crashed runs, fencing,
 * replays that cannot run) with the event log on one database per subclass.
 */
abstract class JdbcFaultToleranceTestBase extends FaultToleranceContract {

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Override
    protected InboxStore createStore(MutableClock clock) {
        try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + db().prefix() + "event_log");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the event log before the test", e);
        }
        return JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(db().prefix()).clock(clock).build();
    }
}
