package dev.hookwise.core.internal;

import dev.hookwise.core.HookwiseConfigurationException;
import java.util.Objects;

/** Event type patterns (exact, {@code prefix.*} or {@code *}) as handlers and filters use them. */
public final class EventTypePatterns {

    private EventTypePatterns() {}

    /** Whether a validated pattern (exact, {@code prefix.*} or {@code *}) matches {@code type}. */
    public static boolean matches(String pattern, String type) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }

    /** Checks a type pattern and returns it; shared by {@code HandlerRegistry} and {@code EventFilter}. */
    public static String validate(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isBlank()) {
            throw new HookwiseConfigurationException("an event type pattern is empty");
        }
        int star = pattern.indexOf('*');
        boolean ok = star < 0 || pattern.equals("*") || (star == pattern.length() - 1 && pattern.endsWith(".*") && pattern.length() > 2);
        if (!ok) {
            throw new HookwiseConfigurationException("event type pattern '" + pattern + "' is not valid: use an exact"
                    + " type (payment_intent.succeeded), a prefix ending in .* (invoice.*), or * alone");
        }
        return pattern;
    }
}
