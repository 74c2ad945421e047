package dev.hookwise.core;

/**
 * Stripe's API could not answer what Hookwise asked (recovery listing events, fetch-latest,
 * reconciliation). {@link #isTransient()} tells a rate limit or an outage (worth retrying) from a
 * refusal (a bad API key, a missing object). Messages never contain the API key.
 */
public class StripeApiException extends HookwiseException {
    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;
    private final int httpStatus;

    public StripeApiException(String reason, String message, int httpStatus, boolean transientFailure, Throwable cause) {
        super(reason, message, cause);
        this.httpStatus = httpStatus;
        this.transientFailure = transientFailure;
    }

    /** Whether retrying later may succeed (429, 5xx, connection failures). */
    public boolean isTransient() {
        return transientFailure;
    }

    /** Stripe's HTTP status, or 0 when no answer came. */
    public int httpStatus() {
        return httpStatus;
    }
}
