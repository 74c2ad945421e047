package dev.hookwise.testkit.recovery;

import static dev.hookwise.testkit.orders.OrderState.CANCELLED;
import static dev.hookwise.testkit.orders.OrderState.PAID;
import static dev.hookwise.testkit.orders.OrderState.PENDING;
import static dev.hookwise.testkit.orders.OrderState.PENDING_PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeObject;
import com.sun.net.httpserver.HttpServer;
import dev.hookwise.core.recovery.ReconciliationScheduler;
import dev.hookwise.core.recovery.StateStoreReconciler;
import dev.hookwise.core.recovery.StripeApiRetry;
import dev.hookwise.core.recovery.StripeObjectRef;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.ReconciliationReport.Action;
import dev.hookwise.core.spi.ReconciliationReport;
import dev.hookwise.core.spi.state.TransitionRecord;
import dev.hookwise.core.state.InMemoryStateStore;
import dev.hookwise.core.state.StateMachine;
import dev.hookwise.testkit.FakeStripeApi;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.orders.OrderMachine;
import dev.hookwise.testkit.orders.OrderState;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The built-in state-store reconciler against the fake Stripe API. */
class ReconciliationTest {
    private static final StateMachine<OrderState> ORDERS = OrderMachine.create();

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-20T03:00:00Z"));
    private final InMemoryStateStore states = InMemoryStateStore.create(clock);
    private final Map<String, String> paymentIntentOfOrder = new HashMap<>();
    private FakeStripeApi stripe;

    @BeforeEach
    void start() {
        stripe = FakeStripeApi.start();
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    private static Optional<OrderState> expected(StripeObject object, OrderState current) {
        return switch (((PaymentIntent) object).getStatus()) {
            case "succeeded" -> Optional.of(PAID);
            case "canceled" -> Optional.of(CANCELLED);
            default -> Optional.empty();
        };
    }

    private StateStoreReconciler<OrderState> reconciler(com.stripe.StripeClient client) {
        return StateStoreReconciler.builder(ORDERS, states, client).clock(clock)
                .retry(StripeApiRetry.of(5, Duration.ofMillis(1)))
                .locator(order -> Optional.ofNullable(paymentIntentOfOrder.get(order.entityId())).map(StripeObjectRef::paymentIntent))
                .expectedState(ReconciliationTest::expected)
                .build();
    }

    /** An order awaiting payment locally, and its payment intent in Stripe with {@code stripeStatus}. */
    private void order(String orderId, OrderState local, String stripeStatus) {
        states.create(ORDERS.entityType(), orderId, PENDING);
        if (local != PENDING) {
            states.transition(ORDERS.entityType(), orderId, Set.of(PENDING), local, "evt_local_" + orderId,
                    clock.instant().minusSeconds(600), EventSource.WEBHOOK);
        }
        String pi = "pi_" + orderId;
        paymentIntentOfOrder.put(orderId, pi);
        stripe.putObject(StripeEventFactory.create(clock, orderId.hashCode()).paymentIntentSucceeded().objectId(pi)
                .status(stripeStatus).metadata("order_id", orderId).build().dataObjectJson());
    }

    @Test
    void tenDriftedOrdersAreDetectedAndCorrectedAndASecondRunFindsNone() {
        for (int i = 0; i < 10; i++) {
            order("ord_drift_" + i, PENDING_PAYMENT, "succeeded"); // the payment_intent.succeeded event was lost
        }
        for (int i = 0; i < 5; i++) {
            order("ord_fine_" + i, PENDING_PAYMENT, "requires_payment_method");
        }
        Instant from = clock.instant().minus(Duration.ofDays(1));

        ReconciliationReport first = reconciler(stripe.client()).reconcile(from, clock.instant());

        assertThat(first.checked()).isEqualTo(15);
        assertThat(first.driftDetected()).isEqualTo(10);
        assertThat(first.corrected()).isEqualTo(10);
        assertThat(first.items()).allSatisfy(i -> {
            assertThat(i.action()).isEqualTo(Action.CORRECTED);
            assertThat(i.localState()).isEqualTo("pending_payment");
            assertThat(i.expectedState()).isEqualTo("paid");
        });
        assertThat(states.find(ORDERS.entityType(), "ord_drift_3", OrderState.class).orElseThrow().state()).isEqualTo(PAID);
        List<TransitionRecord<OrderState>> history = states.history(ORDERS.entityType(), "ord_drift_3", OrderState.class);
        assertThat(history).last().satisfies(r -> {
            assertThat(r.source()).isEqualTo(EventSource.RECONCILIATION);
            assertThat(r.applied()).isTrue();
        });

        clock.advance(Duration.ofMinutes(1));
        ReconciliationReport second = reconciler(stripe.client()).reconcile(from, clock.instant());
        assertThat(second.driftDetected()).isZero();
        assertThat(second.corrected()).isZero();
    }

    @Test
    void driftWithoutADeclaredEdgeIsReportedNotForced() {
        order("ord_cancelled", CANCELLED, "succeeded"); // cancelled locally, paid at Stripe: a person must look

        ReconciliationReport report = reconciler(stripe.client()).reconcile(clock.instant().minus(Duration.ofDays(1)),
                clock.instant().plusSeconds(1));

        assertThat(report.driftDetected()).isEqualTo(1);
        assertThat(report.corrected()).isZero();
        assertThat(report.items()).singleElement().satisfies(i -> {
            assertThat(i.action()).isEqualTo(Action.DETECTED);
            assertThat(i.detail()).contains("no declared edge cancelled -> paid");
        });
        assertThat(states.find(ORDERS.entityType(), "ord_cancelled", OrderState.class).orElseThrow().state()).isEqualTo(CANCELLED);
    }

    @Test
    void rateLimitedFetchesAreRetried() {
        order("ord_429", PENDING_PAYMENT, "succeeded");
        stripe.failNext(3, 429);

        ReconciliationReport report = reconciler(stripe.client()).reconcile(clock.instant().minus(Duration.ofDays(1)), clock.instant());

        assertThat(report.corrected()).isEqualTo(1);
    }

    @Test
    void malformedAnswerFailsThatEntityAndTheRestContinue() throws Exception {
        order("ord_ok", PENDING_PAYMENT, "succeeded");
        order("ord_bad", PENDING_PAYMENT, "succeeded");
        String good = "{\"id\":\"pi_ord_ok\",\"object\":\"payment_intent\",\"status\":\"succeeded\",\"amount\":100,\"currency\":\"eur\"}";
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = (exchange.getRequestURI().getPath().endsWith("pi_ord_bad") ? "{\"id\": \"pi_ord_bad\", \"status\": [tru"
                    : good).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            com.stripe.StripeClient client = com.stripe.StripeClient.builder().setApiKey("sk_test_x")
                    .setApiBase("http://127.0.0.1:" + server.getAddress().getPort()).setMaxNetworkRetries(0).build();

            ReconciliationReport report = reconciler(client).reconcile(clock.instant().minus(Duration.ofDays(1)), clock.instant());

            assertThat(report.corrected()).isEqualTo(1);
            assertThat(report.failed()).isEqualTo(1);
            assertThat(report.items()).filteredOn(i -> i.action() == Action.FAILED).singleElement()
                    .satisfies(i -> {
                        assertThat(i.entityId()).isEqualTo("ord_bad");
                        assertThat(i.detail()).contains("could not be read");
                    });
        } finally {
            server.stop(0);
        }
    }

