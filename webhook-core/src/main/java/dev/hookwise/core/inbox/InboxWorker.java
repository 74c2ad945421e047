package dev.hookwise.core.inbox;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.TransactionalWebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.internal.Checks;
import dev.hookwise.core.internal.ClaimedEvents;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.TransactionalStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * except a {@link VirtualMachineError}, which is recorded first (the pool replaces the thread). A worker claims no more
 * events than it has idle threads, so claimed events do not wait out their lease in a queue.
 * When the store is unreachable the worker keeps polling at its poll interval (each poll is one
 * failed connection attempt, bounded by the pool's connection timeout), logs the outage when it
 * starts and every 30 s while it lasts, and resumes within a poll interval of the store coming back.
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
    private static final long OUTAGE_LOG_EVERY_NANOS = Duration.ofSeconds(30).toNanos();

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
    private final Semaphore idle;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger consecutiveOutages = new AtomicInteger();
    private volatile long outageLoggedAt;
    private final CountDownLatch closed = new CountDownLatch(1);
    @SuppressWarnings("NullAway.Init") // set by start(); used only by what start() starts, and by close() after it
    private ExecutorService poller;
    @SuppressWarnings("NullAway.Init") // likewise
    private ExecutorService pool;

    private InboxWorker(Builder b) {
        this.processor = b.processor;
        this.claimed = ClaimedEvents.of(b.processor);
        if (!(b.processor.store() instanceof InboxStore inbox)) {
            throw new HookwiseConfigurationException("an InboxWorker drains an inbox, but the processor's store "
                    + b.processor.store().getClass().getName() + " does not implement InboxStore");
        }
        this.store = inbox;
        this.threads = b.threads;
        this.pollInterval = b.pollInterval;
        this.batchSize = b.batchSize;
        this.transactionBatchSize = b.transactionBatchSize;
        this.maxAttempts = b.maxAttempts > 0 ? b.maxAttempts : b.processor.maxAttempts();
        this.backoff = b.backoff;
        this.shutdownTimeout = b.shutdownTimeout;
        this.idle = new Semaphore(b.threads);
    }

    public static Builder builder(WebhookProcessor processor) {
        return new Builder(processor);
    }

    /** Starts polling in the background. */
    public synchronized InboxWorker start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("worker already started");
        }
        pool = Executors.newFixedThreadPool(threads, named("hookwise-worker"));
        poller = Executors.newSingleThreadExecutor(named("hookwise-poller"));
        poller.execute(this::pollLoop);
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
                run(group);
            } catch (VirtualMachineError e) {
                for (EventRecord notStarted : batch.subList(i + group.size(), batch.size())) {
                    releaseQuietly(notStarted);
                }
                throw e;
            }
        }
        return batch.size();
    }

    /** Runs one thread's share of a claim: one event, or a transaction batch. */
    private void run(List<EventRecord> group) {
        if (transactionBatchSize == 1 || group.size() == 1) {
            for (EventRecord record : group) {
                claimed.runClaimed(record, maxAttempts, backoff.nextAttemptFrom(processor.clock()));
            }
        } else {
            claimed.runClaimedTogether(group, maxAttempts, backoff.nextAttemptFrom(processor.clock()));
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

    private void pollLoop() {
        while (!closing.get()) {
            int slots;
            try {
                // Wait for a free handler thread, then take every other free one too: claims never
                // outnumber the threads that will start them at once, and a busy pool is polled
                // again the moment a thread frees up rather than a poll interval later.
                idle.acquire();
                slots = 1 + idle.drainPermits();
            } catch (InterruptedException e) {
                return; // close()
            }
            if (closing.get()) {
                idle.release(slots);
                return;
            }
            Duration wait = Duration.ZERO;
            try {
                int wanted = (int) Math.min(batchSize, (long) slots * transactionBatchSize);
                Submitted submitted = claimAndSubmit(wanted, slots);
                int claimed = submitted.events();
                idle.release(slots - submitted.tasks());
                if (consecutiveOutages.getAndSet(0) > 0) {
                    log.info("event store reachable again; inbox worker resumes");
                }
                if (claimed < wanted) {
                    wait = pollInterval; // nothing more is due right now
                }
            } catch (StoreUnavailableException e) {
                idle.release(slots);
                int outages = consecutiveOutages.incrementAndGet();
                // Poll on at the usual pace: recovery is noticed within a poll interval of the store
                // accepting connections again (no growing backoff), while the log says it every 30 s.
                wait = pollInterval;
                long now = System.nanoTime();
                if (outages == 1 || now - outageLoggedAt >= OUTAGE_LOG_EVERY_NANOS) {
                    outageLoggedAt = now;
                    log.warn("inbox worker cannot reach the event store ({}); polling again every {} ms (failed polls: {})",
                            e.getMessage(), pollInterval.toMillis(), outages);
                }
            } catch (RuntimeException | LinkageError | AssertionError e) {
                // Nothing short of a VirtualMachineError stops the poller.
                idle.release(slots);
                wait = pollInterval;
                log.error("inbox worker poll failed; retrying in {}", pollInterval, e);
            }
            if (!wait.isZero() && !pause(wait)) {
                return;
            }
        }
    }

    /** Waits, or returns false at once when the worker is closing. */
    private boolean pause(Duration wait) {
        try {
            return !closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Claims up to {@code limit} events and hands them to at most {@code slots} threads: each event
     * to a thread of its own, or with transaction batches, in groups spread evenly over the threads.
     * Every task holds a permit until it ends.
     *
     * @return the events claimed, and the tasks (permits) they took
     */
    private Submitted claimAndSubmit(int limit, int slots) {
        String owner = claimed.newOwner();
        List<EventRecord> batch = store.claimDue(owner, processor.leaseDuration(), limit);
        List<List<EventRecord>> groups = split(batch, slots);
        for (List<EventRecord> group : groups) {
            Runnable task = () -> {
                try {
                    if (closing.get()) {
                        group.forEach(this::releaseQuietly); // not started: give them back at once
                    } else {
                        run(group);
                    }
                } catch (VirtualMachineError e) {
                    throw e; // recorded by the processor; the pool replaces this thread
                } catch (Throwable e) {
                    // The verdict could not be recorded: the lease expires and another attempt takes the
                    // event (its attempt is counted already); nothing is lost.
                    log.warn("{} could not be recorded: {}", group.size() == 1 ? group.get(0).id()
                            : group.size() + " events from " + group.get(0).id(), e.toString());
                } finally {
                    idle.release();
                }
            };
            try {
                pool.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                group.forEach(this::releaseQuietly); // the pool is stopping: give the events back now
                idle.release();
            }
        }
        return new Submitted(batch.size(), groups.size());
    }

    /** What one poll claimed, and how many handler threads (permits) it took. */
    private record Submitted(int events, int tasks) {}

    /**
     * One group per event, or with transaction batches the events spread evenly over up to
     * {@code slots} groups (at most {@code transactionBatchSize} each, since no more than
     * {@code slots × transactionBatchSize} were claimed).
     */
    private List<List<EventRecord>> split(List<EventRecord> batch, int slots) {
        List<List<EventRecord>> groups = new ArrayList<>();
        if (transactionBatchSize == 1) {
            for (EventRecord record : batch) {
                groups.add(List.of(record));
            }
            return groups;
        }
        int n = Math.min(slots, batch.size());
        int from = 0;
        for (int g = 0; g < n; g++) {
            int size = batch.size() / n + (g < batch.size() % n ? 1 : 0);
            groups.add(List.copyOf(batch.subList(from, from + size)));
            from += size;
        }
        return groups;
    }

    private void releaseQuietly(EventRecord record) {
        try {
            store.release(ClaimToken.of(record));
        } catch (RuntimeException e) {
            log.warn("{} could not be given back ({}); its lease will expire and another worker will take it",
                    record.id(), e.getMessage());
        }
    }

    /** Whether the background loop runs. */
    public boolean isRunning() {
        return running.get() && !closing.get();
    }

    /**
     * Stops claiming, lets running events finish, and releases claimed events that had not started;
     * returns within the shutdown timeout in total. Events still running then are interrupted; their
     * leases, no longer renewed once they return, let another worker take them.
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
            // The poller may be inside a claim: let it hand what it claimed to the pool (where each
            // task sees `closing` and releases its event) before the pool stops taking tasks.
            poller.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
            pool.shutdown();
            if (!pool.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                log.warn("inbox worker: events still running after {}; their leases will expire and another"
                        + " worker will take them", shutdownTimeout);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
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

        private Builder(WebhookProcessor processor) {
            this.processor = Objects.requireNonNull(processor, "processor");
        }

        /** Handler threads; at least 1. */
        public Builder threads(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("worker threads must be >= 1, but was " + value);
            }
            this.threads = value;
            return this;
        }

        /** Wait between polls that found nothing; positive. */
        public Builder pollInterval(Duration value) {
            this.pollInterval = Checks.positive(value, "pollInterval");
            return this;
        }

        /** Most events claimed per poll; at least 1. */
        public Builder batchSize(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("batchSize must be >= 1, but was " + value);
            }
            this.batchSize = value;
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
            if (value < 1 || value > MAX_TRANSACTION_BATCH_SIZE) {
                throw new HookwiseConfigurationException("transactionBatchSize must be between 1 and "
                        + MAX_TRANSACTION_BATCH_SIZE + ", but was " + value);
            }
            this.transactionBatchSize = value;
            return this;
        }

        /** Attempts before an event is dead; at least 1 (default: the processor's {@code maxAttempts}). */
        public Builder maxAttempts(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("maxAttempts must be >= 1, but was " + value);
            }
            this.maxAttempts = value;
            return this;
        }

        /** Wait between attempts of a failing event. */
        public Builder backoff(Backoff value) {
            this.backoff = Objects.requireNonNull(value, "backoff");
            return this;
        }

        /** How long {@link #close()} lets running events finish. */
        public Builder shutdownTimeout(Duration value) {
            Objects.requireNonNull(value, "shutdownTimeout");
            if (value.isNegative()) {
                throw new HookwiseConfigurationException("shutdownTimeout must not be negative, but was " + value);
            }
            this.shutdownTimeout = value;
            return this;
        }

        public InboxWorker build() {
            if (transactionBatchSize > 1 && !(processor.store() instanceof TransactionalStore)) {
                throw new HookwiseConfigurationException("transactionBatchSize(" + transactionBatchSize + ") runs"
                        + " transactional handlers' events in one transaction of the store, but the processor's store "
                        + processor.store().getClass().getSimpleName() + " does not implement TransactionalStore:"
                        + " use JdbcIdempotencyStore from webhook-jdbc, or leave transactionBatchSize at 1");
            }
            if (transactionBatchSize > 1 && !processor.handlers().hasTransactionalHandlers()) {
                log.info("transactionBatchSize({}) has no effect: no transactional handler is registered",
                        transactionBatchSize);
            }
            if (processor.mode() != ProcessingMode.ASYNC) {
                log.info("an InboxWorker on a synchronous processor only drains events left FAILED or QUEUED");
            }
            return new InboxWorker(this);
        }
    }
}
