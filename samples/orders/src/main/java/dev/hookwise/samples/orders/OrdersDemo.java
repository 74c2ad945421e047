package dev.hookwise.samples.orders;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.state.EntityState;
import dev.hookwise.core.spi.state.TransitionRecord;
import dev.hookwise.core.state.StateNames;
import dev.hookwise.core.state.StateTransitions;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.jdbc.state.JdbcStateStore;
import dev.hookwise.testkit.DeliveryLog;
import dev.hookwise.testkit.DeliveryPlan;
import dev.hookwise.testkit.DeliverySimulator;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventBuilder;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.io.PrintStream;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The orders example: an order state machine ({@link OrderRules}) moved by signed Stripe events
 * that arrive early, twice, shuffled and late, on the JDBC event log and state store (embedded
 * H2). Stripe is played by the testkit's delivery simulator in virtual time, so redeliveries
 * after a 422 happen "hours later" in microseconds.
 *
 * <p>The transitions are transactional ({@code StateTransitions.Builder.transactional(true)}): both
 * stores share one database, and each order moves inside the transaction that marks its event
 * completed. An attempt that is rolled back (an early event answered 422) therefore leaves no
 * history row; the event log counts it, and the demo prints which events needed more than one.
 *
 * <p>Run it with {@code mvn -B -q -Pdemo -pl samples/orders -am package -DskipTests}.
 */
public final class OrdersDemo {

    static final String SECRET = "whsec_orders_demo_secret";
    static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private OrdersDemo() {}

    /** Runs the demo and prints what happened. */
    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /** One order's story: its events in the order Stripe created them, and how they are delivered. */
    private record Story(String orderId, String title, List<TestEvent> events, DeliveryPlan plan) {}

