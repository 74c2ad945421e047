package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.recovery.EventRecovery;
import dev.hookwise.core.recovery.RecoveryReport;
import dev.hookwise.core.recovery.StateStoreReconciler;
import dev.hookwise.core.recovery.StripeApiRetry;
import dev.hookwise.core.recovery.StripeObjectRef;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.ReconciliationReport;
import dev.hookwise.jdbc.state.JdbcStateStore;
import dev.hookwise.testkit.FakeStripeApi;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import dev.hookwise.testkit.orders.OrderMachine;
import dev.hookwise.testkit.orders.OrderState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8's acceptance on a real database: missed-event recovery and state reconciliation through
 * stripe-java against the testkit's fake Stripe API, with the JDBC event log and state store.
 */
abstract class RecoveryAcceptanceTestBase {
    private static final String SECRET = "whsec_recovery_acceptance";

    protected abstract DatabaseFixture db();

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-20T12:00:00Z"));
    private FakeStripeApi stripe;

    @BeforeEach
    void startStripe() {
        stripe = FakeStripeApi.start();
    }

    @AfterEach
    void stopStripe() {
        stripe.close();
    }

    @Test
    void recoversExactlyTheFiftyDroppedEventsOfAThousandAndNothingOnASecondRun() {
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(db().newPrefix("rec"))
                .createSchema(true).clock(clock).build();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> handled.add(ctx.eventId())).build())
                .build();
        StripeEventFactory events = StripeEventFactory.create(clock, UUID.randomUUID().getMostSignificantBits());
        WebhookSigner signer = WebhookSigner.forSecret(SECRET);
        Set<String> dropped = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            TestEvent e = events.paymentIntentSucceeded().created(clock.instant().minus(Duration.ofHours(48)).plusSeconds(i * 60L))
                    .metadata("order_id", "ord_" + i).build();
            stripe.addEvent(e);
            if (i % 20 == 7) {
                dropped.add(e.id());
            } else {
                assertThat(processor.process(signer.request(e, clock.instant())).status()).isEqualTo(200);
            }
        }
        handled.clear();
        stripe.failNext(3, 429);

        RecoveryReport first = EventRecovery.builder(processor, stripe.client()).clock(clock)
                .retry(StripeApiRetry.of(5, Duration.ofMillis(1))).build().run();

        assertThat(first.complete()).isTrue();
        assertThat(first.listed()).isEqualTo(1000);
        assertThat(first.recovered()).isEqualTo(50);
        assertThat(first.alreadyKnown()).isEqualTo(950);
        assertThat(handled).isEqualTo(dropped);
        assertThat(stripe.requests("/v1/events").stream().filter(r -> r.status() == 200).count())
                .as("ten pages of 100").isGreaterThanOrEqualTo(10);
        assertThat(dropped).allSatisfy(id -> {
            assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
            assertThat(store.find(id).orElseThrow().source()).isEqualTo(EventSource.RECOVERY);
        });

        RecoveryReport second = EventRecovery.builder(processor, stripe.client()).clock(clock).build().run();
        assertThat(second.recovered()).isZero();
        assertThat(second.alreadyKnown()).isEqualTo(1000);
        assertThat(handled).hasSize(50);
    }

    @Test
    void tenDriftedOrdersAreDetectedAndCorrectedThenNone() {
        db().table("entity_state");
        db().table("state_history");
        JdbcStateStore states = JdbcStateStore.builder(db().dataSource()).tablePrefix(db().prefix()).createSchema(true)
                .clock(clock).build();
        String entityType = "order_" + UUID.randomUUID().toString().substring(0, 8);
        var machine = OrderMachine.create(entityType);
        Map<String, String> paymentIntents = new HashMap<>();
        for (int i = 0; i < 15; i++) {
            String order = "ord_" + i;
            states.create(entityType, order, OrderState.PENDING);
            states.transition(entityType, order, Set.of(OrderState.PENDING), OrderState.PENDING_PAYMENT, "evt_local_" + i,
                    clock.instant().minusSeconds(900), EventSource.WEBHOOK);
            String pi = "pi_" + entityType + "_" + i;
            paymentIntents.put(order, pi);
            stripe.putObject(StripeEventFactory.create(clock, i).paymentIntentSucceeded().objectId(pi)
                    .status(i < 10 ? "succeeded" : "processing").metadata("order_id", order).build().dataObjectJson());
        }
        StateStoreReconciler<OrderState> reconciler = StateStoreReconciler.builder(machine, states, stripe.client())
                .clock(clock).retry(StripeApiRetry.of(3, Duration.ofMillis(1)))
                .locator(e -> Optional.ofNullable(paymentIntents.get(e.entityId())).map(StripeObjectRef::paymentIntent))
                .expectedState((object, current) -> "succeeded".equals(((PaymentIntent) object).getStatus())
                        ? Optional.of(OrderState.PAID) : Optional.empty())
                .build();

        ReconciliationReport first = reconciler.reconcile(clock.instant().minus(Duration.ofDays(1)), clock.instant());

        assertThat(first.checked()).isEqualTo(15);
        assertThat(first.driftDetected()).isEqualTo(10);
        assertThat(first.corrected()).isEqualTo(10);
        assertThat(states.find(entityType, "ord_4", OrderState.class).orElseThrow().state()).isEqualTo(OrderState.PAID);
        assertThat(states.find(entityType, "ord_12", OrderState.class).orElseThrow().state()).isEqualTo(OrderState.PENDING_PAYMENT);
        assertThat(states.history(entityType, "ord_4", OrderState.class)).last()
                .satisfies(r -> assertThat(r.source()).isEqualTo(EventSource.RECONCILIATION));

        clock.advance(Duration.ofMinutes(5));
        ReconciliationReport second = reconciler.reconcile(clock.instant().minus(Duration.ofDays(1)), clock.instant());
        assertThat(second.driftDetected()).isZero();
        assertThat(second.corrected()).isZero();
    }
}
