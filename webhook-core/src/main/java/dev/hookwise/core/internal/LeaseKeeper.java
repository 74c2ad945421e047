package dev.hookwise.core.internal;

import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.IdempotencyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of running handlers alive, and stops the ones that run too long.
 *
 * <p><b>The hazard:</b> a lease is a crash detector, not a time limit. Without renewal, a live
 * handler slower than its lease (a slow API call, a lock wait) is taken over by another worker while
 * it still runs: two copies run at once, every verdict of the first finds its claim gone, and the
 * event runs again without end. So while a handler runs, its claim is renewed every lease/3, for all
 * the claims this processor holds in one {@link IdempotencyStore#heartbeat} call. Only a process that
 * died stops renewing, and only then is its claim taken over.
 *
 * <p>With a handler timeout, a run that passes it is interrupted, its lease is no longer renewed
 * (so even a handler that ignores the interrupt is taken over when its lease ends), and it counts
 * as {@linkplain #stuck() stuck} until its thread comes back.
 *
 * <p>One daemon thread per keeper, started on the first run and ended after a few idle seconds.
 */
public final class LeaseKeeper {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final IdempotencyStore store;
    private final Duration leaseDuration;
    private final long heartbeatNanos;
    private final long timeoutNanos;
    private final long tickNanos;
    private final Consumer<Run> onTimeout;
    private final Map<ClaimToken, Run> runs = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private @Nullable ScheduledFuture<?> ticking;
    private long lastHeartbeat = System.nanoTime();

    /**
     * @param handlerTimeout how long a run may take before it is interrupted, or null for no limit
     * @param onTimeout told once about each run that passes the timeout (from the keeper's thread)
     */
    public LeaseKeeper(IdempotencyStore store, Duration leaseDuration, @Nullable Duration handlerTimeout,
            Consumer<Run> onTimeout) {
        this.store = store;
        this.leaseDuration = leaseDuration;
        this.heartbeatNanos = Math.max(MIN_TICK_NANOS, leaseDuration.toNanos() / 3);
        this.timeoutNanos = handlerTimeout == null ? Long.MAX_VALUE : handlerTimeout.toNanos();
        this.tickNanos = handlerTimeout == null ? heartbeatNanos
                : Math.max(MIN_TICK_NANOS, Math.min(heartbeatNanos, timeoutNanos / 4));
        this.onTimeout = onTimeout;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "hookwise-lease-keeper-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setKeepAliveTime(5, TimeUnit.SECONDS);
        scheduler.allowCoreThreadTimeOut(true);
    }

    /** Registers a run of {@code claim} in the calling thread; close the run when the handler returns. */
    public Run start(ClaimToken claim, String eventType) {
        Run run = new Run(claim, eventType, Thread.currentThread(), System.nanoTime());
        runs.put(claim, run);
        ensureTicking();
        return run;
    }

    /** Runs that passed the handler timeout and whose threads have not come back. */
    public int stuck() {
        int n = 0;
        for (Run r : runs.values()) {
            if (r.timedOut) {
                n++;
            }
        }
        return n;
    }

    /** Runs in progress, stuck ones included. */
    public int running() {
        return runs.size();
    }

    private synchronized void ensureTicking() {
        if (ticking == null) {
            ticking = scheduler.scheduleWithFixedDelay(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void stopTickingIfIdle() {
        if (runs.isEmpty() && ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
    }

    /** One round: interrupt overdue runs, renew the others' leases when a heartbeat is due. Never throws. */
    void tick() {
        try {
            long now = System.nanoTime();
            List<ClaimToken> renew = new ArrayList<>();
            for (Run run : runs.values()) {
                if (!run.timedOut && now - run.startedNanos >= timeoutNanos && run.interruptIfRunning()) {
                    log.warn("{} {}: handler still running after its timeout; interrupted, its lease is no longer"
                            + " renewed", run.claim.eventId(), run.eventType);
                    try {
                        onTimeout.accept(run);
                    } catch (RuntimeException e) {
                        log.warn("handler-timeout listener failed", e);
                    }
                }
                if (!run.timedOut) {
                    renew.add(run.claim);
                }
            }
            if (!renew.isEmpty() && now - lastHeartbeat >= heartbeatNanos - tickNanos / 2) {
                lastHeartbeat = now;
                int extended = store.heartbeat(renew, leaseDuration);
                if (extended < renew.size()) {
                    log.debug("heartbeat extended {} of {} leases; the others were taken over or finished",
                            extended, renew.size());
                }
            }
        } catch (Throwable e) {
            // A store outage: leases may run out and be taken over, which the tokens make safe.
            log.warn("lease heartbeat failed: {}", e.toString());
        } finally {
            stopTickingIfIdle();
        }
    }

    /** One handler run under a claim. */
    public final class Run implements AutoCloseable {
        private final ClaimToken claim;
        private final String eventType;
        private final Thread thread;
        private final long startedNanos;
        private volatile boolean timedOut;
        private boolean closed;

        private Run(ClaimToken claim, String eventType, Thread thread, long startedNanos) {
            this.claim = claim;
            this.eventType = eventType;
            this.thread = thread;
            this.startedNanos = startedNanos;
        }

        public ClaimToken claim() {
            return claim;
        }

        public String eventType() {
            return eventType;
        }

        /** Whether the run passed the handler timeout and was interrupted. */
        public boolean timedOut() {
            return timedOut;
        }

        private synchronized boolean interruptIfRunning() {
            if (closed) {
                return false; // the thread may be running something else by now
            }
            timedOut = true;
            thread.interrupt();
            return true;
        }

        /** Ends the run: no more heartbeats or interrupts for it. */
        @Override
        public void close() {
            synchronized (this) {
                closed = true;
            }
            runs.remove(claim, this);
        }
    }
}
