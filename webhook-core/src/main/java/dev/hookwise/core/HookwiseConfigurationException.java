package dev.hookwise.core;

/**
 * A configuration mistake found while building a component (no signing secret, a negative
 * duration, …). Thrown at start-up so that a misconfigured endpoint never answers a request.
 */
public class HookwiseConfigurationException extends HookwiseException {
    private static final long serialVersionUID = 1L;

    public HookwiseConfigurationException(String message) {
        super("invalid_configuration", message, null);
    }

    /** A mistake restated in an adapter's own terms (property names), keeping the original. */
    public HookwiseConfigurationException(String message, Throwable cause) {
        super("invalid_configuration", message, cause);
    }
}
