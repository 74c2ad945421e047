package dev.hookwise.testkit.orders;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One Stripe event of an order's story, before it is rendered as JSON: its type, the state the
 * {@link OrderMachine} moves the order to on it, and when Stripe created it (seconds after the
 * scenario's start; Stripe's {@code created} has one-second resolution).
 *
 * @param type the event type
 * @param target the state the event moves the order to
 * @param second seconds after the scenario's start
 * @param objectStatus the {@code status} of {@code data.object} where it matters
 *     ({@code won}/{@code lost} for {@code charge.dispute.closed}); null otherwise
 */
public record OrderEvent(String type, OrderState target, long second, @Nullable String objectStatus) {

    public OrderEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
    }

    /** {@code payment_intent.created} → pending_payment. */
    public static OrderEvent created(long second) {
        return new OrderEvent("payment_intent.created", OrderState.PENDING_PAYMENT, second, null);
    }

    /** {@code payment_intent.processing} → pending_payment (a new attempt). */
    public static OrderEvent processing(long second) {
        return new OrderEvent("payment_intent.processing", OrderState.PENDING_PAYMENT, second, null);
    }

    /** {@code payment_intent.succeeded} → paid. */
    public static OrderEvent succeeded(long second) {
        return new OrderEvent("payment_intent.succeeded", OrderState.PAID, second, null);
    }

    /** {@code payment_intent.payment_failed} → payment_failed. */
    public static OrderEvent failed(long second) {
        return new OrderEvent("payment_intent.payment_failed", OrderState.PAYMENT_FAILED, second, null);
    }

    /** {@code payment_intent.canceled} → cancelled. */
    public static OrderEvent canceled(long second) {
        return new OrderEvent("payment_intent.canceled", OrderState.CANCELLED, second, null);
    }

    /** {@code charge.refunded} → refunded. */
    public static OrderEvent refunded(long second) {
        return new OrderEvent("charge.refunded", OrderState.REFUNDED, second, null);
    }

    /** {@code charge.dispute.created} → disputed. */
    public static OrderEvent disputeCreated(long second) {
        return new OrderEvent("charge.dispute.created", OrderState.DISPUTED, second, null);
    }

    /** {@code charge.dispute.closed} with status {@code won} → released. */
    public static OrderEvent disputeWon(long second) {
        return new OrderEvent("charge.dispute.closed", OrderState.RELEASED, second, "won");
    }

    /** {@code charge.dispute.closed} with status {@code lost} → refunded. */
    public static OrderEvent disputeLost(long second) {
        return new OrderEvent("charge.dispute.closed", OrderState.REFUNDED, second, "lost");
    }

    /** When Stripe created the event, given the scenario's start. */
    public Instant createdAt(Instant start) {
        return start.plusSeconds(second);
    }

    /**
     * The event as Stripe would send it (a minimal snapshot payload): {@code data.object} is a
     * payment intent, charge or dispute carrying {@code metadata.order_id}.
     */
    public String toJson(String eventId, String orderId, Instant start) {
        String objectType = type.startsWith("charge.dispute.") ? "dispute"
                : type.startsWith("charge.") ? "charge" : "payment_intent";
        String prefix = switch (objectType) {
            case "dispute" -> "dp_";
            case "charge" -> "ch_";
            default -> "pi_";
        };
        return "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"api_version\":\"" + com.stripe.Stripe.API_VERSION
                + "\",\"created\":" + createdAt(start).getEpochSecond() + ",\"livemode\":false,\"pending_webhooks\":1,"
                + "\"type\":\"" + type + "\",\"data\":{\"object\":{\"id\":\"" + prefix + orderId + "\",\"object\":\""
                + objectType + "\"" + (objectStatus == null ? "" : ",\"status\":\"" + objectStatus + "\"")
                + ",\"metadata\":{\"" + OrderMachine.ORDER_ID_KEY + "\":\"" + orderId + "\"}}}}";
    }

    /**
     * The event built by the testkit's {@link dev.hookwise.testkit.StripeEventFactory}, with
     * {@code metadata.order_id} set and {@code created} at {@link #createdAt(Instant)}; ready to be
     * signed and delivered by the {@link dev.hookwise.testkit.DeliverySimulator}.
     */
    public dev.hookwise.testkit.TestEvent toTestEvent(dev.hookwise.testkit.StripeEventFactory events, String eventId,
            String orderId, Instant start) {
        dev.hookwise.testkit.StripeEventBuilder b = events.event(type)
                .id(eventId)
                .created(createdAt(start))
                .metadata(OrderMachine.ORDER_ID_KEY, orderId);
        if (objectStatus != null) {
            b.status(objectStatus);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return type + (objectStatus == null ? "" : "(" + objectStatus + ")") + "@" + second;
    }
}
