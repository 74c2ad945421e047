package dev.hookwise.jdbc.inbox;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A pool behind a switch: while {@link #down(boolean) down}, {@code getConnection} throws the
 * {@link SQLException} a database that went away gives ({@code 08001}). Counts refusals, and
 * counts down {@code refusedPolls} when the caller is an inbox worker's poller thread.
 */
public final class FlakyDataSource extends DelegatingDataSource {

    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger refusals = new AtomicInteger();
    private final CountDownLatch refusedPolls;

    public FlakyDataSource(DataSource pool, int pollerRefusalsToCount) {
        super(pool);
        this.refusedPolls = new CountDownLatch(pollerRefusalsToCount);
    }

    /** Takes the database away ({@code true}) or brings it back. */
    public void down(boolean value) {
        down.set(value);
    }

    /** Connections refused so far. */
    public int refusals() {
        return refusals.get();
    }

    /** Counted down each time an inbox worker's poll is refused a connection. */
    public CountDownLatch refusedPolls() {
        return refusedPolls;
    }

    @Override
    protected void borrow() throws SQLException {
        if (down.get()) {
            refusals.incrementAndGet();
            if (Thread.currentThread().getName().startsWith("hookwise-poller")) {
                refusedPolls.countDown();
            }
            throw new SQLTransientConnectionException("connection refused (simulated outage)", "08001");
        }
    }
}
