package dev.hookwise.core.internal;

import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.UpdateResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The completion group commit of an inbox worker: handler threads hand over the completions of plain
 * handlers that succeeded, and one committer thread writes everything waiting (up to a group) with
 * one {@link IdempotencyStore#completeAll} call, then reports each event.
 *
 * <p><b>The hazard:</b> on a database where a commit waits for a disk flush, one commit per
 * completion caps the drain at the flush rate, whatever the handlers cost. Writing completions
 * together lifts that cap, but only a committed completion may count: so an event is reported done
 * (its listener hears it, its log line says so) only once the call holding its completion returned.
 * Until then its claim is {@linkplain LeaseKeeper#awaitingCommit held}, its lease renewed by the
 * heartbeat; a crash before the commit leaves it processing under that lease, and it runs again
 * after it, as after a crash during its handlers. Each completion stays fenced on its own token.
 *
 * <p>Natural batching, no timer: the committer takes whatever waits the moment it is free, so an idle
 * worker commits a lone completion at once and a busy one commits many per flush. A group that fails
 * as a whole (the store is down) is reported as a single completion that failed is: logged, not
 * counted done, its leases no longer renewed, so its events run again once their leases run out.
 * Handler threads wait when {@code 4 × maxGroup} completions wait already, for the committer.
 */
public final class CompletionGroups implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CompletionGroups.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** One completion waiting for its group; {@code onCommitted} hears what the store answered. */
    private record Waiting(ClaimToken claim, Duration processingTime, LeaseKeeper.Pending lease,
            Consumer<UpdateResult> onCommitted) {}

    private final IdempotencyStore store;
    private final LeaseKeeper keeper;
    private final int maxGroup;
    private final int maxWaiting;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a completion waits, and on close. */
    private final Condition work = lock.newCondition();
    /** Signalled when the committer takes a group: handler threads may hand over more. */
    private final Condition room = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Guarded by {@link #lock}. */
    private boolean closing;
    private final Thread committer;

    /**
     * @param maxGroup most completions per {@link IdempotencyStore#completeAll} call
     */
    public CompletionGroups(IdempotencyStore store, LeaseKeeper keeper, int maxGroup) {
        if (maxGroup < 1) {
            throw new IllegalArgumentException("a completion group holds at least 1, but was " + maxGroup);
        }
        this.store = store;
        this.keeper = keeper;
        this.maxGroup = maxGroup;
        this.maxWaiting = 4 * maxGroup;
        this.committer = new Thread(this::commitLoop, "hookwise-completer-" + THREADS.incrementAndGet());
        committer.setDaemon(true);
    }

    /** Starts the committer thread. */
    public CompletionGroups start() {
        committer.start();
        return this;
    }

    /**
     * Hands over the completion of {@code claim} (from the thread that ran its handlers): its lease is
     * renewed until its group commits, then {@code onCommitted} hears, in the committer thread,
     * {@link UpdateResult#APPLIED} or {@link UpdateResult#LEASE_LOST}; it hears nothing if the group
     * failed. Waits while {@code 4 × maxGroup} completions wait already.
     *
     * @return false when this committer is closing (or the wait was interrupted): nothing was handed
     *     over, and the caller completes the event itself
     */
    public boolean submit(ClaimToken claim, Duration processingTime, Consumer<UpdateResult> onCommitted) {
        lock.lock();
        try {
            while (waiting.size() >= maxWaiting && !closing) {
                try {
                    room.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (closing) {
                return false;
            }
            waiting.add(new Waiting(claim, processingTime, keeper.awaitingCommit(claim), onCommitted));
            work.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Completions handed over and not yet taken into a group. */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void commitLoop() {
        try {
            commitUntilClosed();
        } finally {
            // Also when an Error ends the thread: later completions are then written by their own threads.
            lock.lock();
            try {
                closing = true;
                room.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void commitUntilClosed() {
        while (true) {
            List<Waiting> group;
            lock.lock();
            try {
                while (waiting.isEmpty() && !closing) {
                    work.awaitUninterruptibly();
                }
                if (waiting.isEmpty()) {
                    return; // closing, and everything handed over is committed
                }
                group = new ArrayList<>(Math.min(maxGroup, waiting.size()));
                while (group.size() < maxGroup && !waiting.isEmpty()) {
                    group.add(waiting.poll());
                }
                room.signalAll();
            } finally {
                lock.unlock();
            }
            commit(group);
        }
    }

    /** Writes one group and reports each completion. Never throws. */
    private void commit(List<Waiting> group) {
        // The transaction will hold these rows until it commits: no heartbeat may include them then,
        // or it would wait for that commit while holding rows the group still needs (see LeaseKeeper).
        for (Waiting w : group) {
            w.lease().close();
        }
        keeper.awaitHeartbeat();
        Set<ClaimToken> completed;
        try {
            completed = store.completeAll(group.stream()
                    .map(w -> new IdempotencyStore.Completion(w.claim(), w.processingTime())).toList());
        } catch (Throwable e) {
            // As a single completion that failed: not counted done, the leases run out (no longer
            // renewed) and the events run again (their attempts are counted already); nothing is lost.
            log.warn("{} completion(s) from {} could not be committed ({}); their events stay claimed and run again"
                    + " once their leases run out", group.size(), group.get(0).claim().eventId(), e.toString());
            if (e instanceof VirtualMachineError fatal && !(fatal instanceof OutOfMemoryError)) {
                throw fatal;
            }
            return;
        }
        for (Waiting w : group) {
            try {
                w.onCommitted().accept(completed.contains(w.claim()) ? UpdateResult.APPLIED : UpdateResult.LEASE_LOST);
            } catch (RuntimeException e) {
                log.warn("reporting the completion of {} failed", w.claim().eventId(), e);
            }
        }
    }

    /**
     * Stops taking completions (a late {@link #submit} answers false), commits what waits, and returns
     * within {@code timeout}. Completions still waiting then (the store hangs) are no longer renewed:
     * their events run again once their leases run out.
     */
    public void close(Duration timeout) {
        lock.lock();
        try {
            closing = true;
            work.signalAll();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            if (committer.isAlive()) {
                committer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout.toNanos())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Waiting> left;
        lock.lock();
        try {
            left = new ArrayList<>(waiting);
            waiting.clear();
        } finally {
            lock.unlock();
        }
        for (Waiting w : left) {
            w.lease().close();
        }
        if (!left.isEmpty() || committer.isAlive()) {
            log.warn("inbox worker closed with {} completion(s) not committed; their events run again once their"
                    + " leases run out", left.size() + (committer.isAlive() ? " (and a group in flight)" : ""));
        }
    }

    /** {@link #close(Duration)} with 30 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
