package dev.hookwise.core.policy;

import dev.hookwise.core.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether an event is too old to process. {@code created} is when Stripe created the
 * event, and a redelivery three days later keeps it; replay protection is the signature
 * timestamp's job. So the default covers Stripe's retry window (3 days) plus an hour.
 *
 * <p>A stale event is acknowledged and recorded as {@code SKIPPED_STALE}, never silently dropped,
 * so recovery and reconciliation can act on it. Replays from the event log bypass the policy.
 *
 * <pre>{@code
 * EventAgePolicy.maxAge(Duration.ofHours(1))   // the troubleshooting guide's 3600 s
 * }</pre>
 */
public final class EventAgePolicy {

    /** Stripe retries for up to 3 days; one hour of margin on top. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(73);

    private static final EventAgePolicy DISABLED = new EventAgePolicy(null);

    private final @Nullable Duration maxAge;

    private EventAgePolicy(@Nullable Duration maxAge) {
        this.maxAge = maxAge;
    }

    /** The default: 73 hours. */
    public static EventAgePolicy defaults() {
        return new EventAgePolicy(DEFAULT_MAX_AGE);
    }

    /** Events older than {@code maxAge} are skipped; it must be positive. */
    public static EventAgePolicy maxAge(Duration maxAge) {
        return new EventAgePolicy(Checks.positive(maxAge, "event maxAge",
                "use EventAgePolicy.disabled() to accept events of any age"));
    }

    /** Accepts events of any age. */
    public static EventAgePolicy disabled() {
        return DISABLED;
    }

    /** Whether an event created at {@code created} is too old at {@code now}. */
    public boolean isStale(Instant created, Instant now) {
        return maxAge != null && created.isBefore(now.minus(maxAge));
    }

    @Override
    public String toString() {
        return maxAge == null ? "EventAgePolicy[disabled]" : "EventAgePolicy[maxAge=" + maxAge + "]";
    }
}
