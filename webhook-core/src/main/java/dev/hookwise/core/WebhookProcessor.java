package dev.hookwise.core;

import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.UpdateResult;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The whole webhook pipeline, HTTP-neutral: one call per delivery, one typed answer.
 *
 * <pre>
 * raw body + Stripe-Signature
 *   → size limit                          413 payload_too_large
 *   → signature and timestamp             400 signature_*
 *   → envelope (id, type, created, …)     400 malformed_event
 *   → event filter                        200 ignored_livemode | ignored_account | ignored_type
 *   → event age policy                    200 skipped_stale (recorded)
 *   → handlers registered for the type?   200 ignored (recorded)
 *   → idempotency claim                   200 duplicate | 409 in_progress | 200 scheduled
 *   → handlers, with in-process retry     200 processed
 *        PermanentWebhookFailure           200 failed_permanent (recorded dead, replayable)
 *        RetryLaterException               422 retry_later (recorded failed; Stripe redelivers)
 *        still failing after retries       500 failed_transient (recorded failed; Stripe redelivers)
 *   → store unreachable at any step       503 store_unavailable + Retry-After
 * </pre>
 *
 * <p>Nothing answered 2xx is lost: it was processed, or it is in the store as ignored, skipped or
 * dead and can be replayed. Handler effects happen once per event under normal operation; after a
 * crash between a handler's effect and the store's record, a later attempt runs the handler again,
 * so effects should be idempotent (a unique key, a conditional update).
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
 * <p>Immutable and thread-safe; one instance serves every request of an endpoint.
 */
