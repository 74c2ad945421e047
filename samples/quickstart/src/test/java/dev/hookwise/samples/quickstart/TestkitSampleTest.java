package dev.hookwise.samples.quickstart;

import static dev.hookwise.testkit.assertj.HookwiseAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.Charge;
import com.stripe.model.checkout.Session;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.RetryLaterException;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.testkit.DeliveryLog;
import dev.hookwise.testkit.DeliveryPlan;
import dev.hookwise.testkit.DeliverySimulator;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import dev.hookwise.testkit.junit.HookwiseExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Testing your own webhook handler with nothing but the testkit's public API: Stripe-shaped events,
 * real signatures, duplicated and out-of-order delivery, Stripe-like redelivery in virtual time.
 *
 * <p>The handler under test keeps orders: a completed checkout marks an order paid, a refund marks a
 * paid order refunded. A refund that arrives before its payment asks Stripe to deliver it again
 * later ({@link RetryLaterException} → 422), which Stripe does, so the order still ends refunded.
 */
@ExtendWith(HookwiseExtension.class)
class TestkitSampleTest {
    private final Map<String, String> orders = new ConcurrentHashMap<>();
    private final AtomicInteger fulfilments = new AtomicInteger();

    private WebhookSigner signer;
    private MutableClock clock;
    private StripeEventFactory events;
    private WebhookProcessor processor;

    @BeforeEach
    void setUp(WebhookSigner signer, MutableClock clock, StripeEventFactory events) {
        this.signer = signer;
        this.clock = clock;
        this.events = events;
        this.processor = WebhookProcessor.builder()
                .signingSecrets(signer.secret())
                .clock(clock)
                .retryPolicy(RetryPolicy.none())
                .handlers(HandlerRegistry.builder()
                        .on("checkout.session.completed", Session.class, (session, ctx) -> {
                            orders.put(session.getMetadata().get("order_id"), "paid");
                            fulfilments.incrementAndGet();
                        })
                        .on("charge.refunded", Charge.class, (charge, ctx) -> {
                            String order = charge.getMetadata().get("order_id");
                            if (!"paid".equals(orders.get(order))) {
                                throw new RetryLaterException("order " + order + " is not paid yet");
                            }
                            orders.put(order, "refunded");
                        })
                        .build())
                .build();
    }

    private DeliverySimulator stripe() {
        return DeliverySimulator.toProcessor(processor).signer(signer).clock(clock).build();
    }

    @Test
    void signedCheckoutMarksTheOrderPaid() {
        TestEvent checkout = events.checkoutSessionCompleted().amount(4200).metadata("order_id", "ord_1").build();

        WebhookResponse answer = processor.process(signer.request(checkout));

        assertThat(answer.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(orders).containsEntry("ord_1", "paid");
    }

    @Test
    void forgedAndReplayedDeliveriesAreRejected() {
        TestEvent checkout = events.checkoutSessionCompleted().metadata("order_id", "ord_2").build();

        WebhookResponse forged = processor.process(signer.request(checkout, clock.instant(),
                WebhookSigner.Options.defaults().wrongSecret()));
        WebhookResponse replayed = processor.process(signer.request(checkout, clock.instant(),
                WebhookSigner.Options.defaults().olderBy(Duration.ofMinutes(10))));

        assertThat(forged.outcome()).isEqualTo(Outcome.SIGNATURE_NO_MATCH);
        assertThat(replayed.outcome()).isEqualTo(Outcome.SIGNATURE_TOO_OLD);
        assertThat(orders).isEmpty();
    }

    @Test
    void duplicatesAreFulfilledOnce() {
        TestEvent checkout = events.checkoutSessionCompleted().metadata("order_id", "ord_3").build();

        TestEvent raced = events.checkoutSessionCompleted().metadata("order_id", "ord_3b").build();

        DeliveryLog log = stripe().deliver(List.of(checkout), DeliveryPlan.builder().duplicates(3).build());
        DeliveryLog racing = stripe().deliver(List.of(raced),
                DeliveryPlan.builder().concurrentCopies(8).redeliverFailures(3).build());

        assertThat(log).hasSentDeliveries(4).eachEventProcessedOnce().hasOutcomeCount(Outcome.DUPLICATE, 3);
        assertThat(racing).eventProcessedOnce(raced.id()).everyEventAcknowledged();
        assertThat(fulfilments.get()).isEqualTo(2);
        assertThat(processor.store()).event(checkout.id()).hasStatus(EventStatus.COMPLETED).hasAttempts(1);
    }

    @Test
    void refundDeliveredBeforeItsPaymentIsAppliedOnRedelivery() {
        TestEvent checkout = events.checkoutSessionCompleted().metadata("order_id", "ord_4").build();
        TestEvent refund = events.chargeRefunded().metadata("order_id", "ord_4").build();

        DeliveryLog log = stripe().deliver(List.of(checkout, refund),
                DeliveryPlan.builder().reverse().redeliverFailures(5).build());

        assertThat(log).everyEventAcknowledged().eachEventProcessedOnce().hasRedeliveries(1)
                .eventHasOutcomes(refund.id(), Outcome.RETRY_LATER, Outcome.PROCESSED);
        assertThat(orders).containsEntry("ord_4", "refunded");
        assertThat(processor.store()).event(refund.id()).hasStatus(EventStatus.COMPLETED).hasAttempts(2);
    }

    @Test
    void shuffledDuplicatedStreamOfManyOrdersConverges() {
        List<TestEvent> stream = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            stream.add(events.checkoutSessionCompleted().metadata("order_id", "ord_s" + i).build());
            if (i % 4 == 0) {
                stream.add(events.chargeRefunded().metadata("order_id", "ord_s" + i).build());
            }
        }

        DeliveryLog log = stripe().deliver(stream,
                DeliveryPlan.builder().duplicates(1).shuffle(2026).redeliverFailures(8).build());

        assertThat(log).everyEventAcknowledged().eachEventProcessedOnce().hasNoServerErrors();
        assertThat(orders).hasSize(20);
        assertThat(orders.values()).filteredOn("refunded"::equals).hasSize(5);
        assertThat(fulfilments.get()).isEqualTo(20);
        assertThat(processor.store()).hasEventsInStatus(EventStatus.COMPLETED, stream.size())
                .hasNoEventsInStatus(EventStatus.FAILED, EventStatus.DEAD);
    }
}
