package dev.hookwise.core;

import org.jspecify.annotations.Nullable;

/**
 * Root of Hookwise's exceptions. Every subclass carries a stable, machine-readable
 * {@link #reason()} (snake_case, as in the HTTP body) and a message that says what was wrong and
 * what to do. Messages never contain a signing secret or a payload.
 */
public class HookwiseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public HookwiseException(String reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A stable code such as {@code signature_no_match} or {@code store_unavailable}. */
    public String reason() {
        return reason;
    }
}
