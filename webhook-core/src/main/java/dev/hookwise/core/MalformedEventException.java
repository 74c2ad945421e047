package dev.hookwise.core;

import org.jspecify.annotations.Nullable;

/**
 * The body is signed correctly but is not a Stripe event we can read: invalid JSON, or a missing
 * {@code id}, {@code type} or {@code created}. Answered 400 {@code malformed_event}.
 */
public class MalformedEventException extends HookwiseException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super("malformed_event", message, null);
    }

    public MalformedEventException(String message, @Nullable Throwable cause) {
        super("malformed_event", message, cause);
    }
}
