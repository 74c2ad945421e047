package dev.hookwise.core;

/**
 * Thrown by a handler for a failure that retrying cannot fix (the order the event names does not
 * exist and never will, the payload violates a business rule). The event is recorded as
 * {@link dev.hookwise.core.spi.EventStatus#DEAD DEAD}, answered 200 {@code failed_permanent} so
 * Stripe stops redelivering, and kept for replay once the cause is fixed.
 *
 * <pre>{@code
 * Order order = orders.find(orderId)
 *         .orElseThrow(() -> new PermanentWebhookFailure("no order " + orderId));
 * }</pre>
 */
public class PermanentWebhookFailure extends HookwiseException {
    private static final long serialVersionUID = 1L;

    public PermanentWebhookFailure(String message) {
        super("failed_permanent", message, null);
    }

    public PermanentWebhookFailure(String message, Throwable cause) {
        super("failed_permanent", message, cause);
    }
}
