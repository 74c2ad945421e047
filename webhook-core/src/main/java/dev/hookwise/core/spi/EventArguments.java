package dev.hookwise.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The argument checks every {@link IdempotencyStore} makes before writing anything, in one place so
 * that the in-memory store of development and the JDBC store of production reject the same input
 * with the same message. Limits match the columns of the shipped JDBC schema; nothing is recorded
 * when a check fails.
 *
 * @since 0.2.0
 */
public final class EventArguments {

    /** Longest id, type, API version, account or owner a store holds. */
    public static final int MAX_KEY_LENGTH = NewEvent.MAX_ID_LENGTH;
    /** Earliest {@code created} time every supported database holds. */
    public static final Instant EARLIEST_CREATED = Instant.parse("1000-01-01T00:00:00Z");
    /** First {@code created} time past what every supported database holds. */
    public static final Instant LATEST_CREATED = Instant.parse("9999-12-31T00:00:00Z");

    private EventArguments() {}

    /**
     * Checks a new event: its created time, and its id, type, API version and account.
     *
     * @throws IllegalArgumentException for a value a store cannot hold
     */
    public static void checkEvent(NewEvent event) {
        Objects.requireNonNull(event, "event");
        if (event.created().isBefore(EARLIEST_CREATED) || !event.created().isBefore(LATEST_CREATED)) {
            throw new IllegalArgumentException("event created time " + event.created() + " is outside the years 1000"
                    + " to 9999 that every supported database holds; nothing was recorded");
        }
        checkValue("event id", event.id(), true);
        checkValue("event type", event.type(), true);
        checkValue("api_version", event.apiVersion(), false);
        checkValue("account", event.account(), false);
    }

    /**
     * Checks a claim's owner.
     *
     * @throws IllegalArgumentException when it is empty, too long or holds NUL
     */
    public static void checkOwner(String owner) {
        Objects.requireNonNull(owner, "owner");
        checkValue("owner", owner, true);
    }

    /**
     * Checks a lease duration.
     *
     * @throws IllegalArgumentException when it is zero or negative
     */
    public static void checkLease(Duration leaseDuration) {
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        if (leaseDuration.isZero() || leaseDuration.isNegative()) {
            throw new IllegalArgumentException("leaseDuration must be positive, but was " + leaseDuration);
        }
    }

    /**
     * Checks one text value: {@code what} names it in the message.
     *
     * @param required whether an empty value is refused (null is never checked here)
     * @throws IllegalArgumentException when it is empty though required, too long or holds NUL
     */
    public static void checkValue(String what, @Nullable String value, boolean required) {
        if (value == null) {
            return;
        }
        if (required && value.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (value.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters, more than the "
                    + MAX_KEY_LENGTH + " the event log holds; nothing was recorded");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character, which the event log cannot hold;"
                    + " nothing was recorded");
        }
    }
}
