package dev.hookwise.core.policy;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.MalformedEventException;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.core.RetryLaterException;
import dev.hookwise.core.internal.Checks;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;

/**
 * In-process retry of transient handler failures, run by resilience4j's {@code Retry} with
 * exponential backoff and jitter. {@link PermanentWebhookFailure}, {@link RetryLaterException} and
 * {@link MalformedEventException} (stripe-java cannot read the payload) are never retried in-process.
 *
 * <pre>{@code
 * RetryPolicy.builder().maxAttempts(4).initialInterval(Duration.ofMillis(100)).build();
 * }</pre>
 *
 * <p>Keep the total short: Stripe gives up on a delivery that takes longer than its timeout, and
 * the claim's lease must outlast all attempts.
 */
public final class RetryPolicy {
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofMillis(200);
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final double DEFAULT_RANDOMIZATION = 0.5;
    public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(2);

    private final int maxAttempts;
    private final Duration initialInterval;
    private final double multiplier;
    private final double randomization;
    private final Duration maxInterval;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialInterval = b.initialInterval;
        this.multiplier = b.multiplier;
        this.randomization = b.randomization;
        this.maxInterval = b.maxInterval;
    }

    public static RetryPolicy defaults() {
        return builder().build();
    }

    /** One attempt, no retry. */
    public static RetryPolicy none() {
        return builder().maxAttempts(1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The worst-case time spent waiting between attempts. */
    public Duration maxTotalWait() {
        Duration total = Duration.ZERO;
        double next = initialInterval.toMillis();
        for (int i = 1; i < maxAttempts; i++) {
            long wait = (long) Math.min(next * (1 + randomization), (double) maxInterval.toMillis());
            total = total.plusMillis(wait);
            next *= multiplier;
        }
        return total;
    }

    /** The resilience4j configuration this policy stands for. */
    public RetryConfig toRetryConfig() {
        return RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        initialInterval, multiplier, randomization, maxInterval))
                .retryOnException(e -> !(e instanceof PermanentWebhookFailure) && !(e instanceof RetryLaterException)
                        && !(e instanceof MalformedEventException))
                .failAfterMaxAttempts(false)
                .build();
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialInterval=" + initialInterval
                + ", multiplier=" + multiplier + ", randomization=" + randomization + ", maxInterval=" + maxInterval + "]";
    }

    /** Builder for {@link RetryPolicy}. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialInterval = DEFAULT_INITIAL_INTERVAL;
        private double multiplier = DEFAULT_MULTIPLIER;
        private double randomization = DEFAULT_RANDOMIZATION;
        private Duration maxInterval = DEFAULT_MAX_INTERVAL;

        private Builder() {}

        /** Attempts in total, including the first; at least 1. */
        public Builder maxAttempts(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("retry maxAttempts must be >= 1, but was " + value);
            }
            this.maxAttempts = value;
            return this;
        }

        /** Wait before the second attempt; positive. */
        public Builder initialInterval(Duration value) {
            this.initialInterval = Checks.positive(value, "retry initialInterval");
            return this;
        }

        /** Growth of the wait per attempt; at least 1. */
        public Builder multiplier(double value) {
            if (!(value >= 1.0)) {
                throw new HookwiseConfigurationException("retry multiplier must be >= 1, but was " + value);
            }
            this.multiplier = value;
            return this;
        }

        /** Jitter as a fraction of the wait, from 0 (none) to below 1. */
        public Builder randomization(double value) {
            if (!(value >= 0.0 && value < 1.0)) {
                throw new HookwiseConfigurationException("retry randomization must be in [0, 1), but was " + value);
            }
            this.randomization = value;
            return this;
        }

        /** Upper bound of a single wait; positive. */
        public Builder maxInterval(Duration value) {
            this.maxInterval = Checks.positive(value, "retry maxInterval");
            return this;
        }

        public RetryPolicy build() {
            if (maxInterval.compareTo(initialInterval) < 0) {
                throw new HookwiseConfigurationException("retry maxInterval (" + maxInterval
                        + ") must not be shorter than initialInterval (" + initialInterval + ")");
            }
            return new RetryPolicy(this);
        }
    }
}
