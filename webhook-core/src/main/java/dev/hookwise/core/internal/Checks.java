package dev.hookwise.core.internal;

import dev.hookwise.core.HookwiseConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks every component makes, in one place so that each names the bad value the same
 * way: {@code "pollInterval must be positive, but was PT0S"}. Configuration checks throw
 * {@link HookwiseConfigurationException}; checks of a call's arguments (a store's lease, say) throw
 * {@link IllegalArgumentException}.
 */
public final class Checks {

    private Checks() {}

    /**
     * A setting that must be a positive duration.
     *
     * @return {@code value}
     * @throws HookwiseConfigurationException when it is zero or negative
     */
    public static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new HookwiseConfigurationException(name + " must be positive, but was " + value);
        }
        return value;
    }

    /**
     * A setting that must be a positive duration, with a hint of what to do instead
     * ({@code "…, but was PT0S; use EventAgePolicy.disabled() to accept events of any age"}).
     *
     * @return {@code value}
     * @throws HookwiseConfigurationException when it is zero or negative
     */
    public static Duration positive(Duration value, String name, String hint) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new HookwiseConfigurationException(name + " must be positive, but was " + value + "; " + hint);
        }
        return value;
    }

    /**
     * An argument that must be a positive duration.
     *
     * @return {@code value}
     * @throws IllegalArgumentException when it is zero or negative
     */
    public static Duration positiveArgument(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
        return value;
    }
}
