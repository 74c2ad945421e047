package dev.hookwise.core.inbox;

import dev.hookwise.core.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link InboxWorker}'s poller thread: claims when its {@link ClaimQueue} runs low, waits a poll
 * interval when nothing more is due, and rides out a store outage at the usual pace.
 *
 * <p>When the store is unreachable it keeps polling at its poll interval (each poll is one failed
 * connection attempt, bounded by the pool's connection timeout), logs the outage when it starts and
 * every 30 s while it lasts, and resumes within a poll interval of the store coming back. Nothing
 * short of a {@link VirtualMachineError} ends it before the worker closes.
 */
final class ClaimPoller implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(InboxWorker.class);
    private static final long OUTAGE_LOG_EVERY_NANOS = Duration.ofSeconds(30).toNanos();

    private final ClaimQueue queue;
    private final AtomicBoolean closing;
    private final CountDownLatch closed;
    private final Duration pollInterval;
    /** Claims up to the given number of events into the queue; returns how many it claimed. */
    private final IntUnaryOperator claimInto;
    private final AtomicInteger consecutiveOutages = new AtomicInteger();
    private volatile long outageLoggedAt;

    ClaimPoller(ClaimQueue queue, AtomicBoolean closing, CountDownLatch closed, Duration pollInterval,
            IntUnaryOperator claimInto) {
        this.queue = queue;
        this.closing = closing;
        this.closed = closed;
        this.pollInterval = pollInterval;
        this.claimInto = claimInto;
    }

    @Override
    public void run() {
        while (!closing.get()) {
            int wanted;
            try {
                wanted = queue.awaitWanted();
            } catch (InterruptedException e) {
                return; // close()
            }
            if (wanted == 0 || closing.get()) {
                return;
            }
            Duration wait = Duration.ZERO;
            try {
                int claimed = claimInto.applyAsInt(wanted);
                if (consecutiveOutages.getAndSet(0) > 0) {
                    log.info("event store reachable again; inbox worker resumes");
                }
                if (claimed < wanted) {
                    wait = pollInterval; // nothing more is due right now
                }
            } catch (StoreUnavailableException e) {
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
}
