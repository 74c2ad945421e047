package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import dev.hookwise.core.inbox.InboxWorker;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real tracer (Brave through Micrometer Tracing, W3C propagation), wired the way Spring Boot wires
 * it: the delivery's spans and the inbox worker's span are one trace, the worker's span a consumer
 * child of the enqueue (producer) span, although the worker runs after the request has ended.
 */
class TracingAcrossTheInboxTest {
    private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();
    private final Tracing tracing = Tracing.newBuilder()
            .currentTraceContext(ThreadLocalCurrentTraceContext.create())
            .propagationFactory(new W3CPropagation())
            .traceId128Bit(true)
            .sampler(Sampler.ALWAYS_SAMPLE)
            .addSpanHandler(new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    spans.add(span);
                    return true;
                }
            })
            .build();

    @AfterEach
    void closeTracing() {
        tracing.close();
    }

    private ObservationRegistry tracedRegistry() {
        Tracer tracer = new BraveTracer(tracing.tracer(),
                new BraveCurrentTraceContext(tracing.currentTraceContext()), new BraveBaggageManager());
        Propagator propagator = new BravePropagator(tracing);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
        return registry;
    }

    private MutableSpan span(String name) {
        return spans.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }

    @Test
    void theWorkersSpanContinuesTheDeliverysTraceAsAChildOfTheEnqueue() {
        ObservationRegistry registry = tracedRegistry();
        TestClock clock = new TestClock(NOW);
        InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(clock);
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .mode(ProcessingMode.ASYNC).allowInMemoryInbox(true)
                .handlers(HandlerRegistry.builder().on("invoice.paid", ctx -> { }).build())
                .observationRegistry(registry)
                .build();
        byte[] body = TestEvents.event("evt_traced", "invoice.paid", NOW);

        // The web framework's server observation, as Spring's would be around the endpoint.
        WebhookResponse answer = Observation.createNotStarted("http.server.requests", registry)
                .observe(() -> processor.process(WebhookRequest.of(body, header(SECRET, NOW, body))));
        assertThat(answer.outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(InboxWorker.builder(processor).build().drainOnce()).isEqualTo(1);

        MutableSpan request = span("http.server.requests");
        MutableSpan receive = span("hookwise receive");
        MutableSpan enqueue = span("hookwise enqueue");
        MutableSpan process = span("hookwise process");
        assertThat(List.of(receive, enqueue, process)).extracting(MutableSpan::traceId).containsOnly(request.traceId());
        assertThat(receive.parentId()).isEqualTo(request.id());
        assertThat(enqueue.parentId()).isEqualTo(receive.id());
        assertThat(enqueue.kind()).isEqualTo(brave.Span.Kind.PRODUCER);
        assertThat(process.parentId()).as("the worker's span is a child of the enqueue span").isEqualTo(enqueue.id());
        assertThat(process.kind()).isEqualTo(brave.Span.Kind.CONSUMER);
        assertThat(process.tag("hookwise.outcome")).isEqualTo("processed");
        assertThat(process.tag("hookwise.event.id")).isEqualTo("evt_traced");
        assertThat(store.find("evt_traced").orElseThrow().traceContext())
                .startsWith("traceparent=00-" + request.traceId() + "-" + enqueue.id() + "-01");
    }
}
