package dev.hookwise.testkit.assertj;

import static dev.hookwise.testkit.assertj.HookwiseAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.DeliveryLog;
import dev.hookwise.testkit.DeliveryPlan;
import dev.hookwise.testkit.DeliverySimulator;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookwiseAssertionsTest {
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final StripeEventFactory events = StripeEventFactory.create(clock, 1);
    private final WebhookSigner signer = WebhookSigner.forSecret("whsec_assertions");
    private final IdempotencyStore store = InMemoryIdempotencyStore.create(clock);
    private final TestEvent paid = events.paymentIntentSucceeded().build();
    private final TestEvent refunded = events.chargeRefunded().build();
    private final TestEvent poison = events.chargeDisputeCreated().build();

    private DeliveryLog deliver(DeliveryPlan plan, TestEvent... list) {
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(signer.secret()).clock(clock)
                .store(store).retryPolicy(RetryPolicy.none())
                .handlers(HandlerRegistry.builder().onAny(ctx -> {
                    if (ctx.eventId().equals(poison.id())) {
                        throw new PermanentWebhookFailure("no such order");
                    }
                }).build())
                .build();
        return DeliverySimulator.toProcessor(processor).signer(signer).clock(clock).build().deliver(List.of(list), plan);
    }

    @Test
    void passingDeliveryLogAssertions() {
        DeliveryLog log = deliver(DeliveryPlan.builder().duplicates(2).build(), paid, refunded);

        assertThat(log)
                .hasDeliveries(6)
                .hasSentDeliveries(6)
                .hasDropped(0)
                .allAcknowledged()
                .everyEventAcknowledged()
                .eachEventProcessedOnce()
                .eventProcessedOnce(paid.id())
                .hasOutcomeCount(Outcome.DUPLICATE, 4)
                .eventHasOutcomes(paid.id(), Outcome.PROCESSED, Outcome.DUPLICATE, Outcome.DUPLICATE)
                .hasNoServerErrors()
                .hasRedeliveries(0);
    }

    @Test
    void failingDeliveryLogAssertionsPrintTheLog() {
        DeliveryLog log = deliver(DeliveryPlan.builder().dropIds(refunded.id()).build(), paid, refunded);

        assertThatThrownBy(() -> assertThat(log).hasSentDeliveries(2))
                .isInstanceOf(AssertionError.class).hasMessageContaining("DROPPED").hasMessageContaining(refunded.id());
        assertThatThrownBy(() -> assertThat(log).hasOutcomeCount(Outcome.PROCESSED, 2))
                .isInstanceOf(AssertionError.class).hasMessageContaining("processed");
        assertThatThrownBy(() -> assertThat(log).eventHasOutcomes(paid.id(), Outcome.DUPLICATE))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertThat(log).eventProcessedOnce(refunded.id())).isInstanceOf(AssertionError.class);
        assertThat(log).hasDropped(1).everyEventAcknowledged().eachEventProcessedOnce();
    }

    @Test
    void storeAndRecordAssertions() {
        deliver(DeliveryPlan.once(), paid, refunded, poison);

        assertThat(store)
                .hasEvent(paid.id())
                .hasEventWithStatus(refunded.id(), EventStatus.COMPLETED)
                .hasEventsInStatus(EventStatus.COMPLETED, 2)
                .hasEventsInStatus(EventStatus.DEAD, 1)
                .hasNoEventsInStatus(EventStatus.FAILED, EventStatus.PROCESSING)
                .doesNotHaveEvent("evt_unknown");
        assertThat(store).event(poison.id())
                .hasStatus(EventStatus.DEAD).hasAttempts(1).hasType("charge.dispute.created")
                .hasSource(EventSource.WEBHOOK).hasErrorContaining("no such order").hasPayload();

        assertThatThrownBy(() -> assertThat(store).event("evt_unknown"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("evt_unknown");
        assertThatThrownBy(() -> assertThat(store)
                .hasNoEventsInStatus(EventStatus.DEAD)).isInstanceOf(AssertionError.class).hasMessageContaining("DEAD");
        assertThatThrownBy(() -> assertThat(store).event(paid.id())
                .hasAttempts(2)).isInstanceOf(AssertionError.class).hasMessageContaining("2 attempt");
    }
}
