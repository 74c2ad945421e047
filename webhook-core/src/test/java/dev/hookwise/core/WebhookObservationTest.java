package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.OTHER_SECRET;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static dev.hookwise.core.metrics.WebhookObservations.ATTEMPT;
import static dev.hookwise.core.metrics.WebhookObservations.ENQUEUE;
import static dev.hookwise.core.metrics.WebhookObservations.EVENT_ID;
import static dev.hookwise.core.metrics.WebhookObservations.EVENT_TYPE;
import static dev.hookwise.core.metrics.WebhookObservations.OUTCOME;
import static dev.hookwise.core.metrics.WebhookObservations.PROCESS;
import static dev.hookwise.core.metrics.WebhookObservations.RECEIVE;
import static dev.hookwise.core.metrics.WebhookObservations.SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.inbox.Backoff;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The receive, enqueue and process observations with Micrometer's test registry: names, key values
 * and nesting for a processed event, a duplicate, failing handlers and a rejected request, and the
 * trace context that asynchronous mode stores with the event and hands to the worker's run.
 */
class WebhookObservationTest {
    private static final String TYPE = "payment_intent.succeeded";
    private static final RetryPolicy FAST_RETRY = RetryPolicy.builder()
            .maxAttempts(2).initialInterval(Duration.ofMillis(1)).maxInterval(Duration.ofMillis(2)).build();
    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0);

    private final TestClock clock = new TestClock(NOW);
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(clock);
    private final TestObservationRegistry registry = TestObservationRegistry.create();

    private WebhookProcessor.Builder builder(WebhookHandler handler) {
        return WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store).retryPolicy(FAST_RETRY)
                .handlers(HandlerRegistry.builder().on(TYPE, handler).build())
                .observationRegistry(registry);
    }

    private WebhookProcessor sync(WebhookHandler handler) {
        return builder(handler).build();
    }

    private WebhookProcessor async(WebhookHandler handler) {
        return builder(handler).mode(ProcessingMode.ASYNC).allowInMemoryInbox(true).build();
    }

    private WebhookRequest signed(String id) {
        byte[] body = TestEvents.event(id, TYPE, clock.instant());
        return WebhookRequest.of(body, header(SECRET, clock.instant(), body));
    }

    private FakeTracePropagation propagating() {
        FakeTracePropagation propagation = new FakeTracePropagation();
        registry.observationConfig().observationHandler(propagation);
        return propagation;
    }

    @Test
    void aProcessedEventIsOneReceiveWithItsProcessRunInside() {
        WebhookResponse answer = sync(ctx -> { }).process(signed("evt_obs_ok"));

        assertThat(answer.outcome()).isEqualTo(Outcome.PROCESSED);
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(RECEIVE, 1)
                .hasNumberOfObservationsWithNameEqualTo(PROCESS, 1)
                .hasNumberOfObservationsWithNameEqualTo(ENQUEUE, 0);
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(RECEIVE).that()
                .hasContextualNameEqualTo("hookwise receive")
                .hasLowCardinalityKeyValue(EVENT_TYPE, TYPE)
                .hasLowCardinalityKeyValue(OUTCOME, "processed")
                .hasHighCardinalityKeyValue(EVENT_ID, "evt_obs_ok")
                .doesNotHaveParentObservation()
                .doesNotHaveError()
                .hasBeenStarted()
                .hasBeenStopped();
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(PROCESS).that()
                .hasLowCardinalityKeyValue(EVENT_TYPE, TYPE)
                .hasLowCardinalityKeyValue(OUTCOME, "processed")
                .hasLowCardinalityKeyValue(SOURCE, "webhook")
                .hasHighCardinalityKeyValue(EVENT_ID, "evt_obs_ok")
                .hasHighCardinalityKeyValue(ATTEMPT, "1")
                .hasParentObservationContextMatching(parent -> RECEIVE.equals(parent.getName()))
                .hasBeenStopped();
        assertThat(registry.getCurrentObservation()).as("no scope left open in the request thread").isNull();
    }

    @Test
    void theHandlerRunsInsideTheProcessObservation() {
        Observation[] current = new Observation[1];
        sync(ctx -> current[0] = registry.getCurrentObservation()).process(signed("evt_obs_current"));

        assertThat(current[0]).isNotNull();
        assertThat(current[0].getContextView().getName()).isEqualTo(PROCESS);
    }

    @Test
    void aDuplicateIsAReceiveWithoutAProcessRun() {
        WebhookProcessor processor = sync(ctx -> { });
        processor.process(signed("evt_obs_dup"));
        WebhookResponse again = processor.process(signed("evt_obs_dup"));

        assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(RECEIVE, 2)
                .hasNumberOfObservationsWithNameEqualTo(PROCESS, 1)
                .hasAnObservation(o -> o.hasNameEqualTo(RECEIVE)
                        .hasLowCardinalityKeyValue(OUTCOME, "duplicate")
                        .hasLowCardinalityKeyValue(EVENT_TYPE, TYPE)
                        .hasHighCardinalityKeyValue(EVENT_ID, "evt_obs_dup"));
    }

    @Test
    void aHandlerThatFailsPermanentlyIsObservedAsFailedPermanent() {
        WebhookResponse answer = sync(ctx -> {
            throw new PermanentWebhookFailure("order ord_1 does not exist");
        }).process(signed("evt_obs_dead"));

        assertThat(answer.outcome()).isEqualTo(Outcome.FAILED_PERMANENT);
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(RECEIVE).that()
                .hasLowCardinalityKeyValue(OUTCOME, "failed_permanent");
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(PROCESS).that()
                .hasLowCardinalityKeyValue(OUTCOME, "failed_permanent")
                .hasHighCardinalityKeyValue(EVENT_ID, "evt_obs_dead");
    }

    @Test
    void aHandlerThatKeepsFailingIsObservedAsFailedTransientAndItsRedeliveryAsTheNextAttempt() {
        AtomicInteger calls = new AtomicInteger();
        WebhookProcessor processor = sync(ctx -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("ledger unavailable");
            }
        });

        assertThat(processor.process(signed("evt_obs_flaky")).outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(processor.process(signed("evt_obs_flaky")).outcome()).isEqualTo(Outcome.PROCESSED);

        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(PROCESS, 2)
                .hasAnObservation(o -> o.hasNameEqualTo(PROCESS)
                        .hasLowCardinalityKeyValue(OUTCOME, "failed_transient")
                        .hasHighCardinalityKeyValue(ATTEMPT, "1"))
                .hasAnObservation(o -> o.hasNameEqualTo(PROCESS)
                        .hasLowCardinalityKeyValue(OUTCOME, "processed")
                        .hasHighCardinalityKeyValue(ATTEMPT, "2"))
                .hasAnObservation(o -> o.hasNameEqualTo(RECEIVE).hasLowCardinalityKeyValue(OUTCOME, "failed_transient"));
    }

    @Test
    void aBadSignatureIsAReceiveWithoutEventOrProcessRun() {
        byte[] body = TestEvents.event("evt_obs_forged", TYPE, NOW);
        WebhookResponse answer = sync(ctx -> { }).process(WebhookRequest.of(body, header(OTHER_SECRET, NOW, body)));

        assertThat(answer.outcome()).isEqualTo(Outcome.SIGNATURE_NO_MATCH);
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(RECEIVE, 1)
                .hasNumberOfObservationsWithNameEqualTo(PROCESS, 0);
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(RECEIVE).that()
                .hasLowCardinalityKeyValue(OUTCOME, "signature_no_match")
                .hasLowCardinalityKeyValue(EVENT_TYPE, "unknown")
                .doesNotHaveHighCardinalityKeyValueWithKey(EVENT_ID)
                .hasBeenStopped();
    }

    @Test
    void aMissingSignatureHeaderIsObservedWithItsReason() {
        byte[] body = TestEvents.event("evt_obs_unsigned", TYPE, NOW);
        sync(ctx -> { }).process(WebhookRequest.of(body, null));

        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(RECEIVE).that()
                .hasLowCardinalityKeyValue(OUTCOME, "signature_missing")
                .hasLowCardinalityKeyValue(EVENT_TYPE, "unknown");
    }

    @Test
    void asyncStoresTheDeliverysTraceContextAndTheWorkersRunContinuesIt() {
        FakeTracePropagation propagation = propagating();
        WebhookProcessor processor = async(ctx -> { });

        WebhookResponse answer = processor.process(signed("evt_obs_async"));

        assertThat(answer.outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(propagation.written).hasSize(1);
        String traceparent = propagation.written.get(0);
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(ENQUEUE).that()
                .hasLowCardinalityKeyValue(EVENT_TYPE, TYPE)
                .hasLowCardinalityKeyValue(OUTCOME, "queued")
                .hasHighCardinalityKeyValue(EVENT_ID, "evt_obs_async")
                .hasParentObservationContextMatching(parent -> RECEIVE.equals(parent.getName()))
                .satisfies(ctx -> assertThat(ctx).isInstanceOf(SenderContext.class));
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(RECEIVE).that()
                .hasLowCardinalityKeyValue(OUTCOME, "queued");
        assertThat(store.find("evt_obs_async").orElseThrow().traceContext())
                .isEqualTo("traceparent=" + traceparent + "\ntracestate=hookwise=test");

        assertThat(InboxWorker.builder(processor).backoff(BACKOFF).build().drainOnce()).isEqualTo(1);

        assertThat(propagation.read).containsExactly(traceparent);
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(PROCESS).that()
                .hasLowCardinalityKeyValue(EVENT_TYPE, TYPE)
                .hasLowCardinalityKeyValue(OUTCOME, "processed")
                .hasLowCardinalityKeyValue(SOURCE, "webhook")
                .hasHighCardinalityKeyValue(EVENT_ID, "evt_obs_async")
                .hasHighCardinalityKeyValue(ATTEMPT, "1")
                .doesNotHaveParentObservation()
                .satisfies(ctx -> {
                    assertThat(ctx).isInstanceOf(ReceiverContext.class);
                    assertThat(((ReceiverContext<?>) ctx).getCarrier()).isEqualTo(
                            Map.of("traceparent", traceparent, "tracestate", "hookwise=test"));
                });
    }

    @Test
    void everyRetryOfAQueuedEventContinuesTheSameTrace() {
        FakeTracePropagation propagation = propagating();
        AtomicInteger calls = new AtomicInteger();
        WebhookProcessor processor = async(ctx -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("ledger unavailable");
            }
        });
        InboxWorker worker = InboxWorker.builder(processor).backoff(BACKOFF).build();
        processor.process(signed("evt_obs_retry"));

        worker.drainOnce();
        clock.advance(Duration.ofMinutes(1));
        worker.drainOnce();

        assertThat(store.find("evt_obs_retry").orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(propagation.read).containsExactly(propagation.written.get(0), propagation.written.get(0));
        TestObservationRegistryAssert.assertThat(registry)
                .hasAnObservation(o -> o.hasNameEqualTo(PROCESS).hasLowCardinalityKeyValue(OUTCOME, "failed_transient")
                        .hasHighCardinalityKeyValue(ATTEMPT, "1"))
                .hasAnObservation(o -> o.hasNameEqualTo(PROCESS).hasLowCardinalityKeyValue(OUTCOME, "processed")
                        .hasHighCardinalityKeyValue(ATTEMPT, "2"));
    }

    @Test
    void aWorkerRunOutOfAttemptsIsObservedAsFailedPermanent() {
        WebhookProcessor processor = async(ctx -> {
            throw new IllegalStateException("ledger unavailable");
        });
        processor.process(signed("evt_obs_exhausted"));

        InboxWorker.builder(processor).maxAttempts(1).backoff(BACKOFF).build().drainOnce();

        assertThat(store.find("evt_obs_exhausted").orElseThrow().status()).isEqualTo(EventStatus.DEAD);
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(PROCESS).that()
                .hasLowCardinalityKeyValue(OUTCOME, "failed_permanent");
    }

    @Test
    void withoutAPropagatingTracerNothingIsStoredAndTheWorkerStillObservesItsRun() {
        WebhookProcessor processor = async(ctx -> { });
        processor.process(signed("evt_obs_untraced"));

        assertThat(store.find("evt_obs_untraced").orElseThrow().traceContext()).isNull();
        InboxWorker.builder(processor).backoff(BACKOFF).build().drainOnce();
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(PROCESS).that()
                .hasLowCardinalityKeyValue(OUTCOME, "processed")
                .satisfies(ctx -> assertThat(((ReceiverContext<?>) ctx).getCarrier()).isEqualTo(Map.of()));
    }

    @Test
    void aDuplicateDeliveryInAsyncModeIsAnEnqueueAnsweredDuplicate() {
        propagating();
        WebhookProcessor processor = async(ctx -> { });
        processor.process(signed("evt_obs_twice"));
        processor.process(signed("evt_obs_twice"));

        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(ENQUEUE, 2)
                .hasAnObservation(o -> o.hasNameEqualTo(ENQUEUE).hasLowCardinalityKeyValue(OUTCOME, "duplicate"))
                .hasAnObservation(o -> o.hasNameEqualTo(RECEIVE).hasLowCardinalityKeyValue(OUTCOME, "duplicate"));
    }

    @Test
    void aReplayIsAProcessRunWithItsSourceInTheCallersTrace() {
        WebhookProcessor processor = sync(ctx -> {
            throw new PermanentWebhookFailure("order ord_1 does not exist");
        });
        processor.process(signed("evt_obs_replay"));
        EventRecord dead = store.find("evt_obs_replay").orElseThrow();
        assertThat(dead.status()).isEqualTo(EventStatus.DEAD);
        registry.clear();

        Observation.createNotStarted("operator.replay", registry)
                .observe(() -> processor.processRecorded(EventEnvelope.parse(dead.payload()), EventSource.REPLAY));

        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(PROCESS).that()
                .hasLowCardinalityKeyValue(SOURCE, "replay")
                .hasLowCardinalityKeyValue(OUTCOME, "failed_permanent")
                .hasParentObservationContextMatching(parent -> "operator.replay".equals(parent.getName()));
    }

    @Test
    void aFailingObservationHandlerNeverChangesTheAnswer() {
        AtomicInteger runs = new AtomicInteger();
        registry.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStart(Observation.Context context) {
                if (RECEIVE.equals(context.getName())) {
                    throw new IllegalStateException("exporter down");
                }
            }

            @Override
            public void onStop(Observation.Context context) {
                throw new IllegalStateException("exporter down"); // enqueue and process: started, then this
            }
        });

        assertThat(sync(ctx -> runs.incrementAndGet()).process(signed("evt_obs_broken")).outcome())
                .isEqualTo(Outcome.PROCESSED);
        WebhookProcessor async = async(ctx -> runs.incrementAndGet());
        assertThat(async.process(signed("evt_obs_broken_async")).outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(InboxWorker.builder(async).backoff(BACKOFF).build().drainOnce()).isEqualTo(1);

        assertThat(runs).hasValue(2);
        assertThat(registry.getCurrentObservation()).isNull();
    }

    @Test
    void eventTypesThatDoNotLookLikeStripesAreTaggedUnknown() {
        assertThat(MicrometerPipelineObservations.eventType("invoice.paid")).isEqualTo("invoice.paid");
        assertThat(MicrometerPipelineObservations.eventType("v2.core.account[requirements].updated"))
                .isEqualTo("v2.core.account[requirements].updated");
        assertThat(MicrometerPipelineObservations.eventType("Invoice.Paid")).isEqualTo("unknown");
        assertThat(MicrometerPipelineObservations.eventType("")).isEqualTo("unknown");
        assertThat(MicrometerPipelineObservations.eventType("a.".repeat(65))).isEqualTo("unknown");
        assertThat(MicrometerPipelineObservations.eventType("invoice.paid\" OR 1=1")).isEqualTo("unknown");
    }
}
