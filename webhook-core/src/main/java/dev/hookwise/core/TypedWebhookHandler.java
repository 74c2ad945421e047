package dev.hookwise.core;

import com.stripe.model.StripeObject;

/**
 * A handler that receives the event's data object as a stripe-java type.
 *
 * <pre>{@code
 * registry.on("payment_intent.succeeded", PaymentIntent.class,
 *         (intent, ctx) -> orders.markPaid(intent.getMetadata().get("order_id")));
 * }</pre>
 *
 * <p>The handler is not called when stripe-java cannot read {@code data.object} as {@code T}: the run
 * fails with a permanent {@link UnreadablePayloadException} that names the event and the field. To
 * cope with such payloads, register a plain {@link WebhookHandler} and read
 * {@link EventContext#rawJson()}.
 *
 * @param <T> the stripe-java class of {@code data.object}
 */
@FunctionalInterface
public interface TypedWebhookHandler<T extends StripeObject> {
    void handle(T object, EventContext context) throws Exception;
}
