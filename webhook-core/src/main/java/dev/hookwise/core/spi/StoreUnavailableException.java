package dev.hookwise.core.spi;

import dev.hookwise.core.HookwiseException;

/**
 * The store could not be reached or failed on our side (connection refused, timeout, deadlock
 * that survived a retry). The processor answers 503 with {@code Retry-After} so that Stripe
 * delivers again; nothing is acknowledged.
 */
public class StoreUnavailableException extends HookwiseException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super("store_unavailable", message, cause);
    }

    public StoreUnavailableException(String message) {
        super("store_unavailable", message, null);
    }
}
