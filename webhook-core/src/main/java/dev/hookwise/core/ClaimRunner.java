package dev.hookwise.core;

import dev.hookwise.core.internal.HandlerInvoker.Verdict;
import dev.hookwise.core.internal.HandlerInvoker;
import dev.hookwise.core.internal.LeaseKeeper;
import dev.hookwise.core.internal.StripeObjectFetcher;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.UpdateResult;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the handlers of a claimed event and turns their verdict into exactly one store call and one
 * outcome: the one place shared by the request path and the inbox worker.
 *
 * <ul>
 *   <li>A claim whose attempt already exceeds {@code maxAttempts} is marked dead without running:
 *       the runs before it crashed the process or timed out without a verdict.</li>
 *   <li>Success: {@code complete}. {@link PermanentWebhookFailure} or an unreadable payload:
 *       {@code markDead}. Anything else (any exception or {@link Error}, a handler timeout):
 *       {@code retryAt}, or {@code markDead} once the attempts are used up.</li>
 *   <li>A {@link VirtualMachineError} is recorded like any failure, then rethrown.</li>
 * </ul>
 *
 * <p>While the handlers run, the {@link LeaseKeeper} renews the claim and interrupts the run at the
 * handler timeout.
 */
final class ClaimRunner {
    private static final Logger log = LoggerFactory.getLogger(ClaimRunner.class);

    /** What a run recorded. */
    record Recorded(Outcome outcome, boolean dead, Duration elapsed) {}

    private final IdempotencyStore store;
    private final LeaseKeeper keeper;
    private final WebhookListener listener;
    private final Clock clock;
    private final @Nullable Duration handlerTimeout;
    private final @Nullable StripeObjectFetcher fetcher;

    ClaimRunner(IdempotencyStore store, LeaseKeeper keeper, WebhookListener listener, Clock clock,
            @Nullable Duration handlerTimeout, @Nullable StripeObjectFetcher fetcher) {
        this.store = store;
        this.keeper = keeper;
        this.listener = listener;
        this.clock = clock;
        this.handlerTimeout = handlerTimeout;
        this.fetcher = fetcher;
    }

    /**
     * Runs {@code handlers} for a claimed event and records the verdict under {@code claim}.
     *
     * @param retry in-process retry of transient failures (synchronous mode), or null
     * @param nextAttempt when a failed attempt number may run again
     */
    @SuppressWarnings("try") // run.close() inside the block on purpose: it is idempotent, and ends the timeout's interrupts
    Recorded run(ClaimToken claim, EventEnvelope envelope, EventSource source, List<WebhookHandler> handlers,
            @Nullable Retry retry, int maxAttempts, IntFunction<Instant> nextAttempt) {
        if (claim.attempt() > maxAttempts) {
            String reason = "not run again: crashed or timed out " + (claim.attempt() - 1) + " times without a verdict"
                    + " (maxAttempts " + maxAttempts + ")";
            log.warn("{} {}: {}", claim.eventId(), envelope.type(), reason);
            warnIfLost(claim, store.markDead(claim, reason));
            return notify(envelope.type(), new Recorded(Outcome.FAILED_PERMANENT, true, Duration.ZERO));
        }
        EventContext context = new EventContext(envelope, claim.attempt(), source, fetcher);
        HandlerInvoker.Result result;
        boolean interruptedByTimeout;
        try (LeaseKeeper.Run run = keeper.start(claim, envelope.type())) {
            result = HandlerInvoker.invoke(handlers, context, retry);
            run.close(); // no interrupt can arrive after this
            interruptedByTimeout = run.timedOut();
        }
        boolean timedOut = interruptedByTimeout && result.verdict() != Verdict.SUCCEEDED;
        // Recording must not fail because of an interrupt meant for the handler (a timeout, a pool
        // shutting down): clear it for the store call, restore it afterwards unless it was the timeout's.
        boolean interrupted = Thread.interrupted() && !interruptedByTimeout;
        try {
            Recorded recorded = record(claim, envelope.type(), result, timedOut, maxAttempts, nextAttempt);
            notify(envelope.type(), recorded);
            VirtualMachineError fatal = result.fatal();
            if (fatal != null) {
                throw fatal;
            }
            return recorded;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Recorded record(ClaimToken claim, String type, HandlerInvoker.Result result, boolean timedOut,
            int maxAttempts, IntFunction<Instant> nextAttempt) {
        String id = claim.eventId();
        switch (result.verdict()) {
            case SUCCEEDED -> {
                warnIfLost(claim, store.complete(claim, result.elapsed()));
                return new Recorded(Outcome.PROCESSED, false, result.elapsed());
            }
            case PERMANENT -> {
                log.warn("{} {} failed permanently: {}", id, type, result.describeFailure());
                warnIfLost(claim, store.markDead(claim, result.describeFailure()));
                return new Recorded(Outcome.FAILED_PERMANENT, true, result.elapsed());
            }
            default -> {
                Outcome outcome = result.verdict() == Verdict.RETRY_LATER ? Outcome.RETRY_LATER : Outcome.FAILED_TRANSIENT;
                String error = timedOut
                        ? "timed out after " + handlerTimeout + " (handlerTimeout) and was interrupted: " + result.describeFailure()
                        : result.describeFailure();
                if (claim.attempt() >= maxAttempts) {
                    log.warn("{} {} attempt {} failed, giving up (dead): {}", id, type, claim.attempt(), error);
                    warnIfLost(claim, store.markDead(claim, "gave up after " + claim.attempt() + " attempts: " + error));
                    return new Recorded(outcome, true, result.elapsed());
                }
                log.info("{} {} attempt {} failed: {}", id, type, claim.attempt(), error);
                warnIfLost(claim, store.retryAt(claim, error, nextAttempt.apply(claim.attempt())));
                return new Recorded(outcome, false, result.elapsed());
            }
        }
    }

    /** Records a claimed event that cannot run at all (no payload, unreadable payload) as dead. */
    void markUnrunnable(ClaimToken claim, String eventType, String reason) {
        log.warn("{}: {}", claim.eventId(), reason);
        warnIfLost(claim, store.markDead(claim, reason));
        notify(eventType, new Recorded(Outcome.FAILED_PERMANENT, true, Duration.ZERO));
    }

    /** Records a claimed event that is not to run (filtered, or no handler for its type). */
    void ignore(ClaimToken claim, String reason) {
        warnIfLost(claim, store.markIgnored(claim, reason));
    }

    private static void warnIfLost(ClaimToken claim, UpdateResult result) {
        if (result == UpdateResult.LEASE_LOST) {
            log.warn("{}: the verdict of attempt {} was not recorded: the claim was taken over (lease expired) or"
                    + " the event changed meanwhile; the newer claim's result stands", claim.eventId(), claim.attempt());
        }
    }

    private Recorded notify(String type, Recorded recorded) {
        try {
            listener.onHandled(type, recorded.outcome(), recorded.elapsed(), recorded.dead());
        } catch (RuntimeException e) {
            log.warn("a WebhookListener failed; the pipeline continues", e);
        }
        return recorded;
    }

    /** The instant a failed attempt may run again when the caller's redelivery decides (Stripe's, in sync mode). */
    IntFunction<Instant> now() {
        return attempt -> clock.instant();
    }
}
