package dev.hookwise.core;

import dev.hookwise.core.internal.LeaseKeeper;
import dev.hookwise.core.internal.LoadShedder;
import dev.hookwise.core.internal.StripeObjectFetcher;
import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.TransactionalStore;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The whole webhook pipeline, HTTP-neutral: one call per delivery, one typed answer.
 *
 * <pre>
 * raw body + Stripe-Signature (+ peer address)
 *   → source address allow-list (optional)   403 forbidden_source
 *   → size limit                             413 payload_too_large
 *   → signature and timestamp                400 signature_*
 *   → envelope (id, type, created, …)        400 malformed_event
 *   → event filter                           200 ignored_livemode | ignored_account | ignored_type
 *   → event age policy                       200 skipped_stale (recorded)
 *   → handlers registered for the type?      200 ignored (recorded)
 *   → backpressure                           503 overloaded + Retry-After
 *   → ASYNC: into the inbox                  200 queued | 200 duplicate
 *   → SYNC:  idempotency claim               200 duplicate | 409 in_progress | 200 scheduled
 *            attempt beyond maxAttempts        200 failed_permanent (recorded dead, not run: earlier runs
 *                                                 crashed or timed out)
 *            handlers, with in-process retry 200 processed
 *              (lease renewed while they run; interrupted at handlerTimeout)
 *              PermanentWebhookFailure        200 failed_permanent (recorded dead, replayable)
 *              RetryLaterException            422 retry_later (recorded failed; Stripe redelivers)
 *              still failing after retries    500 failed_transient (recorded failed; Stripe redelivers)
 *              failing on the last attempt    200 failed_permanent (recorded dead, replayable)
 *   → store unreachable at any step          503 store_unavailable + Retry-After
 * </pre>
 *
 * <p>Failures: any {@link Throwable} a handler throws is recorded as a failed attempt (a
 * {@link VirtualMachineError} is recorded, then rethrown). Attempts are counted when an event is
 * claimed, so runs that crash the process or hang past {@code handlerTimeout} count too, and an
 * event claimed beyond {@code maxAttempts} is dead without running again.
 *
 * <p>Nothing answered 2xx is lost: it was processed, or it is in the store as queued, ignored,
 * skipped or dead and can be replayed. Handler effects happen once per event under normal
 * operation; after a crash between a handler's effect and the store's record, a later attempt runs
 * the handler again, so effects should be idempotent (a unique key, a conditional update). A
 * {@link TransactionalWebhookHandler} on a {@link TransactionalStore} (the JDBC store) avoids that for
 * writes to the event log's database: they commit in the transaction that completes the event, so
 * their effects happen exactly once.
 *
 * <pre>{@code
 * WebhookProcessor processor = WebhookProcessor.builder()
 *         .signingSecrets(System.getenv("STRIPE_WEBHOOK_SECRET"))
 *         .handlers(HandlerRegistry.builder()
 *                 .on("checkout.session.completed", Session.class, (s, ctx) -> fulfil(s))
 *                 .build())
 *         .build();
 * WebhookResponse answer = processor.process(WebhookRequest.of(body, signatureHeader));
 * }</pre>
 *
 * <p>Observation: with {@link Builder#observationRegistry} the pipeline reports Micrometer
 * observations around each delivery, each enqueue and each handler run (names and key values in
 * {@link dev.hookwise.core.metrics.WebhookObservations}); in asynchronous mode the delivery's trace
 * context is stored with the event and the worker's run continues that trace.
 *
 * <p>Immutable and thread-safe; one instance serves every request of an endpoint.
 */
public final class WebhookProcessor {
    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);

    /** Default lease of a claim; it must outlast every in-process retry. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
    /** Default {@code Retry-After} sent with 503 answers. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);
    /** Default number of attempts (claims) an event gets before it is dead. */
    public static final int DEFAULT_MAX_ATTEMPTS = 8;

    static final String MDC_EVENT_ID = "stripe_event_id";
    static final String MDC_EVENT_TYPE = "stripe_event_type";

    private final SignatureVerifier verifier;
    private final IdempotencyStore store;
    private final HandlerRegistry handlers;
    private final EventFilter filter;
    private final SourceAddressFilter sourceFilter;
    private final EventAgePolicy agePolicy;
    private final ProcessingMode mode;
    private final Retry retry;
    private final Duration leaseDuration;
    private final Duration retryAfter;
    private final boolean keepPayloads;
    private final WebhookListener listener;
    private final LoadShedder loadShedder;
    private final Clock clock;
    private final int maxAttempts;
    private final @Nullable Duration handlerTimeout;
    private final LeaseKeeper leaseKeeper;
    private final ClaimRunner runner;
    private final PipelineObservations observations;
    private final String ownerPrefix;
    private final AtomicLong claims = new AtomicLong();

    private WebhookProcessor(Builder b, SignatureVerifier verifier) {
        this.verifier = verifier;
        this.store = b.store != null ? b.store : InMemoryIdempotencyStore.create(b.clock);
        this.handlers = b.handlers;
        this.filter = b.filter;
        this.sourceFilter = b.sourceFilter;
        this.agePolicy = b.agePolicy;
        this.mode = b.mode;
        this.retry = Retry.of("hookwise", b.retryPolicy.toRetryConfig());
        this.leaseDuration = b.leaseDuration;
        this.retryAfter = b.retryAfter;
        this.keepPayloads = b.keepPayloads;
        this.listener = b.listener;
        this.loadShedder = new LoadShedder(b.backpressure, this.store, b.clock);
        this.clock = b.clock;
        StripeObjectFetcher fetcher = b.stripeClient == null ? null : new StripeObjectFetcher(b.stripeClient);
        this.maxAttempts = b.maxAttempts;
        this.handlerTimeout = b.handlerTimeout;
        this.leaseKeeper = new LeaseKeeper(store, leaseDuration, handlerTimeout, this::handlerTimedOut, clock);
        this.runner = new ClaimRunner(store, leaseKeeper, listener, clock, handlerTimeout, fetcher);
        this.observations = b.observations;
        // Owners differ between processors even when they share an instance id; the attempt in every
        // claim's token fences them apart as well.
        String instanceId = b.instanceId != null ? b.instanceId : UUID.randomUUID().toString().substring(0, 8);
        this.ownerPrefix = instanceId + "-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs one delivery through the pipeline. Never throws for anything a client sent; the answer
     * says what happened.
     */
    public WebhookResponse process(WebhookRequest request) {
        PipelineObservations.Run receive = observations.receive();
        return observe(receive, () -> receive(request, receive), WebhookResponse::outcome);
    }

    private WebhookResponse receive(WebhookRequest request, PipelineObservations.Run receive) {
        if (!sourceFilter.allows(request.remoteAddress(), request.forwardedFor())) {
            log.debug("rejected delivery from {}", request.remoteAddress());
            return notify(WebhookResponse.rejected(Outcome.FORBIDDEN_SOURCE, null, "source address not allowed"), null);
        }
        EventEnvelope envelope;
        try {
            verifier.verify(request.body(), request.signatureHeader());
            envelope = EventEnvelope.parse(request.body());
            receive.event(envelope.id(), envelope.type());
        } catch (SignatureException e) {
            log.debug("rejected delivery: {}", e.getMessage());
            return notify(WebhookResponse.rejected(e.kind().outcome(), null, e.getMessage()), null);
        } catch (MalformedEventException e) {
            log.debug("rejected delivery: {}", e.getMessage());
            return notify(WebhookResponse.rejected(Outcome.MALFORMED_EVENT, null, e.getMessage()), null);
        }
        return processVerified(envelope, request.source());
    }

    /**
     * Runs an event whose authenticity the caller vouches for: fetched from Stripe's API with the
     * secret key (recovery) or read back from the event log (replay). The signature check does not
     * apply, the idempotency store does; events not from {@link EventSource#WEBHOOK} bypass the age
     * policy, since they were chosen deliberately, and are processed in the calling thread even in
     * asynchronous mode.
     */
    public WebhookResponse processVerified(EventEnvelope envelope, EventSource source) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(source, "source");
        return guarded(envelope, () -> route(envelope, source));
    }

    /**
     * Runs a recorded event again now, in the calling thread, whatever the mode: claims it straight
     * from its failed, dead, skipped or ignored status (or an expired claim) and runs it, as
     * {@link EventReplayer} and event recovery do. Anything short of "claimed and run" (the filter
     * rejects it, no handler, overload, the store down, not in a replayable status) leaves the row
     * exactly as it was, so the call can be repeated; the answer says which.
     *
     * @param envelope the event as recorded (its stored payload, or as fetched from Stripe)
     * @param source {@link EventSource#REPLAY} or {@link EventSource#RECOVERY}
     * @since 0.2.0
     */
    public WebhookResponse processRecorded(EventEnvelope envelope, EventSource source) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(source, "source");
        return guarded(envelope, () -> routeRecorded(envelope, source));
    }

    private WebhookResponse guarded(EventEnvelope envelope, Supplier<WebhookResponse> step) {
        MDC.put(MDC_EVENT_ID, envelope.id());
        MDC.put(MDC_EVENT_TYPE, envelope.type());
        try {
            WebhookResponse response = step.get();
            log.info("{} {} -> {} {}", envelope.id(), envelope.type(), response.status(), response.outcome().code());
            return notify(response, envelope.type());
        } catch (StoreUnavailableException e) {
            log.warn("{} {} -> 503: event store unavailable: {}", envelope.id(), envelope.type(), e.getMessage());
            return notify(unavailable(Outcome.STORE_UNAVAILABLE, envelope.id(), "event store unavailable; deliver again later"),
                    envelope.type());
        } catch (IllegalArgumentException e) {
            // A store refusing a value it cannot hold (an over-long field): nothing was written.
            log.warn("{} rejected by the store: {}", envelope.id(), e.getMessage());
            return notify(WebhookResponse.rejected(Outcome.MALFORMED_EVENT, envelope.id(), e.getMessage()), envelope.type());
        } finally {
            MDC.remove(MDC_EVENT_ID);
            MDC.remove(MDC_EVENT_TYPE);
        }
    }

    private WebhookResponse route(EventEnvelope envelope, EventSource source) {
        NewEvent event = toNewEvent(envelope, source);
        Optional<Outcome> filtered = filter.rejection(envelope);
        if (filtered.isPresent()) {
            recordQuietly(event, EventStatus.IGNORED, filtered.get().code());
            return WebhookResponse.of(filtered.get(), envelope.id());
        }
        if (source == EventSource.WEBHOOK && agePolicy.isStale(envelope.created(), clock.instant())) {
            // Recorded before answering: a stale event must stay visible for recovery.
            store.recordFinal(event, EventStatus.SKIPPED_STALE, "older than " + agePolicy);
            return WebhookResponse.of(Outcome.SKIPPED_STALE, envelope.id());
        }
        List<WebhookHandler> matching = handlers.handlersFor(envelope.type());
        if (matching.isEmpty()) {
            recordQuietly(event, EventStatus.IGNORED, "unhandled_type");
            return WebhookResponse.of(Outcome.IGNORED, envelope.id());
        }
        if (!loadShedder.tryEnter()) {
            listenerSafely(() -> listener.onOverload("in_flight"));
            return unavailable(Outcome.OVERLOADED, envelope.id(), "too many deliveries in flight; deliver again later");
        }
        try {
            if (mode == ProcessingMode.ASYNC && source == EventSource.WEBHOOK) {
                if (loadShedder.backlogFull()) {
                    listenerSafely(() -> listener.onOverload("backlog"));
                    return unavailable(Outcome.OVERLOADED, envelope.id(), "inbox backlog is full; deliver again later");
                }
                boolean inserted = enqueue(envelope, event);
                return WebhookResponse.of(inserted ? Outcome.QUEUED : Outcome.DUPLICATE, envelope.id());
            }
            return claimAndRun(envelope, event, source, matching);
        } finally {
            loadShedder.release();
        }
    }

    /** Puts the event into the inbox with the trace context the enqueue observation was given, if any. */
    private boolean enqueue(EventEnvelope envelope, NewEvent event) {
        PipelineObservations.Run enqueue = observations.enqueue(envelope);
        // build() made sure that an asynchronous processor's store is an inbox.
        return observe(enqueue, () -> ((InboxStore) store).enqueue(event.withTraceContext(enqueue.traceContext())),
                inserted -> inserted ? Outcome.QUEUED : Outcome.DUPLICATE);
    }

    private WebhookResponse routeRecorded(EventEnvelope envelope, EventSource source) {
        Optional<Outcome> filtered = filter.rejection(envelope);
        if (filtered.isPresent()) {
            return WebhookResponse.of(filtered.get(), envelope.id());
        }
        List<WebhookHandler> matching = handlers.handlersFor(envelope.type());
        if (matching.isEmpty()) {
            return WebhookResponse.of(Outcome.IGNORED, envelope.id());
        }
        if (!loadShedder.tryEnter()) {
            listenerSafely(() -> listener.onOverload("in_flight"));
            return unavailable(Outcome.OVERLOADED, envelope.id(), "too many deliveries in flight; replay again later");
        }
        try {
            String owner = newOwner();
            Optional<EventRecord> claimed = store.claimForReplay(envelope.id(), owner, leaseDuration, source);
            if (claimed.isEmpty()) {
                return WebhookResponse.of(Outcome.DUPLICATE, envelope.id());
            }
            return runSync(envelope, ClaimToken.of(claimed.get()), source, matching);
        } finally {
            loadShedder.release();
        }
    }

    private WebhookResponse claimAndRun(EventEnvelope envelope, NewEvent event, EventSource source,
            List<WebhookHandler> matching) {
        String owner = newOwner();
        ClaimResult claim = store.claim(event, owner, leaseDuration);
        return switch (claim.status()) {
            case ALREADY_COMPLETED -> WebhookResponse.of(Outcome.DUPLICATE, envelope.id());
            case IN_PROGRESS -> WebhookResponse.of(Outcome.IN_PROGRESS, envelope.id());
            case RETRY_LATER -> WebhookResponse.of(Outcome.SCHEDULED, envelope.id());
            case CLAIMED -> runSync(envelope, new ClaimToken(envelope.id(), owner, claim.attempt()), source, matching);
        };
    }

    private WebhookResponse runSync(EventEnvelope envelope, ClaimToken claim, EventSource source,
            List<WebhookHandler> matching) {
        PipelineObservations.Run process = observations.process(envelope.id(), envelope.type(), claim.attempt(), source,
                null, false);
        return observe(process, () -> runSyncObserved(envelope, claim, source, matching), WebhookResponse::outcome);
    }

    private WebhookResponse runSyncObserved(EventEnvelope envelope, ClaimToken claim, EventSource source,
            List<WebhookHandler> matching) {
        ClaimRunner.Recorded recorded = runner.run(claim, envelope, source, matching, retry, maxAttempts, runner.now());
        String id = envelope.id();
        if (recorded.dead()) {
            // Recorded dead: acknowledged, kept for a replay; a redelivery would change nothing.
            return WebhookResponse.rejected(Outcome.FAILED_PERMANENT, id, "a handler failed permanently; recorded for replay");
        }
        return switch (recorded.outcome()) {
            case PROCESSED -> WebhookResponse.of(Outcome.PROCESSED, id);
            case RETRY_LATER -> WebhookResponse.rejected(Outcome.RETRY_LATER, id, "a prerequisite is missing; deliver again later");
            default -> WebhookResponse.rejected(Outcome.FAILED_TRANSIENT, id, "a handler failed; deliver again later");
        };
    }

    /**
     * Runs an event claimed from the inbox by an {@link InboxWorker}: the same handlers, event
     * filter and failure classification as the synchronous path, but failures are rescheduled in the
     * store with {@code backoff} instead of being answered, and the event is dead after
     * {@code maxAttempts}.
     *
     * <p>The run is observed as a consumer of the trace context stored with the event at enqueue.
     *
     * @return the outcome recorded: processed, failed_permanent (dead, also when the attempts are
     *     exhausted), retry_later or failed_transient (rescheduled), or ignored (filtered, or no handler)
     */
    Outcome runClaimed(EventRecord record, int maxAttempts, Backoff backoff) {
        return runClaimed(record, maxAttempts, retryAfterBackoff(backoff));
    }

    private Outcome runClaimed(EventRecord record, int maxAttempts, IntFunction<Instant> nextAttempt) {
        PipelineObservations.Run process = observations.process(record.id(), record.type(), record.attempts(),
                record.source(), record.traceContext(), true);
        return observe(process, () -> runClaimedObserved(record, maxAttempts, nextAttempt), outcome -> outcome);
    }

    private Outcome runClaimedObserved(EventRecord record, int maxAttempts, IntFunction<Instant> nextAttempt) {
        ClaimToken claim = ClaimToken.of(record);
        MDC.put(MDC_EVENT_ID, record.id());
        MDC.put(MDC_EVENT_TYPE, record.type());
        try {
            byte[] payload = record.payload();
            if (payload == null) {
                runner.markUnrunnable(claim, record.type(), "no payload stored: the event cannot be processed from the inbox");
                return Outcome.FAILED_PERMANENT;
            }
            EventEnvelope envelope;
            try {
                envelope = EventEnvelope.parse(payload);
            } catch (MalformedEventException e) {
                runner.markUnrunnable(claim, record.type(), "stored payload unreadable: " + e.getMessage());
                return Outcome.FAILED_PERMANENT;
            }
            // The same filter as the request path: an event it rejects never runs, whoever claimed it.
            Optional<Outcome> filtered = filter.rejection(envelope);
            List<WebhookHandler> matching = handlers.handlersFor(record.type());
            if (filtered.isPresent() || matching.isEmpty()) {
                String reason = filtered.map(Outcome::code).orElse("unhandled_type");
                runner.ignore(claim, reason);
                log.info("{} {} attempt {} -> ignored ({})", record.id(), record.type(), record.attempts(), reason);
                return filtered.orElse(Outcome.IGNORED);
            }
            ClaimRunner.Recorded recorded = runner.run(claim, envelope, record.source(), matching, null, maxAttempts,
                    nextAttempt);
            logRecorded(record, recorded);
            return recorded.dead() ? Outcome.FAILED_PERMANENT : recorded.outcome();
        } finally {
            MDC.remove(MDC_EVENT_ID);
            MDC.remove(MDC_EVENT_TYPE);
        }
    }

    /**
     * Runs events an {@link InboxWorker} claimed together for one transaction (its transaction batch
     * size is above one): the events with a transactional handler run in one transaction of the
     * {@link TransactionalStore}, each undone on its own when it fails, with one commit; the others
     * (and events that cannot run, are filtered, or used up their attempts) run one by one as
     * {@link #runClaimed} runs them. Every claim's lease is renewed until its turn comes.
     *
     * @throws VirtualMachineError when a handler threw one (recorded first)
     */
    void runClaimedTogether(List<EventRecord> records, int maxAttempts, Backoff backoff) {
        IntFunction<Instant> nextAttempt = retryAfterBackoff(backoff);
        List<ClaimToken> claims = records.stream().map(ClaimToken::of).toList();
        try (LeaseKeeper.Pending held = leaseKeeper.pending(claims)) {
            List<ClaimRunner.Claimed> together = new ArrayList<>();
            List<EventRecord> togetherRecords = new ArrayList<>();
            List<EventRecord> alone = new ArrayList<>();
            for (EventRecord record : records) {
                ClaimRunner.Claimed ready = readyForTransaction(record, maxAttempts);
                if (ready != null) {
                    together.add(ready);
                    togetherRecords.add(record);
                } else {
                    alone.add(record);
                }
            }
            if (!together.isEmpty()) {
                List<ClaimRunner.@Nullable Recorded> recorded = runner.runBatch(together, maxAttempts, nextAttempt);
                for (int i = 0; i < togetherRecords.size(); i++) {
                    ClaimRunner.Recorded one = recorded.get(i);
                    if (one != null) {
                        EventRecord record = togetherRecords.get(i);
                        MDC.put(MDC_EVENT_ID, record.id());
                        MDC.put(MDC_EVENT_TYPE, record.type());
                        try {
                            logRecorded(record, one);
                        } finally {
                            MDC.remove(MDC_EVENT_ID);
                            MDC.remove(MDC_EVENT_TYPE);
                        }
                    }
                }
            }
            for (EventRecord record : alone) {
                held.drop(ClaimToken.of(record));
                runClaimed(record, maxAttempts, nextAttempt);
            }
        }
    }

    /**
     * A holder for the events an {@link InboxWorker} claims ahead of its threads: their leases are
     * renewed with this processor's heartbeats until a thread takes them (see {@link LeaseKeeper}).
     */
    LeaseKeeper.Prefetched prefetched(java.util.Collection<Thread> servers, java.util.function.Consumer<ClaimToken> onLost) {
        return leaseKeeper.prefetched(servers, onLost);
    }

    /** The claimed event as a member of a transaction batch, or null when it is to run alone (see {@link #runClaimedTogether}). */
    private ClaimRunner.@Nullable Claimed readyForTransaction(EventRecord record, int maxAttempts) {
        byte[] payload = record.payload();
        ClaimToken claim = ClaimToken.of(record);
        if (payload == null || claim.attempt() > maxAttempts) {
            return null;
        }
        List<WebhookHandler> matching = handlers.handlersFor(record.type());
        if (!HandlerRegistry.anyTransactional(matching)) {
            return null;
        }
        EventEnvelope envelope;
        try {
            envelope = EventEnvelope.parse(payload);
        } catch (MalformedEventException e) {
            return null;
        }
        if (filter.rejection(envelope).isPresent()) {
            return null;
        }
        return new ClaimRunner.Claimed(claim, envelope, record.source(), matching);
    }

    private IntFunction<Instant> retryAfterBackoff(Backoff backoff) {
        return attempt -> clock.instant().plus(backoff.delay(attempt, ThreadLocalRandom.current().nextDouble()));
    }

    private static void logRecorded(EventRecord record, ClaimRunner.Recorded recorded) {
        log.info("{} {} attempt {} -> {}{}", record.id(), record.type(), record.attempts(), recorded.outcome().code(),
                recorded.dead() ? " (dead)" : "");
    }

    /**
     * Runs {@code step} inside the started observation {@code run}: the outcome of its result recorded,
     * whatever escapes recorded as the error, the observation always stopped in this thread.
     */
    private static <T> T observe(PipelineObservations.Run run, Supplier<T> step, Function<? super T, Outcome> outcome) {
        try {
            T result = step.get();
            run.outcome(outcome.apply(result));
            return result;
        } catch (RuntimeException | Error e) {
            run.error(e);
            throw e;
        } finally {
            run.close();
        }
    }

    /** Called by the lease keeper's thread for each run that passed {@code handlerTimeout}. */
    private void handlerTimedOut(LeaseKeeper.Run run) {
        listenerSafely(() -> listener.onHandlerTimeout(run.eventType(), run.claim().eventId()));
    }

    String newOwner() {
        return ownerPrefix + claims.incrementAndGet();
    }

    private void recordQuietly(NewEvent event, EventStatus status, String reason) {
        try {
            store.recordFinal(event, status, reason);
        } catch (RuntimeException e) {
            // Ignoring needs no record to be correct; a failed record must not make Stripe redeliver.
            log.warn("{} ignored ({}) but not recorded: {}", event.id(), reason, e.getMessage());
        }
    }

    private NewEvent toNewEvent(EventEnvelope e, EventSource source) {
        return new NewEvent(e.id(), e.type(), e.created(), e.livemode(), e.apiVersion().orElse(null),
                e.account().orElse(null), source, keepPayloads ? e.rawBytes() : null);
    }

    private WebhookResponse unavailable(Outcome outcome, String eventId, String detail) {
        return new WebhookResponse(outcome, eventId, detail,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds()))));
    }

    private WebhookResponse notify(WebhookResponse response, @Nullable String eventType) {
        listenerSafely(() -> listener.onResponse(response, eventType));
        return response;
    }

    private static void listenerSafely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("a WebhookListener failed; the pipeline continues", e);
        }
    }

    /** The store this processor records into. */
    public IdempotencyStore store() {
        return store;
    }

    /** The handler registry. */
    public HandlerRegistry handlers() {
        return handlers;
    }

    /** The event filter applied to deliveries, replays and inbox runs alike. */
    public EventFilter filter() {
        return filter;
    }

    /** Whether handlers run in the request or in an {@link InboxWorker}. */
    public ProcessingMode mode() {
        return mode;
    }

    /** The lease a claim holds without a heartbeat; renewed every third of it while a handler runs. */
    public Duration leaseDuration() {
        return leaseDuration;
    }

    /** Attempts (claims) an event gets before it is dead. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** How long a handler run may take before it is interrupted, if limited. */
    public Optional<Duration> handlerTimeout() {
        return Optional.ofNullable(handlerTimeout);
    }

    /** Handler runs of this processor in progress right now (requests and workers). */
    public int runningHandlers() {
        return leaseKeeper.running();
    }

    /**
     * Handler runs that passed {@code handlerTimeout}, were interrupted, and have not returned: each
     * holds a thread. Health and metrics report them.
     */
    public int stuckHandlers() {
        return leaseKeeper.stuck();
    }

    /** The body size limit in bytes, for adapters that must stop reading early. */
    public int maxPayloadBytes() {
        return verifier.maxPayloadBytes();
    }

    /** The listener notified of answers and handler runs. */
    public WebhookListener listener() {
        return listener;
    }

    /** The time source. */
    public Clock clock() {
        return clock;
    }

    /**
     * Builder for {@link WebhookProcessor}. Only the signing secret is required; everything else
     * has a default. {@link #build()} validates once and fails with a
     * {@link HookwiseConfigurationException} that says what to change.
     */
    public static final class Builder {
        private final SignatureVerifier.Builder verifier = SignatureVerifier.builder();
        private boolean secretsSet;
        private @Nullable IdempotencyStore store;
        private HandlerRegistry handlers = HandlerRegistry.empty();
        private EventFilter filter = EventFilter.acceptAll();
        private SourceAddressFilter sourceFilter = SourceAddressFilter.allowAll();
        private EventAgePolicy agePolicy = EventAgePolicy.defaults();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private ProcessingMode mode = ProcessingMode.SYNC;
        private Backpressure backpressure = Backpressure.none();
        private Duration leaseDuration = DEFAULT_LEASE;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private @Nullable Duration handlerTimeout;
        private boolean allowInMemoryInbox;
        private boolean keepPayloads = true;
        private WebhookListener listener = WebhookListener.NONE;
        private Clock clock = Clock.systemUTC();
        private @Nullable String instanceId;
        private com.stripe.@Nullable StripeClient stripeClient;
        private PipelineObservations observations = PipelineObservations.NONE;

        private Builder() {}

        /**
         * A stripe-java client for {@link EventContext#fetchLatest()} (the base URL is the client's:
         * point it at the testkit's fake Stripe API in tests). Without one, fetch-latest is unavailable.
         */
        public Builder stripeClient(com.stripe.StripeClient value) {
            this.stripeClient = Objects.requireNonNull(value, "stripeClient");
            return this;
        }

        /** The endpoint's signing secrets ({@code whsec_…}); list several while rolling a secret. */
        public Builder signingSecrets(String... secrets) {
            return signingSecrets(List.of(secrets));
        }

        /** The endpoint's signing secrets ({@code whsec_…}); list several while rolling a secret. */
        public Builder signingSecrets(List<String> secrets) {
            verifier.secrets(secrets);
            secretsSet = !secrets.isEmpty();
            return this;
        }

        /** Signature timestamp tolerance, both directions (default 5 min); zero or negative disables the time check only. */
        public Builder tolerance(Duration tolerance) {
            verifier.tolerance(tolerance);
            return this;
        }

        /** Largest accepted body in bytes (default 1 MiB). */
        public Builder maxPayloadBytes(int bytes) {
            verifier.maxPayloadBytes(bytes);
            return this;
        }

        /** The event log; defaults to an {@link InMemoryIdempotencyStore}. */
        public Builder store(IdempotencyStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        public Builder handlers(HandlerRegistry value) {
            this.handlers = Objects.requireNonNull(value, "handlers");
            return this;
        }

        public Builder filter(EventFilter value) {
            this.filter = Objects.requireNonNull(value, "filter");
            return this;
        }

        /** An optional allow-list of source addresses (default: any). */
        public Builder sourceAddressFilter(SourceAddressFilter value) {
            this.sourceFilter = Objects.requireNonNull(value, "sourceAddressFilter");
            return this;
        }

        public Builder eventAgePolicy(EventAgePolicy value) {
            this.agePolicy = Objects.requireNonNull(value, "eventAgePolicy");
            return this;
        }

        /** In-process retry of transient handler failures (synchronous mode). */
        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        /** {@link ProcessingMode#SYNC} (default) or {@link ProcessingMode#ASYNC}. */
        public Builder mode(ProcessingMode value) {
            this.mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        /** Limits above which deliveries are answered 503 {@code overloaded} (default: none). */
        public Builder backpressure(Backpressure value) {
            this.backpressure = Objects.requireNonNull(value, "backpressure");
            return this;
        }

        /**
         * How long a claim holds without a heartbeat (default 5 min); must exceed the retry policy's
         * total wait. While a handler runs its lease is renewed every third of this, so the lease
         * bounds how long a crashed process keeps an event, not how long a handler may take.
         */
        public Builder leaseDuration(Duration value) {
            this.leaseDuration = positive(value, "leaseDuration");
            return this;
        }

        /**
         * Attempts (claims) an event gets before it is dead (default 8).
         * Counted at claim time: runs that crashed the process or hung count too, and an event claimed
         * once more than this is marked dead without running. In synchronous mode Stripe's
         * redeliveries are the attempts; an {@link InboxWorker} uses its own setting, which defaults
         * to this one.
         */
        public Builder maxAttempts(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("maxAttempts must be >= 1, but was " + value);
            }
            this.maxAttempts = value;
            return this;
        }

        /**
         * How long a handler run may take (default: no limit). A run past it is interrupted and
         * counted as a failed attempt; its lease is no longer renewed, so even a handler that
         * ignores the interrupt is taken over once the lease ends, and it is reported as stuck
         * ({@link WebhookProcessor#stuckHandlers()}) until it returns.
         */
        public Builder handlerTimeout(Duration value) {
            this.handlerTimeout = positive(value, "handlerTimeout");
            return this;
        }

        /**
         * Whether asynchronous mode may use a store that is not durable, such as the in-memory one
         * (default false): events answered 200 would vanish on restart. For tests and demos only.
         */
        public Builder allowInMemoryInbox(boolean value) {
            this.allowInMemoryInbox = value;
            return this;
        }

        /** The {@code Retry-After} of 503 answers. */
        public Builder retryAfter(Duration value) {
            this.retryAfter = positive(value, "retryAfter");
            return this;
        }

        /** Whether the store keeps raw bodies for replay (default true; asynchronous mode needs them). */
        public Builder keepPayloads(boolean value) {
            this.keepPayloads = value;
            return this;
        }

        /** Observes answers and handler runs, e.g. {@code MicrometerWebhookMetrics}. */
        public Builder listener(WebhookListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            verifier.clock(value);
            return this;
        }

        /**
         * Reports Micrometer observations to {@code registry} (default: none): {@code hookwise.receive}
         * around each delivery, {@code hookwise.enqueue} around putting an event into the inbox, and
         * {@code hookwise.process} around each run of an event's handlers, with the event type and
         * outcome as low-cardinality key values and the event id (and attempt) as high-cardinality
         * ones ({@link dev.hookwise.core.metrics.WebhookObservations}). With Micrometer Tracing's
         * propagating handlers on the registry (Spring Boot registers them), the delivery's trace
         * context is stored with each queued event and the inbox worker's run continues that trace.
         *
         * <p>Needs {@code io.micrometer:micrometer-observation} (an optional dependency of
         * webhook-core); a processor built without calling this method never loads a Micrometer class.
         *
         * <pre>{@code
         * WebhookProcessor.builder()...observationRegistry(observationRegistry).build();
         * }</pre>
         *
         * @since 0.2.0
         */
        public Builder observationRegistry(io.micrometer.observation.ObservationRegistry registry) {
            this.observations = MicrometerPipelineObservations.create(Objects.requireNonNull(registry, "observationRegistry"));
            return this;
        }

        /** A name for this instance, used in claim owners (default: random). */
        public Builder instanceId(String value) {
            if (value == null || value.isBlank() || value.length() > 64) {
                throw new HookwiseConfigurationException("instanceId must be 1 to 64 characters, but was '" + value + "'");
            }
            this.instanceId = value;
            return this;
        }

        public WebhookProcessor build() {
            if (!secretsSet) {
                throw new HookwiseConfigurationException("no signing secret configured: call signingSecrets(\"whsec_…\")"
                        + " with the endpoint's secret from the Stripe Dashboard, or from `stripe listen` in development");
            }
            if (leaseDuration.compareTo(retryPolicy.maxTotalWait()) <= 0) {
                throw new HookwiseConfigurationException("leaseDuration (" + leaseDuration
                        + ") must be longer than the retry policy's total wait (" + retryPolicy.maxTotalWait()
                        + "): lengthen the lease or shorten the retries");
            }
            if (mode == ProcessingMode.ASYNC) {
                IdempotencyStore chosen = store != null ? store : InMemoryIdempotencyStore.create(clock);
                if (!(chosen instanceof InboxStore inbox)) {
                    throw new HookwiseConfigurationException("asynchronous mode needs a store that is an inbox, but "
                            + chosen.getClass().getName() + " does not implement InboxStore: use JdbcIdempotencyStore,"
                            + " or mode(ProcessingMode.SYNC)");
                }
                if (!inbox.durable() && !allowInMemoryInbox) {
                    throw new HookwiseConfigurationException("asynchronous mode answers 200 before an event runs, so its"
                            + " inbox must survive a restart, but " + chosen.getClass().getSimpleName() + " is not durable:"
                            + " use JdbcIdempotencyStore, or allowInMemoryInbox(true) in tests and demos");
                }
                this.store = chosen;
            }
            if (handlers.hasTransactionalHandlers()) {
                IdempotencyStore chosen = store != null ? store : InMemoryIdempotencyStore.create(clock);
                if (!(chosen instanceof TransactionalStore)) {
                    throw new HookwiseConfigurationException("transactional handlers (registered for "
                            + String.join(", ", handlers.transactionalPatterns()) + ") commit their writes in the"
                            + " event log's transaction, but the store " + chosen.getClass().getSimpleName()
                            + " has no such transaction (it does not implement TransactionalStore): use"
                            + " JdbcIdempotencyStore from webhook-jdbc as the store, or register plain handlers");
                }
            }
            if (mode == ProcessingMode.ASYNC && !keepPayloads) {
                throw new HookwiseConfigurationException("asynchronous mode processes events from the stored payload:"
                        + " keepPayloads(false) cannot be combined with mode(ASYNC)");
            }
            return new WebhookProcessor(this, verifier.build());
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new HookwiseConfigurationException(name + " must be positive, but was " + value);
            }
            return value;
        }
    }
}
