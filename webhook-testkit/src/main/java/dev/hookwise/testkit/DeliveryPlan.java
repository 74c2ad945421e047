package dev.hookwise.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link DeliverySimulator} delivers a list of events: duplicates, concurrency, order, losses
 * and Stripe-like redelivery. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * DeliveryPlan plan = DeliveryPlan.builder()
 *         .duplicates(2)                 // every event three times in all
 *         .shuffle(42)                   // in a seeded random order
 *         .drop(e -> e.type().startsWith("charge."))
 *         .redeliverFailures(5)          // non-2xx: up to 5 attempts per copy
 *         .build();
 * }</pre>
 *
 * <p>Order of operations: each event is expanded into its copies ({@link Builder#duplicates} extra
 * copies, delivered one after another, or {@link Builder#concurrentCopies} copies delivered at
 * once); the list is then reversed or shuffled if asked; dropped events are logged as dropped and
 * never sent; every attempt answered with a non-2xx status, or not answered, is tried again after the
 * backoff while attempts and the retry window last.
 */
public final class DeliveryPlan {

    /**
     * A backoff shaped like Stripe's live-mode retries (minutes at first, then hours, over about three
     * days). Stripe does not publish an exact table; this one is Hookwise's approximation.
     */
    public static final List<Duration> STRIPE_LIKE_BACKOFF = List.of(
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
            Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10), Duration.ofHours(12),
            Duration.ofHours(12), Duration.ofHours(12));

    /** Stripe keeps retrying a webhook for up to three days. */
    public static final Duration STRIPE_RETRY_WINDOW = Duration.ofDays(3);

    private static final DeliveryPlan ONCE = builder().build();

    final int duplicates;
    final int concurrentCopies;
    final @Nullable Long shuffleSeed;
    final boolean reverse;
    final Predicate<TestEvent> drop;
    final int maxAttempts;
    final List<Duration> backoff;
    final Duration retryWindow;
    final Duration spacing;

    private DeliveryPlan(Builder b) {
        this.duplicates = b.duplicates;
        this.concurrentCopies = b.concurrentCopies;
        this.shuffleSeed = b.shuffleSeed;
        this.reverse = b.reverse;
        this.drop = b.drop;
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.retryWindow = b.retryWindow;
        this.spacing = b.spacing;
    }

    /** Each event once, in the given order, no redelivery. */
    public static DeliveryPlan once() {
        return ONCE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Copies of each event (1 + duplicates, or the concurrent copies). */
    int copiesPerEvent() {
        return concurrentCopies > 1 ? concurrentCopies : 1 + duplicates;
    }

    /** The wait before attempt {@code nextAttempt} (2 or more). */
    Duration backoffBefore(int nextAttempt) {
        int index = Math.min(nextAttempt - 2, backoff.size() - 1);
        return backoff.get(index);
    }

    @Override
    public String toString() {
        return "DeliveryPlan[duplicates=" + duplicates + ", concurrentCopies=" + concurrentCopies + ", shuffleSeed="
                + shuffleSeed + ", reverse=" + reverse + ", maxAttempts=" + maxAttempts + ", retryWindow="
                + retryWindow + ", spacing=" + spacing + "]";
    }

    /** Builder for {@link DeliveryPlan}; every setter validates its argument. */
    public static final class Builder {
        private int duplicates;
        private int concurrentCopies = 1;
        private @Nullable Long shuffleSeed;
        private boolean reverse;
        private Predicate<TestEvent> drop = e -> false;
        private int maxAttempts = 1;
        private List<Duration> backoff = STRIPE_LIKE_BACKOFF;
        private Duration retryWindow = STRIPE_RETRY_WINDOW;
        private Duration spacing = Duration.ZERO;

        private Builder() {}

        /** Delivers each event {@code extra} more times, one copy after another. */
        public Builder duplicates(int extra) {
            if (extra < 0) {
                throw new IllegalArgumentException("duplicates must be >= 0, but was " + extra);
            }
            this.duplicates = extra;
            return this;
        }

        /**
         * Delivers {@code copies} copies of each event at the same moment, from a bounded pool of threads
         * released together: the race a store's claim must win exactly once.
         */
        public Builder concurrentCopies(int copies) {
            if (copies < 1 || copies > 256) {
                throw new IllegalArgumentException("concurrentCopies must be between 1 and 256, but was " + copies);
            }
            this.concurrentCopies = copies;
            return this;
        }

        /** Delivers in a random order drawn from {@code seed}: the same seed, the same order. */
        public Builder shuffle(long seed) {
            this.shuffleSeed = seed;
            this.reverse = false;
            return this;
        }

        /** Delivers in reverse order: every later event before the earlier ones. */
        public Builder reverse() {
            this.reverse = true;
            this.shuffleSeed = null;
            return this;
        }

        /** Never sends the events matching {@code predicate} (every copy); they are logged as dropped. */
        public Builder drop(Predicate<TestEvent> predicate) {
            this.drop = Objects.requireNonNull(predicate, "predicate");
            return this;
        }

        /** Never sends the events with these ids; they are logged as dropped. */
        public Builder dropIds(String... eventIds) {
            Set<String> ids = Set.of(eventIds);
            return drop(e -> ids.contains(e.id()));
        }

        /**
         * Redelivers a copy answered with a non-2xx status (or not answered) until it is acknowledged or
         * it has had {@code maxAttempts} attempts, waiting {@link #STRIPE_LIKE_BACKOFF} between attempts
         * in virtual time.
         */
        public Builder redeliverFailures(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 100) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and 100, but was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Like {@link #redeliverFailures(int)}, with this backoff (the last entry repeats). */
        public Builder redeliverFailures(int maxAttempts, List<Duration> backoff) {
            Objects.requireNonNull(backoff, "backoff");
            if (backoff.isEmpty() || backoff.stream().anyMatch(d -> d.isNegative())) {
                throw new IllegalArgumentException("backoff must hold at least one non-negative duration, but was "
                        + backoff);
            }
            redeliverFailures(maxAttempts);
            this.backoff = List.copyOf(backoff);
            return this;
        }

        /** No redelivery is scheduled later than this after a copy's first attempt (default 3 days). */
        public Builder retryWindow(Duration value) {
            Objects.requireNonNull(value, "retryWindow");
            if (value.isNegative()) {
                throw new IllegalArgumentException("retryWindow must be >= 0, but was " + value);
            }
            this.retryWindow = value;
            return this;
        }

        /** Virtual time between first attempts of consecutive deliveries (default none). */
        public Builder spacing(Duration value) {
            Objects.requireNonNull(value, "spacing");
            if (value.isNegative()) {
                throw new IllegalArgumentException("spacing must be >= 0, but was " + value);
            }
            this.spacing = value;
            return this;
        }

        public DeliveryPlan build() {
            if (concurrentCopies > 1 && duplicates > 0) {
                throw new IllegalArgumentException("use either duplicates (" + duplicates + ") or concurrentCopies ("
                        + concurrentCopies + "), not both");
            }
            return new DeliveryPlan(this);
        }
    }
}
