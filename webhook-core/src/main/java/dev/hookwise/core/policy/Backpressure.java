package dev.hookwise.core.policy;

import dev.hookwise.core.HookwiseConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits that make the endpoint answer 503 {@code overloaded} with {@code Retry-After} instead of
 * accepting more than it can handle. Stripe redelivers such events later, so nothing is lost.
 *
 * <ul>
 *   <li>{@code maxInFlight}: deliveries processed at once by this instance;</li>
 *   <li>{@code maxBacklog}: in asynchronous mode, events waiting in the inbox (read from the store
 *       at most once per {@code backlogRefresh}, so a busy endpoint does not count rows per request).</li>
 * </ul>
 *
 * <pre>{@code
 * Backpressure.builder().maxInFlight(64).maxBacklog(50_000).build()
 * }</pre>
 */
public final class Backpressure {
    public static final Duration DEFAULT_BACKLOG_REFRESH = Duration.ofSeconds(1);
    private static final Backpressure NONE = new Backpressure(Integer.MAX_VALUE, Long.MAX_VALUE, DEFAULT_BACKLOG_REFRESH);

    private final int maxInFlight;
    private final long maxBacklog;
    private final Duration backlogRefresh;

    private Backpressure(int maxInFlight, long maxBacklog, Duration backlogRefresh) {
        this.maxInFlight = maxInFlight;
        this.maxBacklog = maxBacklog;
        this.backlogRefresh = backlogRefresh;
    }

    /** No limits (the default). */
    public static Backpressure none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public long maxBacklog() {
        return maxBacklog;
    }

    public Duration backlogRefresh() {
        return backlogRefresh;
    }

    /** Whether a backlog limit is set. */
    public boolean limitsBacklog() {
        return maxBacklog != Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "Backpressure[maxInFlight=" + maxInFlight + ", maxBacklog=" + maxBacklog + "]";
    }

    /** Builder for {@link Backpressure}. */
    public static final class Builder {
        private int maxInFlight = Integer.MAX_VALUE;
        private long maxBacklog = Long.MAX_VALUE;
        private Duration backlogRefresh = DEFAULT_BACKLOG_REFRESH;

        private Builder() {}

        /** Deliveries handled at once; at least 1. */
        public Builder maxInFlight(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("maxInFlight must be >= 1, but was " + value);
            }
            this.maxInFlight = value;
            return this;
        }

        /** Pending inbox events above which new deliveries are refused; at least 1. */
        public Builder maxBacklog(long value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("maxBacklog must be >= 1, but was " + value);
            }
            this.maxBacklog = value;
            return this;
        }

        /** How stale the backlog figure may be; zero reads it on every request. */
        public Builder backlogRefresh(Duration value) {
            Objects.requireNonNull(value, "backlogRefresh");
            if (value.isNegative()) {
                throw new HookwiseConfigurationException("backlogRefresh must not be negative, but was " + value);
            }
            this.backlogRefresh = value;
            return this;
        }

        public Backpressure build() {
            return new Backpressure(maxInFlight, maxBacklog, backlogRefresh);
        }
    }
}
