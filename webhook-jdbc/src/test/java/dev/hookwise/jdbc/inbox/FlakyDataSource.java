package dev.hookwise.jdbc.inbox;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A pool behind a switch: while {@link #down(boolean) down}, {@code getConnection} throws the
 * {@link SQLException} a database that went away gives ({@code 08001}). Counts refusals, and
 * counts down {@code refusedPolls} when the caller is an inbox worker's poller thread.
 */
public final class FlakyDataSource implements DataSource {

    private final DataSource pool;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger refusals = new AtomicInteger();
    private final CountDownLatch refusedPolls;

    public FlakyDataSource(DataSource pool, int pollerRefusalsToCount) {
        this.pool = pool;
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
    public Connection getConnection() throws SQLException {
        check();
        return pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        check();
        return pool.getConnection(username, password);
    }

    private void check() throws SQLException {
        if (down.get()) {
            refusals.incrementAndGet();
            if (Thread.currentThread().getName().startsWith("hookwise-poller")) {
                refusedPolls.countDown();
            }
            throw new SQLTransientConnectionException("connection refused (simulated outage)", "08001");
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return pool.isWrapperFor(iface);
    }
}
