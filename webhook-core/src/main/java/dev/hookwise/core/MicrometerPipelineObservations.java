package dev.hookwise.core;

import static dev.hookwise.core.metrics.WebhookObservations.ATTEMPT;
import static dev.hookwise.core.metrics.WebhookObservations.ENQUEUE;
import static dev.hookwise.core.metrics.WebhookObservations.EVENT_ID;
import static dev.hookwise.core.metrics.WebhookObservations.EVENT_TYPE;
import static dev.hookwise.core.metrics.WebhookObservations.OUTCOME;
import static dev.hookwise.core.metrics.WebhookObservations.PROCESS;
import static dev.hookwise.core.metrics.WebhookObservations.RECEIVE;
import static dev.hookwise.core.metrics.WebhookObservations.SOURCE;
import static dev.hookwise.core.metrics.WebhookObservations.UNKNOWN;

import dev.hookwise.core.spi.EventSource;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PipelineObservations} on a Micrometer {@link ObservationRegistry}: the only class of the
 * pipeline that touches the Observation API, loaded only when a builder is given a registry.
 *
 * <p>Trace continuity across the inbox follows Micrometer's messaging model. The enqueue
 * observation carries a {@link SenderContext} whose carrier is a map: a propagating tracing handler
 * (Micrometer Tracing's {@code PropagatingSenderTracingObservationHandler}, as Spring Boot
 * registers it) writes the delivery's propagation fields into it when the observation starts, and
 * the event log keeps them with the event. A worker's process observation carries a
 * {@link ReceiverContext} reading the stored fields back, so the matching receiver handler
 * continues that trace in the worker's thread, minutes or retries later. Without a tracer the map
 * stays empty and nothing is stored.
 *
 * <p>An observation handler that throws (a tracer's bug, an exporter's) is logged and the step runs
 * unobserved: observing must never change what Stripe is answered.
 */
final class MicrometerPipelineObservations implements PipelineObservations {
    private static final Logger log = LoggerFactory.getLogger(MicrometerPipelineObservations.class);

    /**
     * What a Stripe event type looks like ({@code invoice.paid},
     * {@code v2.core.account[requirements].updated}); anything else is tagged {@code unknown}, so a
     * key value can never take arbitrary text.
     */
    private static final Pattern EVENT_TYPE_SHAPE = Pattern.compile("[a-z0-9_.\\[\\]-]{1,128}");

    private final ObservationRegistry registry;

    private MicrometerPipelineObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** Observations on {@code registry}; a no-op registry makes them cost next to nothing. */
    static PipelineObservations create(ObservationRegistry registry) {
        return new MicrometerPipelineObservations(Objects.requireNonNull(registry, "observationRegistry"));
    }

    @Override
    public Run receive() {
        Observation observation = Observation.createNotStarted(RECEIVE, Observation.Context::new, registry)
                .contextualName("hookwise receive")
                .lowCardinalityKeyValue(EVENT_TYPE, UNKNOWN)
                .lowCardinalityKeyValue(OUTCOME, UNKNOWN);
        return MicrometerRun.start(observation, null);
    }

    @Override
    public Run enqueue(EventEnvelope envelope) {
        Map<String, String> carrier = new LinkedHashMap<>();
        SenderContext<Map<String, String>> context = new SenderContext<>((map, key, value) -> {
            if (map != null) {
                map.put(key, value);
            }
        });
        context.setCarrier(carrier);
        Observation observation = Observation.createNotStarted(ENQUEUE, () -> context, registry)
                .contextualName("hookwise enqueue")
                .lowCardinalityKeyValue(EVENT_TYPE, eventType(envelope.type()))
                .lowCardinalityKeyValue(OUTCOME, UNKNOWN)
                .highCardinalityKeyValue(EVENT_ID, envelope.id());
        return MicrometerRun.start(observation, carrier);
    }

    @Override
    public Run process(String eventId, String eventType, int attempt, EventSource source,
            @Nullable String traceContext, boolean fromInbox) {
        Observation.Context context;
        if (fromInbox) {
            // A consumer: a propagating handler continues the stored trace (a new one when none was stored).
            ReceiverContext<Map<String, String>> receiver = new ReceiverContext<>((map, key) -> map.get(key));
            receiver.setCarrier(TraceContextCodec.decode(traceContext));
            context = receiver;
        } else {
            context = new Observation.Context(); // a child of the request's (or the caller's) observation
        }
        Observation observation = Observation.createNotStarted(PROCESS, () -> context, registry)
                .contextualName("hookwise process")
                .lowCardinalityKeyValue(EVENT_TYPE, eventType(eventType))
                .lowCardinalityKeyValue(OUTCOME, UNKNOWN)
                .lowCardinalityKeyValue(SOURCE, source.name().toLowerCase(Locale.ROOT))
                .highCardinalityKeyValue(EVENT_ID, eventId)
                .highCardinalityKeyValue(ATTEMPT, Integer.toString(attempt));
        return MicrometerRun.start(observation, null);
    }

    static String eventType(String type) {
        return EVENT_TYPE_SHAPE.matcher(type).matches() ? type : UNKNOWN;
    }

    /** A started observation and its scope in the calling thread. */
    private static final class MicrometerRun implements Run {
        private final Observation observation;
        private final Observation.Scope scope;
        private final @Nullable Map<String, String> carrier;

        private MicrometerRun(Observation observation, @Nullable Map<String, String> carrier) {
            this.observation = observation;
            this.scope = observation.openScope();
            this.carrier = carrier;
        }

        static Run start(Observation observation, @Nullable Map<String, String> carrier) {
            try {
                return new MicrometerRun(observation.start(), carrier);
            } catch (RuntimeException e) {
                log.warn("an observation handler failed to start {}; the step runs unobserved",
                        observation.getContext().getName(), e);
                return Run.NONE;
            }
        }

        @Override
        public void event(String id, String type) {
            guarded(() -> {
                observation.lowCardinalityKeyValue(EVENT_TYPE, eventType(type));
                observation.highCardinalityKeyValue(EVENT_ID, id);
            });
        }

        @Override
        public void outcome(Outcome outcome) {
            guarded(() -> observation.lowCardinalityKeyValue(OUTCOME, outcome.code()));
        }

        @Override
        public void error(Throwable error) {
            guarded(() -> observation.error(error));
        }

        @Override
        public @Nullable String traceContext() {
            return carrier == null ? null : TraceContextCodec.encode(carrier);
        }

        @Override
        public void close() {
            guarded(scope::close);
            guarded(observation::stop);
        }

        private void guarded(Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                log.warn("an observation handler failed on {}; the pipeline continues",
                        observation.getContext().getName(), e);
            }
        }
    }
}
