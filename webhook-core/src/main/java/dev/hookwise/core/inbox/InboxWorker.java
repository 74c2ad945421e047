package dev.hookwise.core.inbox;

import dev.hookwise.core.TransactionalWebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.internal.Checks;
import dev.hookwise.core.internal.ClaimedEvents;
import dev.hookwise.core.internal.CompletionGroups;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.TransactionalStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the inbox of an asynchronous {@link WebhookProcessor}: claims due events from the store
 * under a lease, runs their handlers, and reschedules failures with exponential backoff until
 * {@code maxAttempts}, after which the event is dead (kept, replayable).
 *
 * <p>Several workers, in one process or many, share one store safely: the store's
 * {@link InboxStore#claimDue} never hands one event to two of them. While a handler runs its lease
 * is renewed (see {@link WebhookProcessor.Builder#leaseDuration}), so a slow handler is never taken
 * over; a hung one is interrupted at the processor's {@code handlerTimeout} and costs at most its
 * thread, while the other threads go on claiming. Nothing a handler throws ends a worker thread
 * except a {@link VirtualMachineError}, which is recorded first (the pool replaces the thread).
 *
 * <p><b>Claiming ahead.</b> One poller thread claims due events in one store call (one statement on
 * PostgreSQL) and keeps them in a bounded queue that the handler threads take from; it claims again
 * when the queue runs low (half of {@link Builder#prefetch(int)} or less), not only when a thread is
 * idle, so a busy worker pays one claim for many events rather than one per event. Queued events
 * keep their leases: the processor's lease heartbeat renews them with the running ones, in the same
 * statement, and drops from the queue any that it finds lost (taken over by another worker after
 * the lease ran out); an event whose lease may be running out by the processor's clock (renewals
 * failed) is given back rather than started. With {@code prefetch(0)} the worker claims no more events
 * than its threads can start at once. Queued events count as {@code PROCESSING} in the store, not
 * in its backlog.
 *
 * <p>When the store is unreachable the worker keeps polling at its poll interval (each poll is one
 * failed connection attempt, bounded by the pool's connection timeout), logs the outage when it
 * starts and every 30 s while it lasts, and resumes within a poll interval of the store coming back.
 *
 * <p><b>Completion group commit.</b> When plain (non-transactional) handlers succeed, the handler
 * thread hands the event's completion to the worker's committer thread and takes its next event; the
 * committer writes everything waiting, up to {@link Builder#completionGroupSize(int)} completions,
 * with one {@link dev.hookwise.core.spi.IdempotencyStore#completeAll} call (on JDBC one transaction,
 * one commit, so one disk flush for many events), then reports each. There is no timer: an idle
 * worker commits a lone completion at once, a busy one many per commit. Each completion stays
 * fenced on its own claim (a claim lost meanwhile completes nothing, the others commit), and an
 * event counts as done (its listener hears "processed", the log says so) only once its group has
 * committed; until then its lease is renewed with the others. A crash before that commit leaves the
 * event processing under its lease, so it runs again after it, as after a crash during its handlers
 * (so a crash re-runs more plain-handler events than without groups: those running and those waiting
 * for their group; {@code completionGroupSize(1)} trades the throughput back for that);
 * a group that fails (the store is down) is logged and its events run again once their leases run
 * out, as after a failed single completion. {@code close()} commits what waits. The run's trace
 * observation ends when the handlers return. {@link #drainOnce()} and transactional handlers complete
 * each event in its own (or its batch's) transaction, as before.
 *
 * <p><b>Transaction batches.</b> With {@link Builder#transactionBatchSize(int)} above one, the events
 * a handler thread takes at once (up to that many) that have a {@link TransactionalWebhookHandler}
 * run in one transaction of the {@link TransactionalStore}: each in a savepoint, its handlers, its
 * fenced completion; an event that fails (or whose claim was taken over) is rolled back to its
 * savepoint and its failure recorded in the same transaction, without disturbing the others; one
 * commit for all. Each event was claimed (its attempt counted) before the batch started, so a crash
 * loop still ends at {@code maxAttempts}. If the transaction fails as a whole, nothing of it was
 * applied and its events run again, one transaction each. Events without a transactional handler
 * in such a group run one by one on the same thread.
 *
 * <pre>{@code
 * try (InboxWorker worker = InboxWorker.builder(processor).threads(4).build().start()) {
 *     ... // the application runs
 * }   // close(): stop claiming, finish what runs (up to shutdownTimeout), release the rest
 * }</pre>
 */
public final class InboxWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InboxWorker.class);
    private static final long MIN_COMPLETION_FLUSH_NANOS = Duration.ofSeconds(5).toNanos();

    public static final int DEFAULT_THREADS = 2;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_BATCH_SIZE = 20;
    public static final int DEFAULT_MAX_ATTEMPTS = WebhookProcessor.DEFAULT_MAX_ATTEMPTS;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** Events per transaction unless {@link Builder#transactionBatchSize(int)} says otherwise: one. */
    public static final int DEFAULT_TRANSACTION_BATCH_SIZE = 1;
    /**
     * Most events in one transaction. PostgreSQL keeps the savepoints (subtransactions) of a running
     * transaction in a per-session cache of 64; beyond that every other session's snapshots slow down
     * until the transaction ends.
     */
    public static final int MAX_TRANSACTION_BATCH_SIZE = 64;
    /**
     * Events claimed ahead of the threads unless {@link Builder#prefetch(int)} says otherwise: the
     * queue is refilled at 16, so a busy worker's claims (one commit each on PostgreSQL) take 16 events
     * or more, up to the batch size.
     */
    public static final int DEFAULT_PREFETCH = 32;
    /** Most events a worker claims ahead of its threads. */
    public static final int MAX_PREFETCH = 1000;
    /**
     * Most completions per group commit unless {@link Builder#completionGroupSize(int)} says otherwise;
     * also the most it allows.
     */
    public static final int DEFAULT_COMPLETION_GROUP_SIZE = 64;

    private final WebhookProcessor processor;
    private final ClaimedEvents claimed;
    private final InboxStore store;
    private final int threads;
    private final Duration pollInterval;
    private final int batchSize;
    private final int transactionBatchSize;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration shutdownTimeout;
    private final int completionGroupSize;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Claimed events waiting for a handler thread, and the count of those running. */
    private final ClaimQueue queue;
    /** The handler threads serving the queue now. */
    private final Set<Thread> servers = ConcurrentHashMap.newKeySet();
    @SuppressWarnings("NullAway.Init") // set by start(); used only by what start() starts, and by close() after it
    private ExecutorService poller;
    @SuppressWarnings("NullAway.Init") // likewise
    private ExecutorService pool;
    /** The committer of plain handlers' completions, from start() on; null with completionGroupSize(1). */
    private volatile @Nullable CompletionGroups groups;

    private InboxWorker(Builder b) {
        this.processor = b.processor;
        this.claimed = ClaimedEvents.of(b.processor);
        this.store = WorkerChecks.inboxOf(b.processor);
        this.threads = b.threads;
        this.pollInterval = b.pollInterval;
        this.batchSize = b.batchSize;
        this.transactionBatchSize = b.transactionBatchSize;
        this.maxAttempts = b.maxAttempts > 0 ? b.maxAttempts : b.processor.maxAttempts();
        this.backoff = b.backoff;
        this.shutdownTimeout = b.shutdownTimeout;
        this.completionGroupSize = b.completionGroupSize;
        this.queue = new ClaimQueue(store, closing, b.threads, b.transactionBatchSize, b.batchSize, b.prefetch);
    }

    public static Builder builder(WebhookProcessor processor) {
        return new Builder(processor);
    }

    /** Starts polling in the background. */
    public synchronized InboxWorker start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("worker already started");
        }
        if (completionGroupSize > 1) {
            groups = claimed.completionGroups(completionGroupSize).start();
        }
        pool = Executors.newFixedThreadPool(threads, named("hookwise-worker"));
        queue.holdWith(claimed, servers);
        for (int i = 0; i < threads; i++) {
            pool.execute(this::serve);
        }
        poller = Executors.newSingleThreadExecutor(named("hookwise-poller"));
        poller.execute(new ClaimPoller(queue, closing, closed, pollInterval, this::claimIntoQueue));
        return this;
    }

    /**
     * Claims one batch and processes it in the calling thread; for tests, scripts and schedulers
     * that drive the worker themselves.
     *
     * @return how many events were claimed and processed
     * @throws StoreUnavailableException when the store cannot be reached
     * @throws VirtualMachineError when a handler threw one (recorded first; the rest of the batch is
     *     given back to the inbox)
     */
    public int drainOnce() {
        String owner = claimed.newOwner();
        List<EventRecord> batch = store.claimDue(owner, processor.leaseDuration(), batchSize);
        for (int i = 0; i < batch.size(); i += transactionBatchSize) {
            List<EventRecord> group = batch.subList(i, Math.min(batch.size(), i + transactionBatchSize));
            try {
                run(group, null);
            } catch (VirtualMachineError e) {
                for (EventRecord notStarted : batch.subList(i + group.size(), batch.size())) {
                    queue.release(notStarted);
                }
                throw e;
            }
        }
        return batch.size();
    }

    /** Runs one thread's share of a claim: one event, or a transaction batch; plain successes completed by {@code completions} if given. */
    private void run(List<EventRecord> group, @Nullable CompletionGroups completions) {
        if (transactionBatchSize == 1 || group.size() == 1) {
            for (EventRecord record : group) {
                claimed.runClaimed(record, maxAttempts, backoff.nextAttemptFrom(processor.clock()), completions);
            }
        } else {
            claimed.runClaimedTogether(group, maxAttempts, backoff.nextAttemptFrom(processor.clock()), completions);
        }
    }

    /** Drains until a batch comes back empty; returns the number of events processed. Bounded by {@code maxBatches}. */
    public int drainAll(int maxBatches) {
        int total = 0;
        for (int i = 0; i < maxBatches; i++) {
            int n = drainOnce();
            total += n;
            if (n == 0) {
                break;
            }
        }
        return total;
    }

    /**
     * Claims up to {@code limit} events in one store call and queues them for the handler threads,
     * their leases held by the processor's heartbeat until a thread takes them.
     *
     * @return how many were claimed
     */
    private int claimIntoQueue(int limit) {
        String owner = claimed.newOwner();
        Instant claimedAt = processor.clock().instant();
        List<EventRecord> batch = store.claimDue(owner, processor.leaseDuration(), limit);
        if (batch.isEmpty()) {
            return 0;
        }
        queue.queueClaimed(batch, claimedAt);
        return batch.size();
    }

    /**
     * One handler thread: takes events from the queue (one, or up to a transaction batch) and runs
     * them until the worker closes. A {@link VirtualMachineError} ends the thread (the processor
     * recorded it first); another takes its place.
     */
    private void serve() {
        Thread self = Thread.currentThread();
        servers.add(self);
        try {
            List<EventRecord> taken;
            while ((taken = queue.take()) != null) {
                try {
                    runTaken(taken);
                } finally {
                    queue.finished(taken.size());
                }
            }
        } catch (VirtualMachineError e) {
            if (!closing.get()) {
                try {
                    pool.execute(this::serve); // the pool starts a thread for it in place of this one
                } catch (RejectedExecutionException stopping) {
                    // close() began meanwhile: no replacement needed
                }
            }
            throw e;
        } finally {
            servers.remove(self);
        }
    }

    /** Runs events taken from the queue, except those whose claim may no longer hold (given back instead). */
    private void runTaken(List<EventRecord> taken) {
        List<EventRecord> group = queue.startable(taken);
        if (group.isEmpty()) {
            return;
        }
        try {
            run(group, groups);
        } catch (VirtualMachineError e) {
            throw e; // recorded by the processor; the thread ends and another takes its place
        } catch (Throwable e) {
            // The verdict could not be recorded: the lease expires and another attempt takes the
            // event (its attempt is counted already); nothing is lost.
            log.warn("{} could not be recorded: {}", group.size() == 1 ? group.get(0).id()
                    : group.size() + " events from " + group.get(0).id(), e.toString());
        }
    }

    /** Whether the background loop runs. */
    public boolean isRunning() {
        return running.get() && !closing.get();
    }

    /**
     * Events claimed ahead and waiting in this worker's queue for a handler thread (they hold leases).
     *
     * @since 0.2.0
     */
    public int queuedEvents() {
        return queue.size();
    }

    /**
     * Stops claiming, releases the queued events that had not started (one store call each: they are
     * due again at once, for any worker, their attempt not counted), lets running events finish, and
     * returns within the shutdown timeout in total. Events still running then are interrupted; their
     * leases, no longer renewed once they return, let another worker take them. A queued event that
     * cannot be released (the store is down) is left to its lease, which is no longer renewed. Then the
     * completions waiting for their group commit are committed (within what is left of the timeout,
     * and at least 5 s); any that cannot be are left to their leases, and their events run again.
     */
    @Override
    public synchronized void close() {
        if (!running.get() || !closing.compareAndSet(false, true)) {
            return;
        }
        closed.countDown();
        poller.shutdownNow();
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        try {
            // The poller may be inside a claim: let it queue what it claimed (or give it back itself
            // once it sees `closing`) before the queue is emptied.
            poller.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
            queue.giveBackQueued();
            pool.shutdown();
            if (!pool.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                log.warn("inbox worker: events still running after {}; their leases will expire and another"
                        + " worker will take them", shutdownTimeout);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        } finally {
            CompletionGroups completions = groups;
            if (completions != null) {
                // Finished events' completions are worth the wait of one commit even past the timeout.
                completions.close(Duration.ofNanos(Math.max(remaining(deadline), MIN_COMPLETION_FLUSH_NANOS)));
            }
            queue.stopHolding();
        }
    }

    private static long remaining(long deadlineNanos) {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Builder for {@link InboxWorker}. */
    public static final class Builder {
        private final WebhookProcessor processor;
        private int threads = DEFAULT_THREADS;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int transactionBatchSize = DEFAULT_TRANSACTION_BATCH_SIZE;
        private int maxAttempts; // 0: the processor's
        private Backoff backoff = Backoff.defaults();
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private int prefetch = DEFAULT_PREFETCH;
        private int completionGroupSize = DEFAULT_COMPLETION_GROUP_SIZE;

        private Builder(WebhookProcessor processor) {
            this.processor = Objects.requireNonNull(processor, "processor");
        }

        /** Handler threads; at least 1. */
        public Builder threads(int value) {
            this.threads = WorkerChecks.atLeastOne("worker threads", value);
            return this;
        }

        /** Wait between polls that found nothing; positive. */
        public Builder pollInterval(Duration value) {
            this.pollInterval = Checks.positive(value, "pollInterval");
            return this;
        }

        /** Most events claimed per poll; at least 1. */
        public Builder batchSize(int value) {
            this.batchSize = WorkerChecks.atLeastOne("batchSize", value);
            return this;
        }

        /**
         * Most events with a {@link TransactionalWebhookHandler} that one handler thread runs in one
         * transaction, from 1 (the default: a transaction per event) to
         * {@value #MAX_TRANSACTION_BATCH_SIZE}. Above one, the processor's store must be a
         * {@link TransactionalStore}; a poll then claims up to {@code threads × transactionBatchSize}
         * events, never more than {@link #batchSize(int)}, so raise that too (e.g. 4 threads, 25
         * events per transaction, batch size 100). One commit then covers many events, which is what
         * lifts the drain rate on a database where a commit is a disk flush; a failing event is
         * undone on its own (see {@link InboxWorker}). Each thread holds a database connection for its
         * whole transaction: give the pool at least {@code threads + 2} connections, so that claims
         * and lease heartbeats find one meanwhile.
         *
         * @since 0.2.0
         */
        public Builder transactionBatchSize(int value) {
            this.transactionBatchSize = WorkerChecks.between("transactionBatchSize", value, 1,
                    MAX_TRANSACTION_BATCH_SIZE);
            return this;
        }

        /**
         * Most events claimed ahead of the handler threads and queued for them, from 0 to
         * {@value #MAX_PREFETCH} (default {@value #DEFAULT_PREFETCH}). The poller claims again when
         * half of that or less is queued, up to {@link #batchSize(int)} events per claim, so a busy
         * worker pays one claim for many events; queued events keep their leases through the lease
         * heartbeat (one statement for all) and are given back when the worker closes. 0 claims only
         * what the threads can start at once (one claim per one or two events on a busy worker).
         * Higher values hold more events away from other instances sharing the inbox.
         *
         * @since 0.2.0
         */
        public Builder prefetch(int value) {
            this.prefetch = WorkerChecks.between("prefetch", value, 0, MAX_PREFETCH);
            return this;
        }

        /**
         * Most completions of plain handlers written together by the completion group commit, from 1
         * to {@value #DEFAULT_COMPLETION_GROUP_SIZE} (the default). 1 turns the group commit off: each
         * handler thread then completes its event in a store call of its own (one commit each) before
         * taking the next. See {@link InboxWorker} for what a group commit keeps.
         *
         * @since 0.2.0
         */
        public Builder completionGroupSize(int value) {
            this.completionGroupSize = WorkerChecks.between("completionGroupSize", value, 1,
                    DEFAULT_COMPLETION_GROUP_SIZE);
            return this;
        }

        /** Attempts before an event is dead; at least 1 (default: the processor's {@code maxAttempts}). */
        public Builder maxAttempts(int value) {
            this.maxAttempts = WorkerChecks.atLeastOne("maxAttempts", value);
            return this;
        }

        /** Wait between attempts of a failing event. */
        public Builder backoff(Backoff value) {
            this.backoff = Objects.requireNonNull(value, "backoff");
            return this;
        }

        /** How long {@link #close()} lets running events finish. */
        public Builder shutdownTimeout(Duration value) {
            this.shutdownTimeout = WorkerChecks.notNegative("shutdownTimeout", value);
            return this;
        }

        public InboxWorker build() {
            WorkerChecks.checkBuild(processor, transactionBatchSize);
            return new InboxWorker(this);
        }
    }
}