    /** Runs every story against a fresh database; returns each order's final state by id. */
    static Map<String, String> run(PrintStream out) throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:hookwise-orders-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection keepAlive = h2.getConnection()) {
            MutableClock clock = MutableClock.at(START);
            JdbcStateStore states = JdbcStateStore.builder(h2).createSchema(true).clock(clock).build();
            // The handler: every rule of the machine, registered in one line, moving orders in the
            // event's transaction (the event log and the state tables share the database).
            StateTransitions<OrderStatus> orders = StateTransitions.builder(OrderRules.machine(), states).clock(clock)
                    .transactional(true).build();
            WebhookProcessor processor = WebhookProcessor.builder()
                    .signingSecrets(SECRET)
                    .store(JdbcIdempotencyStore.builder(h2).createSchema(true).clock(clock).build())
                    .handlers(orders.registerAll(HandlerRegistry.builder()).build())
                    .clock(clock)
                    .build();
            DeliverySimulator stripe = DeliverySimulator.toProcessor(processor)
                    .signer(WebhookSigner.forSecret(SECRET)).clock(clock).build();

            out.println("Hookwise orders demo: " + OrderRules.machine());
            out.println("stores: " + states + ", event log " + processor.store());
            Map<String, String> finals = new LinkedHashMap<>();
            for (Story story : stories(StripeEventFactory.create(clock, 7))) {
                orders.create(story.orderId());
                DeliveryLog log = stripe.deliver(story.events(), story.plan());
                String state = orders.find(story.orderId()).map(s -> StateNames.name(s.state())).orElse("(none)");
                finals.put(story.orderId(), state);
                print(out, story, log, orders.history(story.orderId()), state);
                for (TestEvent e : story.events()) {
                    int attempts = processor.store().find(e.id()).map(r -> r.attempts()).orElse(0);
                    if (attempts > 1) {
                        out.printf("  %s took %d attempts: the rolled-back ones left no history row%n", e.id(), attempts);
                    }
                }
            }

            TestEvent anonymous = StripeEventFactory.create(clock, 8).paymentIntentSucceeded().id("evt_no_order_id").build();
            DeliveryLog log = stripe.deliver(anonymous);
            out.printf("%nAn event without metadata.order_id: %s -> %s (recorded dead, replayable after a fix)%n",
                    anonymous.id(), log.outcomes(anonymous.id()).stream().map(o -> o.code()).toList());

            clock.advance(Duration.ofHours(2));
            out.printf("%nStuck orders: in a state with a way out, unchanged for more than 1 hour, longest first"
                    + " (paid orders wait for the shop's handover; cancelled and refunded ones are done):%n");
            for (EntityState<OrderStatus> s : orders.stuck(Duration.ofHours(1), 50)) {
                out.printf("  %-9s %-16s since %s (last event %s)%n", s.entityId(), StateNames.name(s.state()),
                        s.updatedAt(), s.lastEvent().orElse("-"));
            }
            out.printf("%nDecisions counted by the handler: %s%n", orders.counts());
            return finals;
        }
    }

    private static List<Story> stories(StripeEventFactory events) {
        DeliveryPlan redeliver = DeliveryPlan.builder().redeliverFailures(8, DeliveryPlan.STRIPE_LIKE_BACKOFF).build();
        List<Story> out = new ArrayList<>();
        out.add(new Story("ord_1001", "payment succeeded arrives before the payment started (reversed)",
                List.of(event(events, "ord_1001", "payment_intent.created", 1, null),
                        event(events, "ord_1001", "payment_intent.succeeded", 2, null)),
                DeliveryPlan.builder().reverse().redeliverFailures(8, DeliveryPlan.STRIPE_LIKE_BACKOFF).build()));
        out.add(new Story("ord_1002", "failed once, paid on the second try; every event twice, shuffled",
                List.of(event(events, "ord_1002", "payment_intent.created", 1, null),
                        event(events, "ord_1002", "payment_intent.payment_failed", 2, null),
                        event(events, "ord_1002", "payment_intent.processing", 3, null),
                        event(events, "ord_1002", "payment_intent.succeeded", 4, null)),
                DeliveryPlan.builder().duplicates(1).shuffle(7).redeliverFailures(8, DeliveryPlan.STRIPE_LIKE_BACKOFF).build()));
        out.add(new Story("ord_1003", "cancelled; the older 'created' arrives last and is stale",
                List.of(event(events, "ord_1003", "payment_intent.created", 1, null),
                        event(events, "ord_1003", "payment_intent.canceled", 2, null)),
                DeliveryPlan.builder().reverse().build()));
        out.add(new Story("ord_1004", "paid, disputed, dispute lost; shuffled",
                List.of(event(events, "ord_1004", "payment_intent.created", 1, null),
                        event(events, "ord_1004", "payment_intent.succeeded", 2, null),
                        event(events, "ord_1004", "charge.dispute.created", 3, null),
                        event(events, "ord_1004", "charge.dispute.closed", 4, "lost")),
                DeliveryPlan.builder().shuffle(3).redeliverFailures(8, DeliveryPlan.STRIPE_LIKE_BACKOFF).build()));
        out.add(new Story("ord_1005", "payment failed and the customer never came back",
                List.of(event(events, "ord_1005", "payment_intent.created", 1, null),
                        event(events, "ord_1005", "payment_intent.payment_failed", 2, null)),
                redeliver));
        return out;
    }

    private static TestEvent event(StripeEventFactory events, String order, String type, long second, String status) {
        StripeEventBuilder b = events.event(type)
                .id("evt_" + order.substring(4) + "_" + type.substring(type.indexOf('.') + 1).replace('.', '_'))
                .created(START.minusSeconds(60).plusSeconds(second))
                .metadata("order_id", order);
        if (status != null) {
            b.status(status);
        }
        return b.build();
    }

    private static void print(PrintStream out, Story story, DeliveryLog log, List<TransitionRecord<OrderStatus>> history,
            String state) {
        out.printf("%n%s: %s -> %s%n", story.orderId(), story.title(), state);
        out.println("  deliveries: " + log.deliveries().stream()
                .map(d -> d.eventId().substring(4) + "=" + d.outcomeIfAny().map(o -> o.code()).orElse(d.status().name()))
                .collect(Collectors.joining(", ")));
        for (TransitionRecord<OrderStatus> h : history) {
            out.printf("  #%-4d %-28s %-16s -> %-16s %s%n", h.sequence(), h.eventId(),
                    h.fromState() == null ? "-" : StateNames.name(h.fromState()), StateNames.name(h.toState()), h.result());
        }
    }
}
