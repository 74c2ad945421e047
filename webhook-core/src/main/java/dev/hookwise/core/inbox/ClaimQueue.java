package dev.hookwise.core.inbox;

import dev.hookwise.core.internal.ClaimedEvents;
import dev.hookwise.core.internal.LeaseKeeper;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.InboxStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link InboxWorker}'s queue of events claimed ahead of its handler threads, and the count of
 * the events those threads hold: the poller asks it how many to claim ({@link #awaitWanted}), the
 * threads {@link #take} from it and report when they {@link #finished} what they took. Queued claims
 * are held by the processor's {@link LeaseKeeper} (renewed with the running ones); a claim the
 * heartbeat finds lost leaves the queue, and one whose lease may have run out is given back rather
 * than started ({@link #startable}).
 *
 * <p>The worker's {@code closing} flag is shared: once it is set, {@link #take} hands out nothing more
 * (the worker gives the rest back with {@link #drainForClose}) and {@link #offer} refuses new claims.
 */
final class ClaimQueue {
    private static final Logger log = LoggerFactory.getLogger(InboxWorker.class);

    private final InboxStore store;
    private final AtomicBoolean closing;
    /** Most events per take: the transaction batch size. */
    private final int takeAtOnce;
    /** Most events claimed per poll. */
    private final int batchSize;
    /** Most events held at once, queued and running. */
    private final int capacity;
    /** The poller claims again once no more than this many events are queued. */
    private final int refillAt;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when events are queued, and on close. */
    private final Condition work = lock.newCondition();
    /** Signalled when a thread takes events or finishes them: the poller may claim again. */
    private final Condition room = lock.newCondition();
    /** Claimed events no thread has taken yet, oldest first. Guarded by {@link #lock}. */
    private final ArrayDeque<EventRecord> queue = new ArrayDeque<>();
    /** Events taken by handler threads and not finished. Guarded by {@link #lock}. */
    private int runningEvents;
    @SuppressWarnings("NullAway.Init") // set by holdWith(), which the worker's start() calls before any claim
    private LeaseKeeper.Prefetched held;

    ClaimQueue(InboxStore store, AtomicBoolean closing, int threads, int takeAtOnce, int batchSize, int prefetch) {
        this.store = store;
        this.closing = closing;
        this.takeAtOnce = takeAtOnce;
        this.batchSize = batchSize;
        this.capacity = threads * takeAtOnce + prefetch;
        this.refillAt = prefetch / 2;
    }

    /** Holds queued claims with {@code claimed}'s lease heartbeat, for the handler threads {@code servers}. */
    void holdWith(ClaimedEvents claimed, Collection<Thread> servers) {
        held = claimed.prefetched(servers, this::dropLost);
    }

    /**
     * Waits until events are wanted (the queue runs low and there is room): many events per claim while
     * the threads are busy, and at once when a thread frees up with nothing queued.
     *
     * @return how many events to claim, or 0 once the worker closes
     * @throws InterruptedException when interrupted (by {@code close()})
     */
    int awaitWanted() throws InterruptedException {
        lock.lock();
        try {
            int wanted;
            while ((wanted = wanted()) == 0 && !closing.get()) {
                room.await();
            }
            return closing.get() ? 0 : wanted;
        } finally {
            lock.unlock();
        }
    }

    /** How many events to claim now: none until the queue runs low, then up to the room left. Holding the lock. */
    private int wanted() {
        int queued = queue.size();
        if (queued > refillAt) {
            return 0;
        }
        return Math.max(0, Math.min(batchSize, capacity - queued - runningEvents));
    }

    /**
     * Queues events that one claim call, started at {@code claimedAt}, returned: their leases are held
     * by the heartbeat until a thread takes them. Once the worker closes they are given back instead.
     */
    void queueClaimed(List<EventRecord> batch, Instant claimedAt) {
        held.hold(batch.stream().map(ClaimToken::of).toList(), claimedAt);
        if (!offer(batch)) {
            giveBack(batch); // close() began meanwhile and has emptied the queue already
        }
    }

    /** Queues freshly claimed events for the threads; false (nothing queued) once the worker closes. */
    private boolean offer(List<EventRecord> claimed) {
        lock.lock();
        try {
            if (closing.get()) {
                return false;
            }
            queue.addAll(claimed);
            work.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next events for a handler thread (one, or up to a transaction batch), waiting for some; null once the worker closes. */
    @Nullable List<EventRecord> take() {
        lock.lock();
        try {
            while (queue.isEmpty() && !closing.get()) {
                try {
                    work.await();
                } catch (InterruptedException e) {
                    // Only close() ends a handler thread; an interrupt meant for a handler run is not for us.
                    if (closing.get()) {
                        return null;
                    }
                }
            }
            if (closing.get()) {
                return null;
            }
            int n = Math.min(queue.size(), takeAtOnce);
            List<EventRecord> taken = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                taken.add(queue.poll());
            }
            runningEvents += n;
            room.signal();
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** A handler thread is done with {@code n} events it took: room for the poller. */
    void finished(int n) {
        lock.lock();
        try {
            runningEvents -= n;
            room.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The taken events that may start: each stops being held here (a run renews it from now on);
     * those whose claim may no longer hold are given back instead.
     */
    List<EventRecord> startable(List<EventRecord> taken) {
        List<EventRecord> group = new ArrayList<>(taken.size());
        for (EventRecord record : taken) {
            if (held.take(ClaimToken.of(record))) {
                group.add(record);
            } else {
                log.info("{} not started: its lease was lost or may have run out while it waited in the queue"
                        + " (heartbeats failed or came late); given back", record.id());
                release(record);
            }
        }
        return group;
    }

    /** A queued claim the heartbeat found lost: it leaves the queue without running. */
    private void dropLost(ClaimToken claim) {
        boolean removed;
        lock.lock();
        try {
            removed = queue.removeIf(r -> r.id().equals(claim.eventId()) && ClaimToken.of(r).equals(claim));
            room.signal();
        } finally {
            lock.unlock();
        }
        if (removed) {
            log.warn("{}: claimed ahead, but its lease was lost before a thread took it (another worker took it over"
                    + " after it ran out); not run here", claim.eventId());
        }
    }

    /**
     * Once the worker is closing: empties the queue, waking every waiting thread, and gives what was
     * queued back to the inbox (one store call each).
     */
    void giveBackQueued() {
        giveBack(drainForClose());
    }

    /** Stops holding any claim (the worker closed). */
    void stopHolding() {
        held.close();
    }

    /** Gives claimed events that did not start back to the inbox at once. */
    private void giveBack(List<EventRecord> notStarted) {
        for (EventRecord record : notStarted) {
            held.drop(ClaimToken.of(record));
            release(record);
        }
    }

    /** Gives one claimed event back to the inbox at once; a failure leaves it to its lease. */
    void release(EventRecord record) {
        try {
            store.release(ClaimToken.of(record));
        } catch (RuntimeException e) {
            log.warn("{} could not be given back ({}); its lease will expire and another worker will take it",
                    record.id(), e.getMessage());
        }
    }

    private List<EventRecord> drainForClose() {
        lock.lock();
        try {
            List<EventRecord> notStarted = new ArrayList<>(queue);
            queue.clear();
            work.signalAll();
            room.signalAll();
            return notStarted;
        } finally {
            lock.unlock();
        }
    }

    /** Events queued now. */
    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
