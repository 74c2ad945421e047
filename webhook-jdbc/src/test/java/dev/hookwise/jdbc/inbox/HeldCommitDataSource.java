package dev.hookwise.jdbc.inbox;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A pool (with auto-commit off) whose next {@code commit()}, once {@link #holdNextCommit() armed},
 * waits until the test lets it go: the transaction's work is done and its locks are held, so a
 * test can look at what another transaction may do meanwhile.
 */
public final class HeldCommitDataSource {

    private final DataSource pool;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    public HeldCommitDataSource(DataSource pool) {
        this.pool = pool;
    }

    /** The next commit through this data source waits for {@link #letCommit()}. */
    public void holdNextCommit() {
        armed.set(true);
    }

    /** Waits until the held commit has been reached. */
    public boolean awaitHeld() throws InterruptedException {
        return reached.await(5, TimeUnit.MINUTES);
    }

    public void letCommit() {
        release.countDown();
    }

    /** The data source to give the store. */
    public DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, pool, args);
                    return method.getName().equals("getConnection") ? connection((Connection) result) : result;
                });
    }

    private Connection connection(Connection target) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit") && armed.compareAndSet(true, false)) {
                        reached.countDown();
                        if (!release.await(5, TimeUnit.MINUTES)) {
                            throw new SQLException("the test never let the held commit go");
                        }
                    }
                    return invoke(method, target, args);
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