    @Test
    void reconcilerThrowingAnErrorDoesNotStopTheOthers() {
        order("ord_err", PENDING_PAYMENT, "succeeded");
        dev.hookwise.core.spi.Reconciler broken = new dev.hookwise.core.spi.Reconciler() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public ReconciliationReport reconcile(Instant from, Instant to) {
                throw new NoClassDefFoundError("com/example/Gone");
            }
        };
        ReconciliationScheduler scheduler = ReconciliationScheduler.builder(List.of(broken, reconciler(stripe.client())))
                .clock(clock).build();

        assertThat(scheduler.runNow()).singleElement().satisfies(r -> assertThat(r.corrected()).isEqualTo(1));
        assertThat(scheduler.lastReport("broken")).isEmpty();
        assertThat(scheduler.lastReport("order")).isPresent();
    }

    @Test
    void schedulerKeepsTheLastReportAndRunsAtTheConfiguredHour() {
        order("ord_sched", PENDING_PAYMENT, "succeeded");
        ReconciliationScheduler scheduler = ReconciliationScheduler.builder(List.of(reconciler(stripe.client())))
                .hourOfDay(4).daysBack(2).zone(ZoneId.of("Europe/Berlin")).clock(clock).build();

        assertThat(scheduler.lastReport("order")).isEmpty();
        List<ReconciliationReport> reports = scheduler.runNow();

        assertThat(reports).singleElement().satisfies(r -> assertThat(r.corrected()).isEqualTo(1));
        assertThat(scheduler.lastReport("order")).get().satisfies(r -> {
            assertThat(r.from()).isEqualTo(clock.instant().minus(Duration.ofDays(2)));
            assertThat(r.corrected()).isEqualTo(1);
        });
        // 03:00 UTC is 04:00 in Berlin in November: the next run is a day later.
        assertThat(scheduler.nextRunAfter(clock.instant())).isEqualTo(Instant.parse("2026-11-21T03:00:00Z"));
        assertThat(scheduler.nextRunAfter(Instant.parse("2026-11-20T02:59:00Z"))).isEqualTo(Instant.parse("2026-11-20T03:00:00Z"));
    }
}
