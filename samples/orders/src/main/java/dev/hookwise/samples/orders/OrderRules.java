package dev.hookwise.samples.orders;

import static dev.hookwise.samples.orders.OrderStatus.CANCELLED;
import static dev.hookwise.samples.orders.OrderStatus.DISPUTED;
import static dev.hookwise.samples.orders.OrderStatus.PAID;
import static dev.hookwise.samples.orders.OrderStatus.PAYMENT_FAILED;
import static dev.hookwise.samples.orders.OrderStatus.PENDING;
import static dev.hookwise.samples.orders.OrderStatus.PENDING_PAYMENT;
import static dev.hookwise.samples.orders.OrderStatus.READY_FOR_HANDOVER;
import static dev.hookwise.samples.orders.OrderStatus.REFUNDED;
import static dev.hookwise.samples.orders.OrderStatus.RELEASED;

import com.stripe.model.Dispute;
import dev.hookwise.core.state.EntityIdResolver;
import dev.hookwise.core.state.StateMachine;
import dev.hookwise.core.state.TransitionRule;
import java.util.Optional;

/** The shop's order machine: the whole definition an application writes. */
public final class OrderRules {

    private OrderRules() {}

    /** Edges exactly as in the troubleshooting guide; every event names its order in {@code metadata.order_id}. */
    public static StateMachine<OrderStatus> machine() {
        return StateMachine.builder("order", OrderStatus.class)
                .initial(PENDING)
                .allow(PENDING, PENDING_PAYMENT, CANCELLED)
                .allow(PENDING_PAYMENT, PAID, PAYMENT_FAILED, CANCELLED)
                .allow(PAYMENT_FAILED, PENDING_PAYMENT, CANCELLED)
                .allow(PAID, READY_FOR_HANDOVER, REFUNDED, DISPUTED)
                .allow(DISPUTED, REFUNDED, RELEASED)
                .terminal(CANCELLED, REFUNDED)
                .entityId(EntityIdResolver.metadata("order_id"))
                .on("payment_intent.created", PENDING_PAYMENT)
                .on("payment_intent.processing", PENDING_PAYMENT)
                .on("payment_intent.succeeded", PAID)                 // early: 422, Stripe delivers again
                .on("payment_intent.payment_failed", PAYMENT_FAILED)
                .on("payment_intent.canceled", CANCELLED)
                .on("charge.refunded", REFUNDED)
                .on("charge.dispute.created", DISPUTED)
                .rule(TransitionRule.on("charge.dispute.closed", OrderStatus.class, ctx -> {
                    String status = ctx.dataObject(Dispute.class).getStatus();
                    return "won".equals(status) ? Optional.of(RELEASED)
                            : "lost".equals(status) ? Optional.of(REFUNDED) : Optional.empty();
                }))
                .build();
    }
}
