package dev.hookwise.jdbc;

import dev.hookwise.jdbc.inbox.DelegatingDataSource;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** A pool that counts the connections borrowed from it, to tell one attempt from a retried one. */
final class CountingDataSource extends DelegatingDataSource {

    private final AtomicInteger borrowed = new AtomicInteger();

    CountingDataSource(DataSource pool) {
        super(pool);
    }

    /** Connections borrowed so far. */
    int borrowed() {
        return borrowed.get();
    }

    @Override
    protected void borrow() {
        borrowed.incrementAndGet();
    }
}
