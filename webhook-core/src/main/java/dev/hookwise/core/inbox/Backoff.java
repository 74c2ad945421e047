package dev.hookwise.core.inbox;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * Exponential backoff with jitter for durable retries in the inbox: the wait before attempt
 * {@code n + 1} is {@code initial × multiplier^(n−1)}, capped at {@code max}, then spread by
 * ±{@code jitter} so that many failed events do not all return at the same instant.
 *
 * <pre>{@code
 * Backoff.exponential(Duration.ofSeconds(30), 2.0, Duration.ofHours(1), 0.2)
 * }</pre>
 */
public final class Backoff {
    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(30);
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX = Duration.ofHours(1);
    public static final double DEFAULT_JITTER = 0.2;

    private final Duration initial;
    private final double multiplier;
    private final Duration max;
    private final double jitter;

    private Backoff(Duration initial, double multiplier, Duration max, double jitter) {
        this.initial = initial;
        this.multiplier = multiplier;
        this.max = max;
        this.jitter = jitter;
    }

    /** 30 s, doubling, at most 1 h, ±20 %. */
    public static Backoff defaults() {
        return new Backoff(DEFAULT_INITIAL, DEFAULT_MULTIPLIER, DEFAULT_MAX, DEFAULT_JITTER);
    }

    public static Backoff exponential(Duration initial, double multiplier, Duration max, double jitter) {
        Checks.positive(initial, "backoff initial");
        Objects.requireNonNull(max, "max");
        if (!(multiplier >= 1.0)) {
            throw new HookwiseConfigurationException("backoff multiplier must be >= 1, but was " + multiplier);
        }
        if (max.compareTo(initial) < 0) {
            throw new HookwiseConfigurationException("backoff max (" + max + ") must not be shorter than initial (" + initial + ")");
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new HookwiseConfigurationException("backoff jitter must be in [0, 1), but was " + jitter);
        }
        return new Backoff(initial, multiplier, max, jitter);
    }

    /** The wait without jitter after failed attempt {@code attempt} (1-based). */
    public Duration baseDelay(int attempt) {
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }

    /**
     * The wait after failed attempt {@code attempt}, jittered.
     *
     * @param random a number in [0, 1)
     */
    public Duration delay(int attempt, double random) {
        long base = baseDelay(attempt).toMillis();
        double factor = 1.0 + jitter * (2.0 * random - 1.0);
        return Duration.ofMillis(Math.max(1, Math.round(base * factor)));
    }

    public double jitter() {
        return jitter;
    }

    @Override
    public String toString() {
        return "Backoff[initial=" + initial + ", multiplier=" + multiplier + ", max=" + max + ", jitter=" + jitter + "]";
    }

    /** The time of the next attempt after a failed attempt {@code n}, counted from now on {@code clock}. */
    IntFunction<Instant> nextAttemptFrom(Clock clock) {
        return attempt -> clock.instant().plus(delay(attempt, ThreadLocalRandom.current().nextDouble()));
    }
}
