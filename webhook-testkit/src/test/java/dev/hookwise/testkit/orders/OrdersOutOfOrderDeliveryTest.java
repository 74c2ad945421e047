package dev.hookwise.testkit.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.state.TransitionRecord;
import dev.hookwise.core.spi.state.TransitionResult.Status;
import dev.hookwise.core.state.InMemoryStateStore;
import dev.hookwise.core.state.StateTransitions;
import dev.hookwise.testkit.DeliveryLog;
import dev.hookwise.testkit.DeliveryPlan;
import dev.hookwise.testkit.DeliverySimulator;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The orders example end to end: signed Stripe events delivered by the testkit's
 * {@link DeliverySimulator} through a {@link WebhookProcessor} into {@link StateTransitions}, once
 * in order and then shuffled (seeded), each copy delivered twice, and every answer that is not
 * 2xx (422 for an early event) redelivered with Stripe-like backoff in virtual time.
 */
class OrdersOutOfOrderDeliveryTest {

    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
    private static final int SEEDS = 30;
    private static final String SECRET = "whsec_orders_out_of_order_test";

    /** One order's delivery: the order's final state and what the simulator saw. */
    private record Run(Optional<OrderState> finalState, DeliveryLog log, List<TransitionRecord<OrderState>> history) {}

    private Run deliver(OrderScenario scenario, DeliveryPlan plan, String label) {
        MutableClock clock = MutableClock.at(START);
        InMemoryStateStore store = InMemoryStateStore.create(clock);
        StateTransitions<OrderState> orders = StateTransitions.builder(OrderMachine.create(), store).clock(clock).build();
        WebhookProcessor processor = WebhookProcessor.builder()
                .signingSecrets(SECRET)
                .store(InMemoryIdempotencyStore.create(clock))
                .handlers(orders.registerAll(HandlerRegistry.builder()).build())
                .clock(clock)
                .build();
        StripeEventFactory factory = StripeEventFactory.create(clock, 42);
        String order = "ord_" + label;
        orders.create(order);
        List<TestEvent> events = new ArrayList<>();
        for (OrderEvent e : scenario.events()) {
            events.add(e.toTestEvent(factory, OrderDelivery.eventId(e, "evt_" + label + "_"), order,
                    START.minusSeconds(60)));
        }
        DeliveryLog log = DeliverySimulator.toProcessor(processor).signer(WebhookSigner.forSecret(SECRET)).clock(clock)
                .build().deliver(events, plan);
        return new Run(orders.find(order).map(s -> s.state()), log, orders.history(order));
    }

    private static DeliveryPlan shuffled(long seed) {
        return DeliveryPlan.builder().duplicates(1).shuffle(seed)
                .redeliverFailures(10, DeliveryPlan.STRIPE_LIKE_BACKOFF).build();
    }

    @Test
    void inOrderDeliveryEndsInTheScenariosFinalState() {
        for (OrderScenario scenario : OrderScenario.convergent()) {
            Run run = deliver(scenario, DeliveryPlan.once(), scenario.name() + "_inorder");

            assertThat(run.finalState()).as(scenario.name()).contains(scenario.inOrderFinal());
            assertThat(run.log().unacknowledgedEventIds()).as(scenario.name()).isEmpty();
        }
    }

    @Test
    void shuffledDuplicatedDeliveryEndsWhereInOrderDeliveryEnds() {
        for (OrderScenario scenario : OrderScenario.convergent()) {
            OrderState inOrder = deliver(scenario, DeliveryPlan.once(), scenario.name() + "_ref").finalState().orElseThrow();
            for (long seed = 1; seed <= SEEDS; seed++) {
                Run run = deliver(scenario, shuffled(seed), scenario.name() + "_" + seed);

                assertThat(run.finalState()).as("%s, seed %d", scenario.name(), seed).contains(inOrder);
                assertThat(run.log().unacknowledgedEventIds()).as("%s, seed %d", scenario.name(), seed).isEmpty();
                assertThat(run.history()).filteredOn(TransitionRecord::applied)
                        .extracting(TransitionRecord::toState).last().isEqualTo(inOrder);
            }
        }
    }

