package dev.hookwise.core;

/**
 * Thrown by a handler when the event arrived before its prerequisite (a payment succeeded before
 * the order reached {@code pending_payment}). It is not retried in-process: in synchronous mode the
 * processor answers 422 {@code retry_later} so that Stripe redelivers later; the event is recorded
 * as failed and claimable again.
 */
public class RetryLaterException extends HookwiseException {
    private static final long serialVersionUID = 1L;

    public RetryLaterException(String message) {
        super("retry_later", message, null);
    }
}
