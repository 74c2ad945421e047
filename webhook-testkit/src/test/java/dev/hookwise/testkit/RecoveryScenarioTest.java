package dev.hookwise.testkit;

import static dev.hookwise.testkit.assertj.HookwiseAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.Event;
import com.stripe.param.EventListParams;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The testkit's parts together: deliveries get lost, the fake API lists them, the pipeline catches up. */
class RecoveryScenarioTest {
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final StripeEventFactory events = StripeEventFactory.create(clock, 23);
    private final WebhookSigner signer = WebhookSigner.forSecret("whsec_recovery_scenario");
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(signer.secret()).clock(clock)
            .handlers(HandlerRegistry.builder().onAny(ctx -> handled.add(ctx.eventId())).build()).build();

    @Test
    void droppedDeliveriesAreFoundThroughTheFakeApiAndProcessedOnce() throws Exception {
        List<TestEvent> stream = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofMinutes(1));
            stream.add(i % 3 == 0 ? events.invoicePaymentFailed().build() : events.paymentIntentSucceeded().build());
        }
        Set<String> lost = Set.of(stream.get(2).id(), stream.get(7).id(), stream.get(11).id());
        DeliveryLog log = DeliverySimulator.toProcessor(processor).signer(signer).clock(clock).build()
                .deliver(stream, DeliveryPlan.builder().drop(e -> lost.contains(e.id())).build());
        assertThat(log.unacknowledgedEventIds()).containsExactlyInAnyOrderElementsOf(lost);

        try (FakeStripeApi stripe = FakeStripeApi.start()) {
            stripe.addEvents(stream);
            List<Outcome> recovered = new ArrayList<>();
            EventListParams since = EventListParams.builder().setLimit(5L)
                    .setCreated(EventListParams.Created.builder().setGte(stream.get(0).created().getEpochSecond()).build())
                    .build();
            for (Event e : stripe.client().v1().events().list(since).autoPagingIterable()) {
                if (processor.store().find(e.getId()).isEmpty()) {
                    EventEnvelope envelope = EventEnvelope.parse(e.toJson().getBytes(StandardCharsets.UTF_8));
                    recovered.add(processor.processVerified(envelope, EventSource.RECOVERY).outcome());
                }
            }

            assertThat(recovered).containsExactly(Outcome.PROCESSED, Outcome.PROCESSED, Outcome.PROCESSED);
            assertThat(stripe.requests("/v1/events")).hasSize(3);
        }
        assertThat(handled).hasSize(12);
        assertThat(processor.store()).hasEventsInStatus(EventStatus.COMPLETED, 12);
        for (String id : lost) {
            assertThat(processor.store()).event(id).hasSource(EventSource.RECOVERY).hasAttempts(1);
        }
    }
}
