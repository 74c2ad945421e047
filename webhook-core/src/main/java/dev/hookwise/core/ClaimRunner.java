package dev.hookwise.core;

import dev.hookwise.core.internal.CompletionGroups;
import dev.hookwise.core.internal.HandlerInvoker;
import dev.hookwise.core.internal.LeaseKeeper;
import dev.hookwise.core.internal.StripeObjectFetcher;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.TransactionalStore;
import dev.hookwise.core.spi.TransactionalStore.Verdict;
import dev.hookwise.core.spi.UpdateResult;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

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
 *
 * <p><b>Transactional events</b> (any handler a {@link TransactionalWebhookHandler}): the handlers
 * run inside a transaction of the {@link TransactionalStore}, which records the same verdict in that
 * transaction, fenced on the claim, so the handlers' writes commit with the completion or not at all
 * (a failure rolls them back and records only the failure; a lost claim rolls everything back).
 * With in-process retry (synchronous mode), each try is a transaction of its own: a transient failure
 * rolls the try back and records nothing, and only the last failure is recorded, in a fresh
 * transaction. The handler timeout applies to each try. {@link #runBatch} runs several claimed
 * events in one transaction (the inbox worker's transaction batches); a batch whose transaction fails
 * as a whole runs its events again one transaction each: everything of the batch was rolled back,
 * and the claims still hold.
 */
final class ClaimRunner {
    private static final Logger log = LoggerFactory.getLogger(ClaimRunner.class);

    /** What a run recorded; {@code awaitingCommit}: a success handed to a completion group, not yet written. */
    record Recorded(Outcome outcome, boolean dead, Duration elapsed, boolean awaitingCommit) {
        Recorded(Outcome outcome, boolean dead, Duration elapsed) {
            this(outcome, dead, elapsed, false);
        }
    }

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
     * @param groups where a plain run's success is completed (reported once its group commits), or null
     *     to complete it here
     */
    @SuppressWarnings("try") // run.close() inside the block on purpose: it is idempotent, and ends the timeout's interrupts
    Recorded run(ClaimToken claim, EventEnvelope envelope, EventSource source, List<WebhookHandler> handlers,
            @Nullable Retry retry, int maxAttempts, IntFunction<Instant> nextAttempt, @Nullable CompletionGroups groups) {
        if (claim.attempt() > maxAttempts) {
            String reason = "not run again: crashed or timed out " + (claim.attempt() - 1) + " times without a verdict"
                    + " (maxAttempts " + maxAttempts + ")";
            log.warn("{} {}: {}", claim.eventId(), envelope.type(), reason);
            warnIfLost(claim, store.markDead(claim, reason));
            return notify(envelope.type(), new Recorded(Outcome.FAILED_PERMANENT, true, Duration.ZERO));
        }
        if (HandlerRegistry.anyTransactional(handlers)) {
            return runInTransaction(claim, envelope, source, handlers, retry, maxAttempts, nextAttempt);
        }
        EventContext context = new EventContext(envelope, claim.attempt(), source, fetcher);
        HandlerInvoker.Result result;
        boolean interruptedByTimeout;
        try (LeaseKeeper.Run run = keeper.start(claim, envelope.type())) {
            result = HandlerInvoker.invoke(handlers, context, retry);
            run.close(); // no interrupt can arrive after this
            interruptedByTimeout = run.timedOut();
        }
        boolean timedOut = interruptedByTimeout && result.verdict() != HandlerInvoker.Verdict.SUCCEEDED;
        // Recording must not fail because of an interrupt meant for the handler (a timeout, a pool
        // shutting down): clear it for the store call, restore it afterwards unless it was the timeout's.
        boolean interrupted = Thread.interrupted() && !interruptedByTimeout;
        try {
            if (groups != null && result.verdict() == HandlerInvoker.Verdict.SUCCEEDED && result.fatal() == null
                    && completeInGroup(groups, claim, envelope.type(), result.elapsed())) {
                return new Recorded(Outcome.PROCESSED, false, result.elapsed(), true);
            }
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
        Decision decision = decide(claim, type, result, timedOut, maxAttempts, nextAttempt);
        warnIfLost(claim, apply(claim, decision.verdict()));
        return decision.recorded();
    }

    /** What a run's result means: the verdict for the store and the outcome to report. Logs failures. */
    private Decision decide(ClaimToken claim, String type, HandlerInvoker.Result result, boolean timedOut,
            int maxAttempts, IntFunction<Instant> nextAttempt) {
        String id = claim.eventId();
        switch (result.verdict()) {
            case SUCCEEDED -> {
                return new Decision(Verdict.complete(result.elapsed()),
                        new Recorded(Outcome.PROCESSED, false, result.elapsed()));
            }
            case PERMANENT -> {
                log.warn("{} {} failed permanently: {}", id, type, result.describeFailure());
                return new Decision(Verdict.dead(result.describeFailure()),
                        new Recorded(Outcome.FAILED_PERMANENT, true, result.elapsed()));
            }
            default -> {
                Outcome outcome = result.verdict() == HandlerInvoker.Verdict.RETRY_LATER ? Outcome.RETRY_LATER : Outcome.FAILED_TRANSIENT;
                String error = timedOut
                        ? "timed out after " + handlerTimeout + " (handlerTimeout) and was interrupted: " + result.describeFailure()
                        : result.describeFailure();
                if (claim.attempt() >= maxAttempts) {
                    log.warn("{} {} attempt {} failed, giving up (dead): {}", id, type, claim.attempt(), error);
                    return new Decision(Verdict.dead("gave up after " + claim.attempt() + " attempts: " + error),
                            new Recorded(outcome, true, result.elapsed()));
                }
                log.info("{} {} attempt {} failed: {}", id, type, claim.attempt(), error);
                return new Decision(Verdict.retryAt(error, nextAttempt.apply(claim.attempt())),
                        new Recorded(outcome, false, result.elapsed()));
            }
        }
    }

    /** Records {@code verdict} in a store call of its own. */
    private UpdateResult apply(ClaimToken claim, Verdict verdict) {
        return switch (verdict.kind()) {
            case COMPLETE -> store.complete(claim, verdict.processingTime());
            case RETRY_AT -> store.retryAt(claim, String.valueOf(verdict.error()), Objects.requireNonNull(verdict.nextAttemptAt()));
            case DEAD -> store.markDead(claim, String.valueOf(verdict.error()));
        };
    }

    /** Hands a plain run's success to its completion group: reported (listener, log) once the group commits. */
    private boolean completeInGroup(CompletionGroups groups, ClaimToken claim, String type, Duration elapsed) {
        Recorded recorded = new Recorded(Outcome.PROCESSED, false, elapsed);
        return groups.submit(claim, elapsed, stored -> {
            warnIfLost(claim, stored);
            notify(type, recorded);
            log.info("{} {} attempt {} -> {}", claim.eventId(), type, claim.attempt(), Outcome.PROCESSED.code());
        });
    }

    /** A verdict and the outcome it stands for. */
    private record Decision(Verdict verdict, Recorded recorded) {}

    // ---------------------------------------------------------------- transactional events

    /** One claimed event of a transactional batch, ready to run. */
    record Claimed(ClaimToken claim, EventEnvelope envelope, EventSource source, List<WebhookHandler> handlers) {}

    /** A single transactional event: one transaction per try. */
    private Recorded runInTransaction(ClaimToken claim, EventEnvelope envelope, EventSource source,
            List<WebhookHandler> handlers, @Nullable Retry retry, int maxAttempts, IntFunction<Instant> nextAttempt) {
        TransactionalStore transactional = transactionalStore();
        Claimed event = new Claimed(claim, envelope, source, handlers);
        Retry.Context<Object> tries = retry == null ? null : retry.context();
        while (true) {
            EventWork work = new EventWork(List.of(event), maxAttempts, nextAttempt, false, tries != null);
            UpdateResult stored;
            try {
                stored = transactional.runInTransaction(List.of(claim), work).get(0);
            } catch (Abandoned abandoned) {
                // The try was rolled back and recorded nothing: try again in a new transaction, or
                // record the failure in a fresh one once the retries are used up.
                work.restoreInterrupt(); // a pool shutting down must cut the retry's wait short
                if (tries != null && tryAgain(tries, abandoned.failure)) {
                    continue;
                }
                Recorded recorded = record(claim, envelope.type(), abandoned.result, false, maxAttempts, nextAttempt);
                return notify(envelope.type(), recorded);
            } finally {
                work.restoreInterrupt();
            }
            if (tries != null && stored == UpdateResult.APPLIED) {
                tries.onComplete();
            }
            Outcomes outcomes = work.outcomes(List.of(stored));
            notify(envelope.type(), outcomes.recorded().get(0));
            if (outcomes.fatal() != null) {
                throw outcomes.fatal();
            }
            return outcomes.recorded().get(0);
        }
    }

    /**
     * Runs claimed transactional events in one transaction of the store, each undone on its own when
     * it fails; one commit. Every event must have a transactional handler and an attempt within
     * {@code maxAttempts}. Should the transaction fail as a whole, nothing of it was applied, and
     * each event runs again in a transaction of its own.
     *
     * @return what each event recorded, in order; null where the verdict could not be recorded (the
     *     store is unreachable: the claim's lease will run out and the event run again)
     * @throws VirtualMachineError the first one a handler threw, once every verdict is recorded
     */
    List<@Nullable Recorded> runBatch(List<Claimed> events, int maxAttempts, IntFunction<Instant> nextAttempt) {
        if (events.size() == 1) {
            Claimed only = events.get(0);
            List<@Nullable Recorded> one = new ArrayList<>(1);
            one.add(run(only.claim(), only.envelope(), only.source(), only.handlers(), null, maxAttempts, nextAttempt, null));
            return one;
        }
        EventWork work = new EventWork(events, maxAttempts, nextAttempt, true, false);
        List<UpdateResult> stored;
        try {
            stored = transactionalStore().runInTransaction(events.stream().map(Claimed::claim).toList(), work);
        } catch (StoreUnavailableException e) {
            work.restoreInterrupt();
            log.warn("a transaction of {} events failed as a whole and was rolled back ({}); running each in a"
                    + " transaction of its own", events.size(), e.getMessage());
            return oneByOne(events, maxAttempts, nextAttempt);
        } finally {
            work.restoreInterrupt();
        }
        Outcomes outcomes = work.outcomes(stored);
        for (int i = 0; i < events.size(); i++) {
            notify(events.get(i).envelope().type(), outcomes.recorded().get(i));
        }
        if (outcomes.fatal() != null) {
            throw outcomes.fatal();
        }
        return new ArrayList<>(outcomes.recorded());
    }

    private List<@Nullable Recorded> oneByOne(List<Claimed> events, int maxAttempts, IntFunction<Instant> nextAttempt) {
        List<@Nullable Recorded> out = new ArrayList<>(events.size());
        VirtualMachineError fatal = null;
        for (Claimed event : events) {
            ClaimToken claim = event.claim();
            MDC.put(WebhookProcessor.MDC_EVENT_ID, claim.eventId());
            MDC.put(WebhookProcessor.MDC_EVENT_TYPE, event.envelope().type());
            try {
                out.add(run(claim, event.envelope(), event.source(), event.handlers(), null, maxAttempts, nextAttempt, null));
            } catch (StoreUnavailableException e) {
                log.warn("{} could not be recorded ({}); its lease will run out and it will run again",
                        claim.eventId(), e.getMessage());
                out.add(null);
            } catch (VirtualMachineError e) {
                out.add(null);
                if (fatal == null) {
                    fatal = e;
                }
            } finally {
                MDC.remove(WebhookProcessor.MDC_EVENT_ID);
                MDC.remove(WebhookProcessor.MDC_EVENT_TYPE);
            }
        }
        if (fatal != null) {
            throw fatal;
        }
        return out;
    }

    private TransactionalStore transactionalStore() {
        if (store instanceof TransactionalStore transactional) {
            return transactional;
        }
        // WebhookProcessor.Builder.build() refuses transactional handlers on any other store.
        throw new IllegalStateException("transactional handlers need a TransactionalStore, but the store is "
                + store.getClass().getName());
    }

    /** Whether the retry policy allows another try after {@code failure} (waiting its interval first). */
    private static boolean tryAgain(Retry.Context<Object> tries, Throwable failure) {
        if (!(failure instanceof Exception exception)) {
            return false;
        }
        try {
            tries.onError(exception);
            return true;
        } catch (Exception exhaustedOrNotRetryable) {
            return false;
        }
    }

    /** A try rolled back without a verdict, for an in-process retry. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient HandlerInvoker.Result result;
        final transient Throwable failure;

        Abandoned(HandlerInvoker.Result result) {
            super("rolled back for an in-process retry", null, false, false);
            this.result = result;
            this.failure = Objects.requireNonNull(result.failure());
        }
    }

    /** What a transaction recorded for each of its events, and the first fatal error a handler threw. */
    private record Outcomes(List<Recorded> recorded, @Nullable VirtualMachineError fatal) {}

    /** The core's side of {@link TransactionalStore#runInTransaction}: runs each event's handlers and decides. */
    private final class EventWork implements TransactionalStore.Work {
        private final List<Claimed> events;
        private final Map<ClaimToken, Claimed> byClaim = new HashMap<>();
        private final Map<ClaimToken, Decision> decisions = new HashMap<>();
        private final Map<ClaimToken, HandlerInvoker.Result> results = new HashMap<>();
        private final int maxAttempts;
        private final IntFunction<Instant> nextAttempt;
        private final boolean batch;
        private final boolean abandonTransient;
        private boolean interrupted;

        EventWork(List<Claimed> events, int maxAttempts, IntFunction<Instant> nextAttempt, boolean batch,
                boolean abandonTransient) {
            this.events = events;
            for (Claimed event : events) {
                byClaim.put(event.claim(), event);
            }
            this.maxAttempts = maxAttempts;
            this.nextAttempt = nextAttempt;
            this.batch = batch;
            this.abandonTransient = abandonTransient;
        }

        @Override
        public Verdict run(ClaimToken claim, StoreTransaction transaction) {
            Claimed event = event(claim);
            String type = event.envelope().type();
            EventContext context = new EventContext(event.envelope(), claim.attempt(), event.source(), fetcher);
            HandlerInvoker.Result result;
            boolean interruptedByTimeout;
            if (batch) {
                MDC.put(WebhookProcessor.MDC_EVENT_ID, claim.eventId());
                MDC.put(WebhookProcessor.MDC_EVENT_TYPE, type);
            }
            LeaseKeeper.Run run = keeper.start(claim, type);
            try {
                result = HandlerInvoker.invokeInTransaction(event.handlers(), context, transaction);
            } finally {
                run.close(); // no interrupt can arrive after this
                interruptedByTimeout = run.timedOut();
                if (batch) {
                    MDC.remove(WebhookProcessor.MDC_EVENT_ID);
                    MDC.remove(WebhookProcessor.MDC_EVENT_TYPE);
                }
            }
            if (batch) {
                // The store writes this event's row next and holds it until the batch commits: no
                // heartbeat may be in flight for it then (see LeaseKeeper).
                keeper.awaitHeartbeat();
            }
            // The store's statements follow in this thread: an interrupt meant for the handler must not
            // fail them. It is put back after the transaction unless it was the timeout's.
            if (Thread.interrupted() && !interruptedByTimeout) {
                interrupted = true;
            }
            boolean timedOut = interruptedByTimeout && result.verdict() != HandlerInvoker.Verdict.SUCCEEDED;
            results.put(claim, result);
            if (abandonTransient && !timedOut && result.verdict() == HandlerInvoker.Verdict.TRANSIENT
                    && result.failure() instanceof Exception) {
                throw new Abandoned(result);
            }
            Decision decision = decide(claim, type, result, timedOut, maxAttempts, nextAttempt);
            decisions.put(claim, decision);
            return decision.verdict();
        }

        @Override
        public Verdict completionFailed(ClaimToken claim, Exception failure) {
            Claimed event = event(claim);
            HandlerInvoker.Result handled = results.get(claim);
            Duration elapsed = handled == null ? Duration.ZERO : handled.elapsed();
            log.warn("{} {}: the database refused its completion ({}); its writes were rolled back", claim.eventId(),
                    event.envelope().type(), failure.toString());
            HandlerInvoker.Result failed = new HandlerInvoker.Result(HandlerInvoker.Verdict.TRANSIENT,
                    new IllegalStateException("the completion could not be written in the handlers' transaction: "
                            + failure, failure), elapsed);
            results.put(claim, failed);
            Decision decision = decide(claim, event.envelope().type(), failed, false, maxAttempts, nextAttempt);
            decisions.put(claim, decision);
            return decision.verdict();
        }

        private Claimed event(ClaimToken claim) {
            Claimed event = byClaim.get(claim);
            if (event == null) {
                throw new IllegalArgumentException("the store asked for a claim it was not given: " + claim);
            }
            return event;
        }

        /** After the transaction: what each event recorded, given what the store answered. */
        Outcomes outcomes(List<UpdateResult> stored) {
            List<Recorded> recorded = new ArrayList<>(events.size());
            VirtualMachineError fatal = null;
            for (int i = 0; i < events.size(); i++) {
                ClaimToken claim = events.get(i).claim();
                Decision decision = decisions.get(claim);
                if (decision == null) {
                    throw new IllegalStateException("the store committed " + claim.eventId() + " without running it");
                }
                if (stored.get(i) == UpdateResult.LEASE_LOST) {
                    log.warn("{}: attempt {} was rolled back with its writes: the claim was taken over (lease expired)"
                            + " or the event changed meanwhile; the newer claim's result stands", claim.eventId(),
                            claim.attempt());
                }
                recorded.add(decision.recorded());
                HandlerInvoker.Result result = results.get(claim);
                if (fatal == null && result != null) {
                    fatal = result.fatal();
                }
            }
            return new Outcomes(recorded, fatal);
        }

        /** Puts back an interrupt cleared for the store's statements, unless it was the handler timeout's. */
        void restoreInterrupt() {
            if (interrupted) {
                interrupted = false;
                Thread.currentThread().interrupt();
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
