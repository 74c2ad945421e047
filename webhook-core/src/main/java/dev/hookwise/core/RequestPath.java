package dev.hookwise.core;

import dev.hookwise.core.internal.LoadShedder;
import dev.hookwise.core.policy.EventAgePolicy;
import dev.hookwise.core.policy.EventFilter;
import dev.hookwise.core.policy.SourceAddressFilter;
import dev.hookwise.core.signature.SignatureException;
import dev.hookwise.core.signature.SignatureVerifier;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.StoreUnavailableException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The steps of a delivery in the order of {@link WebhookProcessor}'s diagram: source address,
 * signature and envelope ({@link #receive}), then filter, age policy, handlers, backpressure and
 * the inbox or the synchronous claim ({@link #route}). Logs as {@code WebhookProcessor}.
 */
final class RequestPath {
    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);

    private final SignatureVerifier verifier;
    private final SourceAddressFilter sourceFilter;
    private final IdempotencyStore store;
    private final HandlerRegistry handlers;
    private final EventFilter filter;
    private final EventAgePolicy agePolicy;
    private final ProcessingMode mode;
    private final boolean keepPayloads;
    private final Clock clock;
    private final LoadShedder loadShedder;
    private final WebhookListener listener;
    private final PipelineObservations observations;
    private final Answers answers;
    private final SyncRuns syncRuns;

    RequestPath(SignatureVerifier verifier, SourceAddressFilter sourceFilter, IdempotencyStore store,
            HandlerRegistry handlers, EventFilter filter, EventAgePolicy agePolicy, ProcessingMode mode,
            boolean keepPayloads, Clock clock, LoadShedder loadShedder, WebhookListener listener,
            PipelineObservations observations, Answers answers, SyncRuns syncRuns) {
        this.verifier = verifier;
        this.sourceFilter = sourceFilter;
        this.store = store;
        this.handlers = handlers;
        this.filter = filter;
        this.agePolicy = agePolicy;
        this.mode = mode;
        this.keepPayloads = keepPayloads;
        this.clock = clock;
        this.loadShedder = loadShedder;
        this.listener = listener;
        this.observations = observations;
        this.answers = answers;
        this.syncRuns = syncRuns;
    }

    /** See {@link WebhookProcessor#process}. */
    WebhookResponse process(WebhookRequest request) {
        PipelineObservations.Run receive = observations.receive();
        return PipelineObservations.observe(receive, () -> receive(request, receive), WebhookResponse::outcome);
    }

    private WebhookResponse receive(WebhookRequest request, PipelineObservations.Run receive) {
        if (!sourceFilter.allows(request.remoteAddress(), request.forwardedFor())) {
            log.debug("rejected delivery from {}", request.remoteAddress());
            return answers.notify(WebhookResponse.rejected(Outcome.FORBIDDEN_SOURCE, null, "source address not allowed"), null);
        }
        EventEnvelope envelope;
        try {
            verifier.verify(request.body(), request.signatureHeader());
            envelope = EventEnvelope.parse(request.body());
            receive.event(envelope.id(), envelope.type());
        } catch (SignatureException e) {
            log.debug("rejected delivery: {}", e.getMessage());
            return answers.notify(WebhookResponse.rejected(e.kind().outcome(), null, e.getMessage()), null);
        } catch (MalformedEventException e) {
            log.debug("rejected delivery: {}", e.getMessage());
            return answers.notify(WebhookResponse.rejected(Outcome.MALFORMED_EVENT, null, e.getMessage()), null);
        }
        return processVerified(envelope, request.source());
    }

    /** See {@link WebhookProcessor#processVerified}. */
    WebhookResponse processVerified(EventEnvelope envelope, EventSource source) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(source, "source");
        return guarded(envelope, () -> route(envelope, source));
    }

    /** See {@link WebhookProcessor#processRecorded}. */
    WebhookResponse processRecorded(EventEnvelope envelope, EventSource source) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(source, "source");
        return guarded(envelope, () -> routeRecorded(envelope, source));
    }

    private WebhookResponse guarded(EventEnvelope envelope, Supplier<WebhookResponse> step) {
        MDC.put(WebhookProcessor.MDC_EVENT_ID, envelope.id());
        MDC.put(WebhookProcessor.MDC_EVENT_TYPE, envelope.type());
        try {
            WebhookResponse response = step.get();
            log.info("{} {} -> {} {}", envelope.id(), envelope.type(), response.status(), response.outcome().code());
            return answers.notify(response, envelope.type());
        } catch (StoreUnavailableException e) {
            log.warn("{} {} -> 503: event store unavailable: {}", envelope.id(), envelope.type(), e.getMessage());
            return answers.notify(answers.unavailable(Outcome.STORE_UNAVAILABLE, envelope.id(), "event store unavailable; deliver again later"),
                    envelope.type());
        } catch (IllegalArgumentException e) {
            // A store refusing a value it cannot hold (an over-long field): nothing was written.
            log.warn("{} rejected by the store: {}", envelope.id(), e.getMessage());
            return answers.notify(WebhookResponse.rejected(Outcome.MALFORMED_EVENT, envelope.id(), e.getMessage()), envelope.type());
        } finally {
            MDC.remove(WebhookProcessor.MDC_EVENT_ID);
            MDC.remove(WebhookProcessor.MDC_EVENT_TYPE);
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
            Answers.listenerSafely(() -> listener.onOverload("in_flight"));
            return answers.unavailable(Outcome.OVERLOADED, envelope.id(), "too many deliveries in flight; deliver again later");
        }
        try {
            if (mode == ProcessingMode.ASYNC && source == EventSource.WEBHOOK) {
                if (loadShedder.backlogFull()) {
                    Answers.listenerSafely(() -> listener.onOverload("backlog"));
                    return answers.unavailable(Outcome.OVERLOADED, envelope.id(), "inbox backlog is full; deliver again later");
                }
                boolean inserted = enqueue(envelope, event);
                return WebhookResponse.of(inserted ? Outcome.QUEUED : Outcome.DUPLICATE, envelope.id());
            }
            return syncRuns.claimAndRun(envelope, event, source, matching);
        } finally {
            loadShedder.release();
        }
    }

    /** Puts the event into the inbox with the trace context the enqueue observation was given, if any. */
    private boolean enqueue(EventEnvelope envelope, NewEvent event) {
        PipelineObservations.Run enqueue = observations.enqueue(envelope);
        // build() made sure that an asynchronous processor's store is an inbox.
        return PipelineObservations.observe(enqueue, () -> ((InboxStore) store).enqueue(event.withTraceContext(enqueue.traceContext())),
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
            Answers.listenerSafely(() -> listener.onOverload("in_flight"));
            return answers.unavailable(Outcome.OVERLOADED, envelope.id(), "too many deliveries in flight; replay again later");
        }
        try {
            return syncRuns.replayAndRun(envelope, source, matching);
        } finally {
            loadShedder.release();
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
}
