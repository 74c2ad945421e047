package dev.hookwise.testkit.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.recovery.ConsistencyCheck;
import dev.hookwise.core.recovery.ConsistencyReport;
import dev.hookwise.core.recovery.DuplicatePaymentDetector;
import dev.hookwise.core.recovery.DuplicatePaymentReport;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.state.InMemoryStateStore;
import dev.hookwise.core.state.StateMachine;
import dev.hookwise.core.state.StateTransitions;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import dev.hookwise.testkit.orders.OrderMachine;
import dev.hookwise.testkit.orders.OrderState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConsistencyAndDuplicatesTest {
    private static final String SECRET = "whsec_consistency";
    private static final StateMachine<OrderState> ORDERS = OrderMachine.create();

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-20T12:00:00Z"));
    private final InMemoryIdempotencyStore events = InMemoryIdempotencyStore.create(clock);
    private final InMemoryStateStore states = InMemoryStateStore.create(clock);
    private final StripeEventFactory factory = StripeEventFactory.create(clock, 11);

    @Test
    void completedEventsWithoutTheirEffectAreReported() {
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(events)
                .handlers(StateTransitions.of(ORDERS, states).registerAll(HandlerRegistry.builder()).build()).build();
        for (int i = 0; i < 5; i++) {
            states.create(ORDERS.entityType(), "ord_" + i, OrderState.PENDING);
            TestEvent created = factory.event("payment_intent.created").metadata("order_id", "ord_" + i)
                    .created(clock.instant().minusSeconds(100)).build();
            TestEvent paid = factory.paymentIntentSucceeded().metadata("order_id", "ord_" + i)
                    .created(clock.instant().minusSeconds(50)).build();
            assertThat(p.process(WebhookSigner.forSecret(SECRET).request(created, clock.instant())).status()).isEqualTo(200);
            assertThat(p.process(WebhookSigner.forSecret(SECRET).request(paid, clock.instant())).status()).isEqualTo(200);
        }
        // An event marked completed by something else (a bug, a manual UPDATE) whose effect never landed:
        TestEvent orphan = factory.paymentIntentSucceeded().metadata("order_id", "ord_9").created(clock.instant().minusSeconds(40)).build();
        states.create(ORDERS.entityType(), "ord_9", OrderState.PENDING);
        events.claim(new NewEvent(orphan.id(), orphan.type(), orphan.created(), false, null, null, EventSource.WEBHOOK,
                orphan.bytes()), "rogue", Duration.ofMinutes(1));
        events.complete(new ClaimToken(orphan.id(), "rogue", 1), Duration.ofMillis(1));

        ConsistencyReport report = ConsistencyCheck.of(ORDERS, states, events)
                .check(clock.instant().minus(Duration.ofHours(1)), clock.instant().plusSeconds(1));

        assertThat(report.checked()).isEqualTo(11);
        assertThat(report.inconsistent()).isEqualTo(1);
        assertThat(report.items()).singleElement().satisfies(i -> {
            assertThat(i.eventId()).isEqualTo(orphan.id());
            assertThat(i.entityId()).isEqualTo("ord_9");
            assertThat(i.expectedState()).isEqualTo("paid");
            assertThat(i.finding()).contains("no transition");
        });
    }

    private void succeeded(String pi, String order, String customer, long amount, Instant created) {
        TestEvent e = factory.paymentIntentSucceeded().objectId(pi).metadata("order_id", order).customer(customer)
                .amount(amount).currency("eur").created(created).build();
        events.recordFinal(new NewEvent(e.id(), e.type(), created, false, null, null, EventSource.WEBHOOK, e.bytes()),
                dev.hookwise.core.spi.EventStatus.IGNORED, "test");
    }

    @Test
    void reportsPaymentsTakenTwiceForOneOrderOrOneCustomerAndAmount() {
        Instant t = clock.instant().minus(Duration.ofHours(5));
        succeeded("pi_a1", "ord_a", "cus_1", 1000, t);
        succeeded("pi_a2", "ord_a", "cus_2", 1000, t.plus(Duration.ofHours(2)));          // same order, twice
        succeeded("pi_b1", "ord_b", "cus_3", 2500, t);
        succeeded("pi_b2", "ord_c", "cus_3", 2500, t.plus(Duration.ofMinutes(3)));       // double click
        succeeded("pi_d1", "ord_d", "cus_4", 700, t);
        succeeded("pi_d2", "ord_e", "cus_4", 700, t.plus(Duration.ofHours(1)));           // a later, separate purchase
        succeeded("pi_f1", "ord_f", "cus_5", 900, t);
        succeeded("pi_f1", "ord_f", "cus_5", 900, t.plusSeconds(1));                     // one intent, two events

        DuplicatePaymentReport report = DuplicatePaymentDetector.of(events).detect(t.minusSeconds(1), clock.instant());

        assertThat(report.paymentsSeen()).isEqualTo(7);
        assertThat(report.findings()).containsExactlyInAnyOrder(
                new DuplicatePaymentReport.Finding(DuplicatePaymentReport.Kind.SAME_ORDER, "ord_a",
                        java.util.List.of("pi_a1", "pi_a2")),
                new DuplicatePaymentReport.Finding(DuplicatePaymentReport.Kind.SAME_CUSTOMER_AND_AMOUNT, "cus_3/2500 eur",
                        java.util.List.of("pi_b1", "pi_b2")));
    }
}