public final class WebhookProcessor {
    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);

    /** Default lease of a claim; it must outlast every in-process retry. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
    /** Default {@code Retry-After} sent with 503 answers. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

    static final String MDC_EVENT_ID = "stripe_event_id";
    static final String MDC_EVENT_TYPE = "stripe_event_type";

    private final SignatureVerifier verifier;
    private final IdempotencyStore store;
    private final HandlerRegistry handlers;
    private final EventFilter filter;
    private final EventAgePolicy agePolicy;
    private final Retry retry;
    private final RetryPolicy retryPolicy;
    private final Duration leaseDuration;
    private final Duration retryAfter;
    private final boolean keepPayloads;
    private final Clock clock;
    private final String instanceId;
    private final AtomicLong claims = new AtomicLong();

    private WebhookProcessor(Builder b, SignatureVerifier verifier) {
        this.verifier = verifier;
        this.store = b.store != null ? b.store : InMemoryIdempotencyStore.create(b.clock);
        this.handlers = b.handlers;
        this.filter = b.filter;
        this.agePolicy = b.agePolicy;
        this.retryPolicy = b.retryPolicy;
        this.retry = Retry.of("hookwise", b.retryPolicy.toRetryConfig());
        this.leaseDuration = b.leaseDuration;
        this.retryAfter = b.retryAfter;
        this.keepPayloads = b.keepPayloads;
        this.clock = b.clock;
        this.instanceId = b.instanceId != null ? b.instanceId : UUID.randomUUID().toString().substring(0, 8);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs one delivery through the pipeline. Never throws for anything a client sent; the answer
     * says what happened.
     */
    public WebhookResponse process(WebhookRequest request) {
        EventEnvelope envelope;
        try {
            verifier.verify(request.body(), request.signatureHeader());
            envelope = EventEnvelope.parse(request.body());
        } catch (SignatureException e) {
            log.debug("rejected delivery: {}", e.getMessage());
            return WebhookResponse.rejected(e.kind().outcome(), null, e.getMessage());
        } catch (MalformedEventException e) {
            log.debug("rejected delivery: {}", e.getMessage());
            return WebhookResponse.rejected(Outcome.MALFORMED_EVENT, null, e.getMessage());
        }
        return processVerified(envelope, request.source());
    }

    /**
     * Runs an event whose authenticity the caller vouches for: fetched from Stripe's API with the
     * secret key (recovery) or read back from the event log (replay). The signature check does not
     * apply, the idempotency store does; events not from {@link EventSource#WEBHOOK} bypass the age
     * policy, since they were chosen deliberately.
     */
    public WebhookResponse processVerified(EventEnvelope envelope, EventSource source) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(source, "source");
        MDC.put(MDC_EVENT_ID, envelope.id());
        MDC.put(MDC_EVENT_TYPE, envelope.type());
        try {
            WebhookResponse response = route(envelope, source);
            log.info("{} {} -> {} {}", envelope.id(), envelope.type(), response.status(), response.outcome().code());
            return response;
        } catch (StoreUnavailableException e) {
            log.warn("{} {} -> 503: event store unavailable: {}", envelope.id(), envelope.type(), e.getMessage());
            return storeUnavailable(envelope.id());
        } catch (IllegalArgumentException e) {
            // A store refusing a value it cannot hold (an over-long field): nothing was written.
            log.warn("{} rejected by the store: {}", envelope.id(), e.getMessage());
            return WebhookResponse.rejected(Outcome.MALFORMED_EVENT, envelope.id(), e.getMessage());
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
        String owner = instanceId + "-" + claims.incrementAndGet();
        ClaimResult claim = store.claim(event, owner, leaseDuration);
        return switch (claim.status()) {
            case ALREADY_COMPLETED -> WebhookResponse.of(Outcome.DUPLICATE, envelope.id());
            case IN_PROGRESS -> WebhookResponse.of(Outcome.IN_PROGRESS, envelope.id());
            case RETRY_LATER -> WebhookResponse.of(Outcome.SCHEDULED, envelope.id());
            case CLAIMED -> dispatch(envelope, new EventContext(envelope, claim.attempt(), source), matching, owner);
        };
    }

    private WebhookResponse dispatch(EventEnvelope envelope, EventContext context, List<WebhookHandler> matching,
            String owner) {
        long started = System.nanoTime();
        boolean[] done = new boolean[matching.size()];
        try {
            Retry.decorateCheckedRunnable(retry, () -> runHandlers(matching, done, context)).run();
        } catch (PermanentWebhookFailure | MalformedEventException e) {
            // A payload stripe-java cannot read will not become readable by retrying.
            log.warn("{} failed permanently: {}", envelope.id(), e.getMessage());
            store.fail(envelope.id(), owner, describe(e), false, clock.instant());
            return WebhookResponse.rejected(Outcome.FAILED_PERMANENT, envelope.id(), "a handler failed permanently");
        } catch (RetryLaterException e) {
            log.info("{} came early: {}", envelope.id(), e.getMessage());
            store.fail(envelope.id(), owner, describe(e), true, clock.instant());
            return WebhookResponse.rejected(Outcome.RETRY_LATER, envelope.id(), "a prerequisite is missing; deliver again later");
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            log.warn("{} failed after {} attempt(s): {}", envelope.id(), retryPolicy.maxAttempts(), describe(e));
            store.fail(envelope.id(), owner, describe(e), true, clock.instant());
            return WebhookResponse.rejected(Outcome.FAILED_TRANSIENT, envelope.id(), "a handler failed; deliver again later");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (store.complete(envelope.id(), owner, took) == UpdateResult.LEASE_LOST) {
            log.warn("{} processed, but the lease expired and another owner took the event over; its result stands",
                    envelope.id());
        }
        return WebhookResponse.of(Outcome.PROCESSED, envelope.id());
    }

    private static void runHandlers(List<WebhookHandler> matching, boolean[] done, EventContext context) throws Exception {
        // Handlers that succeeded in an earlier in-process attempt are not run again.
        for (int i = 0; i < matching.size(); i++) {
            if (!done[i]) {
                matching.get(i).handle(context);
                done[i] = true;
            }
        }
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

    private WebhookResponse storeUnavailable(String eventId) {
        return new WebhookResponse(Outcome.STORE_UNAVAILABLE, eventId, "event store unavailable; deliver again later",
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds()))));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getName() + (message == null ? "" : ": " + message);
    }

    /** The store this processor records into. */
    public IdempotencyStore store() {
        return store;
    }

    /** The handler registry. */
    public HandlerRegistry handlers() {
        return handlers;
    }

    /** The body size limit in bytes, for adapters that must stop reading early. */
    public int maxPayloadBytes() {
        return verifier.maxPayloadBytes();
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
        private IdempotencyStore store;
        private HandlerRegistry handlers = HandlerRegistry.empty();
        private EventFilter filter = EventFilter.acceptAll();
        private EventAgePolicy agePolicy = EventAgePolicy.defaults();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Duration leaseDuration = DEFAULT_LEASE;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private boolean keepPayloads = true;
        private Clock clock = Clock.systemUTC();
        private String instanceId;

        private Builder() {}

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

        public Builder eventAgePolicy(EventAgePolicy value) {
            this.agePolicy = Objects.requireNonNull(value, "eventAgePolicy");
            return this;
        }

        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        /** How long a claim holds; must exceed the retry policy's total wait. */
        public Builder leaseDuration(Duration value) {
            this.leaseDuration = positive(value, "leaseDuration");
            return this;
        }

        /** The {@code Retry-After} of 503 answers. */
        public Builder retryAfter(Duration value) {
            this.retryAfter = positive(value, "retryAfter");
            return this;
        }

        /** Whether the store keeps raw bodies for replay (default true). */
        public Builder keepPayloads(boolean value) {
            this.keepPayloads = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            verifier.clock(value);
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
