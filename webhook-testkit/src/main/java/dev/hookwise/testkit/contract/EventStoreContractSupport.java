package dev.hookwise.testkit.contract;

import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the event-store contracts share: a fresh store per test on a {@link MutableClock} that
 * starts at {@link #START}, a standard lease, and event ids unique to the test instance.
 *
 * @param <S> the store capability under test ({@link IdempotencyStore} or {@code InboxStore})
 */
public abstract class EventStoreContractSupport<S extends IdempotencyStore> {

    protected static final Duration LEASE = Duration.ofMinutes(5);
    protected static final Instant START = Instant.parse("2026-03-01T12:00:00.123Z");

    protected MutableClock clock;
    protected S store;
    /** A random suffix of this test instance's ids and names. */
    protected final String run = UUID.randomUUID().toString().substring(0, 8);

    /** A fresh store whose leases and timestamps follow {@code clock}. */
    protected abstract S createStore(MutableClock clock);

    /** Threads used by the concurrency tests; lower it for stores with few connections. */
    protected int concurrency() {
        return 32;
    }

    @BeforeEach
    void setUpStore() {
        clock = MutableClock.at(START);
        store = createStore(clock);
    }

    /** An event id unique to this test instance. */
    protected String id(String name) {
        return "evt_" + name + "_" + run;
    }
}
