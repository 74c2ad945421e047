package dev.hookwise.core.internal;

import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Transactional batches: the events of a batch that have not started yet are {@linkplain #pending
 * held} (renewed, no timeout) until their turn; once the thread of a batch is stuck past its timeout,
 * its held events are no longer renewed either, so that other workers take them over. A batch's
 * transaction writes an event's row before it commits, and a heartbeat from another connection would
 * then wait for that commit while holding other rows the batch still needs: so before it writes an
 * event's row, a batch closes the event's run and {@linkplain #awaitHeartbeat() waits out} a heartbeat
 * in flight, and no later heartbeat includes the row.
 *
 * <p>Prefetched claims: an inbox worker claims events ahead of its free threads and keeps them in a
 * queue; they are {@linkplain #prefetched held} here until a thread {@linkplain Prefetched#take takes}
 * one. Their leases are renewed with the running ones, in the same statement, through
 * {@link IdempotencyStore#renew}, which says which leases still hold: a queued claim that was lost
 * (taken over after its lease ran out, say during a long pause of this process) is dropped, and a
 * claim whose lease may have run out by this process's clock (its renewals failed) is not started.
 * While every handler thread of the worker is stuck past its timeout, its queue is not renewed
 * either, so that other workers take those events over.
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
    private final Set<Prefetched> prefetches = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    /** Held from choosing the claims to renew until their heartbeat returns; see {@link #awaitHeartbeat()}. */
    private final ReentrantLock heartbeat = new ReentrantLock();
    private final ScheduledThreadPoolExecutor scheduler;
    private @Nullable ScheduledFuture<?> ticking;
    private long lastHeartbeat = System.nanoTime();

    /**
     * @param handlerTimeout how long a run may take before it is interrupted, or null for no limit
     * @param onTimeout told once about each run that passes the timeout (from the keeper's thread)
     */
    public LeaseKeeper(IdempotencyStore store, Duration leaseDuration, @Nullable Duration handlerTimeout,
            Consumer<Run> onTimeout) {
        this(store, leaseDuration, handlerTimeout, onTimeout, Clock.systemUTC());
    }

    /**
     * @param handlerTimeout how long a run may take before it is interrupted, or null for no limit
     * @param onTimeout told once about each run that passes the timeout (from the keeper's thread)
     * @param clock the time source of the store's leases: a prefetched claim is started only while
     *     its lease, as last claimed or renewed, has a third of its duration left by this clock
     */
    public LeaseKeeper(IdempotencyStore store, Duration leaseDuration, @Nullable Duration handlerTimeout,
            Consumer<Run> onTimeout, Clock clock) {
        this.store = store;
        this.clock = clock;
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

    /**
     * Registers a run of {@code claim} in the calling thread; close the run when the handler returns.
     * A {@linkplain #pending held} claim becomes a run (its timeout starts now).
     */
    public Run start(ClaimToken claim, String eventType) {
        Run run = new Run(claim, eventType, Thread.currentThread(), System.nanoTime(), false);
        runs.put(claim, run);
        ensureTicking();
        return run;
    }

    /**
     * Holds {@code claims} for the calling thread until they {@linkplain #start start}: their leases
     * are renewed, no timeout runs for them, and none is renewed while a run of this thread is stuck
     * past its timeout. Close the result when the batch ends.
     */
    public Pending pending(Collection<ClaimToken> claims) {
        Thread thread = Thread.currentThread();
        List<Run> held = new ArrayList<>(claims.size());
        for (ClaimToken claim : claims) {
            Run run = new Run(claim, "", thread, System.nanoTime(), true);
            runs.put(claim, run);
            held.add(run);
        }
        if (!held.isEmpty()) {
            ensureTicking();
        }
        return new Pending(held);
    }

    /**
     * Holds {@code claim}, whose handlers have succeeded, until its completion is written by a group
     * commit: renewed with the others, no timeout, whatever becomes of the thread that ran it. Close
     * the result, then {@linkplain #awaitHeartbeat() wait out} a heartbeat in flight, before the
     * completion's transaction writes the row.
     */
    public Pending awaitingCommit(ClaimToken claim) {
        Run run = new Run(claim, "", null, System.nanoTime(), true);
        runs.put(claim, run);
        ensureTicking();
        return new Pending(List.of(run));
    }

    /**
     * Returns once no heartbeat that may include a claim closed before this call is in flight: after
     * it, the claim's row is not written by this keeper any more. Waits at most one heartbeat
     * statement.
     */
    public void awaitHeartbeat() {
        heartbeat.lock();
        try {
            // Nothing to do while holding it: acquiring it was the wait for the heartbeat in flight.
        } finally {
            heartbeat.unlock();
        }
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

    /** Runs in progress, stuck ones included (held claims of a batch are not running yet). */
    public int running() {
        int n = 0;
        for (Run r : runs.values()) {
            if (!r.pending) {
                n++;
            }
        }
        return n;
    }

    private synchronized void ensureTicking() {
        if (ticking == null) {
            ticking = scheduler.scheduleWithFixedDelay(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A holder for the claims an inbox worker takes ahead of its threads; see {@link Prefetched}.
     *
     * @param servers the worker's handler threads (a live view): the held claims are not renewed
     *     while every one of them is stuck past its handler timeout
     * @param onLost told (from the keeper's thread) about each held claim a renewal found lost, after
     *     it stopped being held; the worker drops it from its queue
     */
    public Prefetched prefetched(Collection<Thread> servers, Consumer<ClaimToken> onLost) {
        Prefetched p = new Prefetched(servers, onLost);
        prefetches.add(p);
        return p;
    }

    private boolean idle() {
        if (!runs.isEmpty()) {
            return false;
        }
        for (Prefetched p : prefetches) {
            if (!p.validUntil.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private synchronized void stopTickingIfIdle() {
        if (idle() && ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
    }

    /** One round: interrupt overdue runs, renew the others' leases when a heartbeat is due. Never throws. */
    void tick() {
        heartbeat.lock();
        try {
            long now = System.nanoTime();
            List<ClaimToken> renew = new ArrayList<>();
            List<Run> held = new ArrayList<>();
            Set<Thread> stuckThreads = new HashSet<>();
            for (Run run : runs.values()) {
                if (run.pending) {
                    held.add(run);
                    continue;
                }
                if (!run.timedOut && now - run.startedNanos >= timeoutNanos && run.interruptIfRunning()) {
                    log.warn("{} {}: handler still running after its timeout; interrupted, its lease is no longer"
                            + " renewed", run.claim.eventId(), run.eventType);
                    try {
                        onTimeout.accept(run);
                    } catch (RuntimeException e) {
                        log.warn("handler-timeout listener failed", e);
                    }
                }
                if (run.timedOut && run.thread != null) {
                    stuckThreads.add(run.thread);
                } else {
                    renew.add(run.claim);
                }
            }
            for (Run run : held) {
                // A batch whose thread is stuck will not reach its held events: let others take them.
                if (run.thread == null || !stuckThreads.contains(run.thread)) {
                    renew.add(run.claim);
                }
            }
            Map<Prefetched, List<ClaimToken>> queues = new HashMap<>();
            int queued = 0;
            for (Prefetched p : prefetches) {
                if (p.validUntil.isEmpty() || (!p.servers.isEmpty() && stuckThreads.containsAll(p.servers))) {
                    continue; // every thread of that worker is stuck: let other workers take its queue
                }
                List<ClaimToken> asked = List.copyOf(p.validUntil.keySet());
                renew.addAll(asked);
                queued += asked.size();
                queues.put(p, asked);
            }
            if (!renew.isEmpty() && now - lastHeartbeat >= heartbeatNanos - tickNanos / 2) {
                lastHeartbeat = now;
                if (queued == 0) {
                    int extended = store.heartbeat(renew, leaseDuration);
                    if (extended < renew.size()) {
                        log.debug("heartbeat extended {} of {} leases; the others were taken over or finished",
                                extended, renew.size());
                    }
                } else {
                    Instant sentAt = clock.instant();
                    Set<ClaimToken> kept = store.renew(renew, leaseDuration);
                    queues.forEach((p, asked) -> p.renewed(asked, kept, sentAt.plus(leaseDuration)));
                    if (kept.size() < renew.size()) {
                        log.debug("heartbeat extended {} of {} leases ({} of them queued); the others were taken over"
                                + " or finished", kept.size(), renew.size(), queued);
                    }
                }
            }
        } catch (Throwable e) {
            // A store outage: leases may run out and be taken over, which the tokens make safe.
            log.warn("lease heartbeat failed: {}", e.toString());
        } finally {
            heartbeat.unlock();
            stopTickingIfIdle();
        }
    }

    /**
     * The claims one inbox worker holds in its queue, waiting for a handler thread: renewed with
     * every heartbeat, never timed out. Thread-safe.
     */
    public final class Prefetched implements AutoCloseable {
        private final Collection<Thread> servers;
        private final Consumer<ClaimToken> onLost;
        /** Each held claim, and when its lease may run out: claimed or last renewed, plus the lease. */
        private final Map<ClaimToken, Instant> validUntil = new ConcurrentHashMap<>();

        private Prefetched(Collection<Thread> servers, Consumer<ClaimToken> onLost) {
            this.servers = servers;
            this.onLost = onLost;
        }

        /**
         * Holds {@code claims}, made by a claim call that started at {@code claimedAt} (by the keeper's
         * clock): their leases run until then plus the lease duration at the latest.
         */
        public void hold(Collection<ClaimToken> claims, Instant claimedAt) {
            Instant until = claimedAt.plus(leaseDuration);
            for (ClaimToken claim : claims) {
                validUntil.put(claim, until);
            }
            if (!claims.isEmpty()) {
                ensureTicking();
            }
        }

        /**
         * Stops holding {@code claim} so that a thread runs it: true if it was held and its lease has at
         * least a third of its duration left; false if it was dropped (lost in a renewal) or its lease
         * may be running out (renewals failed), when it must not run. Hand the claim to a run at once
         * ({@link LeaseKeeper#start}), whose heartbeats take over.
         */
        public boolean take(ClaimToken claim) {
            Instant until = validUntil.remove(claim);
            return until != null && !clock.instant().plus(leaseDuration.dividedBy(3)).isAfter(until);
        }

        /** Stops holding {@code claim} (given back, or dropped by the worker). */
        public void drop(ClaimToken claim) {
            validUntil.remove(claim);
        }

        /** How many claims are held. */
        public int size() {
            return validUntil.size();
        }

        /** After a renewal of {@code asked}: {@code kept} now run until {@code until}, the others are lost. */
        private void renewed(List<ClaimToken> asked, Set<ClaimToken> kept, Instant until) {
            for (ClaimToken claim : asked) {
                if (kept.contains(claim)) {
                    validUntil.computeIfPresent(claim, (c, old) -> old.isBefore(until) ? until : old);
                } else if (validUntil.remove(claim) != null) {
                    try {
                        onLost.accept(claim);
                    } catch (RuntimeException ex) {
                        log.warn("dropping a lost claim failed", ex);
                    }
                }
            }
        }

        /** Stops holding every claim, and this holder. */
        @Override
        public void close() {
            prefetches.remove(this);
            validUntil.clear();
        }
    }

    /** The held claims of one transactional batch; see {@link LeaseKeeper#pending}. */
    public final class Pending implements AutoCloseable {
        private final List<Run> held;

        private Pending(List<Run> held) {
            this.held = held;
        }

        /** Stops renewing {@code claim} if it is still held (its verdict was reached without a run). */
        public void drop(ClaimToken claim) {
            for (Run run : held) {
                if (run.claim.equals(claim)) {
                    runs.remove(claim, run);
                }
            }
        }

        /** Stops renewing every claim still held. */
        @Override
        public void close() {
            for (Run run : held) {
                runs.remove(run.claim, run);
            }
        }
    }

    /** One handler run under a claim. */
    public final class Run implements AutoCloseable {
        private final ClaimToken claim;
        private final String eventType;
        /** The thread running it, or null for a claim awaiting its group commit. */
        private final @Nullable Thread thread;
        private final long startedNanos;
        /** A claim of a batch held until its turn: renewed, never timed out, not a running handler. */
        private final boolean pending;
        private volatile boolean timedOut;
        private boolean closed;

        private Run(ClaimToken claim, String eventType, @Nullable Thread thread, long startedNanos, boolean pending) {
            this.claim = claim;
            this.eventType = eventType;
            this.thread = thread;
            this.startedNanos = startedNanos;
            this.pending = pending;
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
            java.util.Objects.requireNonNull(thread, "a held claim does not run").interrupt();
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
