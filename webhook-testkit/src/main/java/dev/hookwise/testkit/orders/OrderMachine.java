package dev.hookwise.testkit.orders;

import static dev.hookwise.testkit.orders.OrderState.CANCELLED;
import static dev.hookwise.testkit.orders.OrderState.DISPUTED;
import static dev.hookwise.testkit.orders.OrderState.PAID;
import static dev.hookwise.testkit.orders.OrderState.PAYMENT_FAILED;
import static dev.hookwise.testkit.orders.OrderState.PENDING;
import static dev.hookwise.testkit.orders.OrderState.PENDING_PAYMENT;
import static dev.hookwise.testkit.orders.OrderState.READY_FOR_HANDOVER;
import static dev.hookwise.testkit.orders.OrderState.REFUNDED;
import static dev.hookwise.testkit.orders.OrderState.RELEASED;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.hookwise.core.EventContext;
import dev.hookwise.core.state.EntityIdResolver;
import dev.hookwise.core.state.StateMachine;
import dev.hookwise.core.state.TransitionRule;
import java.util.Optional;

/**
 * The orders example as a {@link StateMachine}, with exactly the edges of the README's orders example:
 *
 * <pre>
 * pending         → pending_payment | cancelled
 * pending_payment → paid | payment_failed | cancelled
 * payment_failed  → pending_payment | cancelled
 * paid            → ready_for_handover | refunded | disputed
 * disputed        → refunded | released
 * cancelled, refunded: terminal
 * </pre>
 *
 * and these rules (the order id is in {@code metadata.order_id} of every object, as the shop
 * puts it on the PaymentIntent and its charges and disputes; early events are retried later):
 *
 * <pre>
 * payment_intent.created         → pending_payment
 * payment_intent.processing      → pending_payment   (a new attempt after a failure)
 * payment_intent.succeeded       → paid
 * payment_intent.payment_failed  → payment_failed
 * payment_intent.canceled        → cancelled
 * charge.refunded                → refunded
 * charge.dispute.created         → disputed
 * charge.dispute.closed          → released when won, refunded when lost, nothing otherwise
 * </pre>
 *
 * {@code ready_for_handover} is the shop's own step, not a Stripe event.
 */
public final class OrderMachine {

    /** The entity type orders are stored under. */
    public static final String ENTITY_TYPE = "order";
    /** Where the order id is found in every event's object. */
    public static final String ORDER_ID_KEY = "order_id";

    private OrderMachine() {}

    /** The machine with its edges only, under {@code entityType}; no rules. */
    public static StateMachine.Builder<OrderState> edges(String entityType) {
        return StateMachine.builder(entityType, OrderState.class)
                .initial(PENDING)
                .allow(PENDING, PENDING_PAYMENT, CANCELLED)
                .allow(PENDING_PAYMENT, PAID, PAYMENT_FAILED, CANCELLED)
                .allow(PAYMENT_FAILED, PENDING_PAYMENT, CANCELLED)
                .allow(PAID, READY_FOR_HANDOVER, REFUNDED, DISPUTED)
                .allow(DISPUTED, REFUNDED, RELEASED)
                .terminal(CANCELLED, REFUNDED);
    }

    /** The full machine, edges and rules, under {@value #ENTITY_TYPE}. */
    public static StateMachine<OrderState> create() {
        return create(ENTITY_TYPE);
    }

    /** The full machine under another entity type (tests sharing a table use one per run). */
    public static StateMachine<OrderState> create(String entityType) {
        return edges(entityType)
                .entityId(EntityIdResolver.metadata(ORDER_ID_KEY))
                .on("payment_intent.created", PENDING_PAYMENT)
                .on("payment_intent.processing", PENDING_PAYMENT)
                .on("payment_intent.succeeded", PAID)
                .on("payment_intent.payment_failed", PAYMENT_FAILED)
                .on("payment_intent.canceled", CANCELLED)
                .on("charge.refunded", REFUNDED)
                .on("charge.dispute.created", DISPUTED)
                .rule(TransitionRule.on("charge.dispute.closed", OrderState.class, OrderMachine::disputeOutcome))
                .build();
    }

    /** {@code charge.dispute.closed}: won → released, lost → refunded, anything else moves nothing. */
    static Optional<OrderState> disputeOutcome(EventContext context) {
        JsonElement status = JsonParser.parseString(context.rawJson());
        for (String key : new String[] {"data", "object", "status"}) {
            if (status == null || !status.isJsonObject()) {
                return Optional.empty();
            }
            status = status.getAsJsonObject().get(key);
        }
        if (status == null || !status.isJsonPrimitive()) {
            return Optional.empty();
        }
        return switch (status.getAsString()) {
            case "won" -> Optional.of(RELEASED);
            case "lost" -> Optional.of(REFUNDED);
            default -> Optional.empty();
        };
    }
}
