package dev.hookwise.core.internal;

import dev.hookwise.core.policy.Backpressure;
import dev.hookwise.core.spi.IdempotencyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Semaphore;

/**
 * Applies {@link Backpressure}: a semaphore for requests in flight, and a backlog figure read from
 * the store at most once per refresh interval (a stale figure is fine; counting rows per request is not).
 */
public final class LoadShedder {
    private final Backpressure limits;
    private final Semaphore inFlight;
    private final IdempotencyStore store;
    private final Clock clock;
    private volatile long backlog;
    private volatile Instant backlogReadAt = Instant.MIN;

    public LoadShedder(Backpressure limits, IdempotencyStore store, Clock clock) {
        this.limits = limits;
        this.inFlight = new Semaphore(limits.maxInFlight() == Integer.MAX_VALUE ? Integer.MAX_VALUE : limits.maxInFlight());
        this.store = store;
        this.clock = clock;
    }

    /** Takes an in-flight slot; false when all are taken. Pair with {@link #release()}. */
    public boolean tryEnter() {
        return inFlight.tryAcquire();
    }

    public void release() {
        inFlight.release();
    }

    /** Whether the inbox holds more than the limit (the store is asked at most once per refresh interval). */
    public boolean backlogFull() {
        if (!limits.limitsBacklog()) {
            return false;
        }
        Instant now = clock.instant();
        if (backlogReadAt.plus(limits.backlogRefresh()).isBefore(now) || limits.backlogRefresh().isZero()) {
            backlog = store.backlog().pending();
            backlogReadAt = now;
        }
        return backlog >= limits.maxBacklog();
    }
}
