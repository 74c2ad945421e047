package dev.hookwise.jdbc;

import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.contract.FaultToleranceContract;

/**
 * The testkit's fault-tolerance contract (errors, hung and slow handlers, crashed runs, fencing,
 * replays that cannot run) with the event log on one database per subclass.
 */
abstract class JdbcFaultToleranceTestBase extends FaultToleranceContract {

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Override
    protected InboxStore createStore(MutableClock clock) {
        return db().emptiedEventLog(clock);
    }
}