    @Test
    void earlyEventsAreAnswered422AndLandOnRedelivery() {
        OrderScenario paid = OrderScenario.convergent().get(0);
        Run run = deliver(paid, DeliveryPlan.builder().reverse().redeliverFailures(5, DeliveryPlan.STRIPE_LIKE_BACKOFF)
                .build(), "reverse");

        String succeeded = "evt_reverse_payment_intent.succeeded@2";
        assertThat(run.log().outcomes(succeeded)).containsExactly(Outcome.RETRY_LATER, Outcome.PROCESSED);
        assertThat(run.finalState()).contains(OrderState.PAID);
        assertThat(run.history()).extracting(h -> h.eventId() + ":" + h.result()).containsExactly(
                succeeded + ":INVALID_TRANSITION", "evt_reverse_payment_intent.created@1:APPLIED", succeeded + ":APPLIED");
    }

    /**
     * Documents {@code failed-and-retried-in-one-second}: depending on the order, the order ends
     * paid (as in order) or stays payment_failed with {@code succeeded} answered 422 on each
     * delivery until the processor's {@code maxAttempts}, then recorded dead (answered 200
     * {@code failed_permanent}: Stripe stops, and the event waits for a replay rather than being
     * dropped silently after Stripe's three days); its history ends in INVALID_TRANSITION rows.
     */
    @Test
    void sameSecondFailureAndRetryEndsPaidOrStuckInPaymentFailed() {
        OrderScenario scenario = OrderScenario.nonConvergent().get(0);
        Map<OrderState, Integer> finals = new EnumMap<>(OrderState.class);
        for (long seed = 1; seed <= SEEDS; seed++) {
            String label = "sec_" + seed;
            Run run = deliver(scenario, shuffled(seed), label);
            OrderState end = run.finalState().orElseThrow();
            finals.merge(end, 1, Integer::sum);
            if (end == OrderState.PAYMENT_FAILED) {
                String succeeded = "evt_" + label + "_payment_intent.succeeded@3";
                assertThat(run.log().unacknowledgedEventIds()).isEmpty();
                List<Outcome> outcomes = run.log().outcomes(succeeded);
                assertThat(outcomes).filteredOn(o -> o == Outcome.RETRY_LATER)
                        .hasSize(WebhookProcessor.DEFAULT_MAX_ATTEMPTS - 1);
                assertThat(outcomes).filteredOn(o -> o != Outcome.RETRY_LATER)
                        .startsWith(Outcome.FAILED_PERMANENT)
                        .allMatch(o -> o == Outcome.FAILED_PERMANENT || o == Outcome.DUPLICATE);
                assertThat(run.history()).last().satisfies(h -> {
                    assertThat(h.eventId()).isEqualTo(succeeded);
                    assertThat(h.result()).isEqualTo(Status.INVALID_TRANSITION);
                });
            } else {
                assertThat(end).isEqualTo(OrderState.PAID);
                assertThat(run.log().unacknowledgedEventIds()).isEmpty();
            }
        }
        assertThat(finals).containsOnlyKeys(OrderState.PAID, OrderState.PAYMENT_FAILED);
    }

    /**
     * Documents {@code refunded-then-disputed}: a dispute seen before the (older) refund leaves the
     * order disputed and the refund STALE_EVENT; every event is acknowledged either way.
     */
    @Test
    void disputeBeforeOlderRefundEndsDisputedWithTheRefundStale() {
        OrderScenario scenario = OrderScenario.nonConvergent().get(1);
        Map<OrderState, Integer> finals = new EnumMap<>(OrderState.class);
        for (long seed = 1; seed <= SEEDS; seed++) {
            String label = "disp_" + seed;
            Run run = deliver(scenario, shuffled(seed), label);
            OrderState end = run.finalState().orElseThrow();
            finals.merge(end, 1, Integer::sum);
            assertThat(run.log().unacknowledgedEventIds()).isEmpty();
            if (end == OrderState.DISPUTED) {
                // Possibly early (INVALID_TRANSITION, redelivered) first; never applied; finally stale.
                assertThat(run.history()).filteredOn(h -> h.toState() == OrderState.REFUNDED)
                        .extracting(TransitionRecord::result).doesNotContain(Status.APPLIED).last()
                        .isEqualTo(Status.STALE_EVENT);
            } else {
                assertThat(end).isEqualTo(OrderState.REFUNDED);
                assertThat(run.history()).filteredOn(h -> h.toState() == OrderState.DISPUTED)
                        .extracting(TransitionRecord::result).doesNotContain(Status.APPLIED, Status.STALE_EVENT);
            }
        }
        assertThat(finals).containsOnlyKeys(OrderState.REFUNDED, OrderState.DISPUTED);
    }
}
