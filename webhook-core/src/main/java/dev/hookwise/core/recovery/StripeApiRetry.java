package dev.hookwise.core.recovery;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.StripeApiException;
import dev.hookwise.core.internal.Checks;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries Stripe API calls that failed transiently (429, 5xx, connection), with exponential
 * backoff and jitter, through resilience4j. Stripe asks clients to back off on 429.
 *
 * <pre>{@code
 * StripeApiRetry.of(5, Duration.ofMillis(500))
 * }</pre>
 */
public final class StripeApiRetry {
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofMillis(500);

    private final Retry retry;
    private final int maxAttempts;

    private StripeApiRetry(int maxAttempts, Duration initialInterval) {
        this.maxAttempts = maxAttempts;
        this.retry = Retry.of("hookwise-stripe-api", RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(initialInterval, 2.0, 0.5,
                        initialInterval.multipliedBy(64)))
                .retryOnException(e -> e instanceof StripeApiException s && s.isTransient())
                .failAfterMaxAttempts(false)
                .build());
    }

    public static StripeApiRetry defaults() {
        return of(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_INTERVAL);
    }

    /** {@code maxAttempts} calls in all, waiting from {@code initialInterval} and doubling. */
    public static StripeApiRetry of(int maxAttempts, Duration initialInterval) {
        if (maxAttempts < 1) {
            throw new HookwiseConfigurationException("Stripe API maxAttempts must be >= 1, but was " + maxAttempts);
        }
        return new StripeApiRetry(maxAttempts, Checks.positive(initialInterval, "Stripe API retry interval"));
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    <T> T call(Supplier<T> call) {
        return Retry.decorateSupplier(retry, call).get();
    }
}
