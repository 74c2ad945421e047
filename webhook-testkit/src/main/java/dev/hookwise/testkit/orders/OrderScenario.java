package dev.hookwise.testkit.orders;

import static dev.hookwise.testkit.orders.OrderEvent.canceled;
import static dev.hookwise.testkit.orders.OrderEvent.created;
import static dev.hookwise.testkit.orders.OrderEvent.disputeCreated;
import static dev.hookwise.testkit.orders.OrderEvent.disputeLost;
import static dev.hookwise.testkit.orders.OrderEvent.disputeWon;
import static dev.hookwise.testkit.orders.OrderEvent.failed;
import static dev.hookwise.testkit.orders.OrderEvent.processing;
import static dev.hookwise.testkit.orders.OrderEvent.refunded;
import static dev.hookwise.testkit.orders.OrderEvent.succeeded;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An order's event story in the order Stripe created the events, and the state in-order delivery
 * ends in. {@link #convergent()} lists stories that end in that state however their events are
 * shuffled (with early events delivered again); {@link #nonConvergent()} lists the ones the
 * machine cannot bring to the same end under every order, each with why.
 *
 * @param name a short name
 * @param events the events in the order Stripe created them
 * @param inOrderFinal the state in-order delivery ends in
 * @param why for a non-convergent story, what goes differently; empty otherwise
 */
public record OrderScenario(String name, List<OrderEvent> events, OrderState inOrderFinal, String why) {

    public OrderScenario {
        Objects.requireNonNull(name, "name");
        events = List.copyOf(events);
        Objects.requireNonNull(inOrderFinal, "inOrderFinal");
        Objects.requireNonNull(why, "why");
    }

    /** Stories whose every delivery order ends in {@link #inOrderFinal()}. */
    public static List<OrderScenario> convergent() {
        return List.of(
                new OrderScenario("paid", List.of(created(1), succeeded(2)), OrderState.PAID, ""),
                new OrderScenario("failed-once-then-paid", List.of(created(1), failed(2), processing(3), succeeded(4)),
                        OrderState.PAID, ""),
                new OrderScenario("payment-failed", List.of(created(1), failed(2)), OrderState.PAYMENT_FAILED, ""),
                new OrderScenario("cancelled", List.of(created(1), canceled(2)), OrderState.CANCELLED, ""),
                new OrderScenario("failed-then-cancelled", List.of(created(1), failed(2), canceled(3)),
                        OrderState.CANCELLED, ""),
                new OrderScenario("paid-then-refunded", List.of(created(1), succeeded(2), refunded(3)),
                        OrderState.REFUNDED, ""),
                new OrderScenario("dispute-won", List.of(created(1), succeeded(2), disputeCreated(3), disputeWon(4)),
                        OrderState.RELEASED, ""),
                new OrderScenario("dispute-lost", List.of(created(1), succeeded(2), disputeCreated(3), disputeLost(4)),
                        OrderState.REFUNDED, ""));
    }

    /**
     * Stories the machine cannot make order-independent.
     *
     * <ul>
     *   <li>{@code failed-and-retried-in-one-second}: the failure and the new attempt carry the
     *       same {@code created} second, so neither is older than the other. When
     *       {@code processing} is seen before {@code payment_failed}, the failure is applied after
     *       it, the order stays {@code payment_failed}, and {@code succeeded} is answered
     *       {@code INVALID_TRANSITION} (early, retried) until Stripe gives up; the stuck-orders
     *       report lists the order.</li>
     *   <li>{@code refunded-then-disputed}: in order, the refund ends the story and the late
     *       dispute is {@code INVALID_TRANSITION} (refunded is terminal). When the dispute is seen
     *       first, the order becomes {@code disputed} and the older refund is {@code STALE_EVENT}:
     *       the order stays {@code disputed} until the dispute closes.</li>
     * </ul>
     */
    public static List<OrderScenario> nonConvergent() {
        return List.of(
                new OrderScenario("failed-and-retried-in-one-second",
                        List.of(created(1), failed(2), processing(2), succeeded(3)), OrderState.PAID,
                        "payment_failed and processing share a second; seen in the other order, the failure wins and"
                                + " succeeded stays INVALID_TRANSITION (retried) with the order in payment_failed"),
                new OrderScenario("refunded-then-disputed",
                        List.of(created(1), succeeded(2), refunded(3), disputeCreated(4)), OrderState.REFUNDED,
                        "a dispute seen before the older refund makes the refund STALE_EVENT; the order stays disputed"));
    }

    /** Every permutation of this story's events, in a fixed order (the first is the story itself). */
    public List<List<OrderEvent>> permutations() {
        List<List<OrderEvent>> out = new ArrayList<>();
        permute(new ArrayList<>(events), 0, out);
        return out;
    }

    private static void permute(List<OrderEvent> list, int k, List<List<OrderEvent>> out) {
        if (k == list.size()) {
            out.add(List.copyOf(list));
            return;
        }
        for (int i = k; i < list.size(); i++) {
            java.util.Collections.swap(list, k, i);
            permute(list, k + 1, out);
            java.util.Collections.swap(list, k, i);
        }
    }

    @Override
    public String toString() {
        return name + events;
    }
}
