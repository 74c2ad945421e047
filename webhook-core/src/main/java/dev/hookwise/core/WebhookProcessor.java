package dev.hookwise.core;

import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.internal.Checks;
import dev.hookwise.core.internal.ClaimedEvents;
import dev.hookwise.core.internal.LeaseKeeper;
import dev.hookwise.core.internal.LoadShedder;
import dev.hookwise.core.internal.StripeObjectFetcher;
import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.core.policy.Backpressure;
import dev.hookwise.core.policy.EventAgePolicy;
import dev.hookwise.core.policy.EventFilter;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.policy.SourceAddressFilter;
import dev.hookwise.core.signature.SignatureVerifier;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.TransactionalStore;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
 * <p>Immutable and thread-safe; one instance serves every request of an endpoint. The steps live in
 * package-private classes named for their part of the diagram: {@code RequestPath} (receive and route),
 * {@code SyncRuns} (claim, run, answer), {@code InboxRuns} (events claimed by an {@link InboxWorker}).
 */
public final class WebhookProcessor {

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
    private final ProcessingMode mode;
    private final Duration leaseDuration;
    private final WebhookListener listener;
    private final Clock clock;
    private final int maxAttempts;
    private final @Nullable Duration handlerTimeout;
    private final LeaseKeeper leaseKeeper;
    private final RequestPath requests;
    private final InboxRuns inbox;

    static {
        // The inbox worker lives in its own package; it reaches the claimed-event paths through this.
        ClaimedEvents.install(processor -> processor.inbox);
    }

    private WebhookProcessor(Builder b, SignatureVerifier verifier) {
        this.verifier = verifier;
        this.store = b.store != null ? b.store : InMemoryIdempotencyStore.create(b.clock);
        this.handlers = b.handlers;
        this.filter = b.filter;
        this.mode = b.mode;
        this.leaseDuration = b.leaseDuration;
        this.listener = b.listener;
        this.clock = b.clock;
        this.maxAttempts = b.maxAttempts;
        this.handlerTimeout = b.handlerTimeout;
        StripeObjectFetcher fetcher = b.stripeClient == null ? null : new StripeObjectFetcher(b.stripeClient);
        WebhookListener listener = b.listener;
        this.leaseKeeper = new LeaseKeeper(store, leaseDuration, handlerTimeout, run -> Answers.listenerSafely(
                () -> listener.onHandlerTimeout(run.eventType(), run.claim().eventId())), clock);
        ClaimRunner runner = new ClaimRunner(store, leaseKeeper, listener, clock, handlerTimeout, fetcher);
        ClaimOwners owners = new ClaimOwners(b.instanceId);
        SyncRuns sync = new SyncRuns(store, leaseDuration, runner, Retry.of("hookwise", b.retryPolicy.toRetryConfig()),
                maxAttempts, b.observations, owners);
        this.requests = new RequestPath(verifier, b.sourceFilter, store, handlers, filter, b.agePolicy, mode,
                b.keepPayloads, clock, new LoadShedder(b.backpressure, store, clock), listener, b.observations,
                new Answers(listener, b.retryAfter), sync);
        this.inbox = new InboxRuns(handlers, filter, runner, leaseKeeper, b.observations, owners, store);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs one delivery through the pipeline. Never throws for anything a client sent; the answer
     * says what happened.
     */
    public WebhookResponse process(WebhookRequest request) {
        return requests.process(request);
    }

    /**
     * Runs an event whose authenticity the caller vouches for: fetched from Stripe's API with the
     * secret key (recovery) or read back from the event log (replay). The signature check does not
     * apply, the idempotency store does; events not from {@link EventSource#WEBHOOK} bypass the age
     * policy, since they were chosen deliberately, and are processed in the calling thread even in
     * asynchronous mode.
     */
    public WebhookResponse processVerified(EventEnvelope envelope, EventSource source) {
        return requests.processVerified(envelope, source);
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
        return requests.processRecorded(envelope, source);
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
            this.leaseDuration = Checks.positive(value, "leaseDuration");
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
            this.handlerTimeout = Checks.positive(value, "handlerTimeout");
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
            this.retryAfter = Checks.positive(value, "retryAfter");
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
    }
}
