package dev.hookwise.core;

import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Whether webhook processing is healthy, as an API that Spring Boot Actuator and plain
 * applications can both use. It checks:
 * <ul>
 *   <li>the store answers;</li>
 *   <li>the inbox backlog is below a threshold (default 100);</li>
 *   <li>the handler failure rate over a sliding window is below a threshold (default 0.1 %);</li>
 *   <li>optionally, the last success is recent enough;</li>
 *   <li>optionally, no handler run is stuck past the processor's {@code handlerTimeout}
 *       ({@link Builder#stuckHandlers}).</li>
 * </ul>
 * It is a {@link WebhookListener}: register it on the processor so it sees handler outcomes.
 *
 * <pre>{@code
 * WebhookHealth health = WebhookHealth.builder(store).build();
 * WebhookProcessor processor = WebhookProcessor.builder()...listener(health).build();
 * HealthReport report = health.check();
 * }</pre>
 */
public final class WebhookHealth implements WebhookListener {
    public static final long DEFAULT_BACKLOG_THRESHOLD = 100;
    public static final double DEFAULT_FAILURE_RATE_THRESHOLD = 0.001;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
    private static final int BUCKETS = 60;

    /** UP when every check passes, DOWN otherwise. */
    public enum Status { UP, DOWN }

    /**
     * The result of {@link #check()}.
     *
     * @param status overall status
     * @param problems one line per failed check; empty when UP
     * @param details figures behind the checks (store, backlog, oldest pending age, failure rate, last success)
     */
    public record HealthReport(Status status, List<String> problems, Map<String, Object> details) {
        public HealthReport {
            problems = List.copyOf(problems);
            details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }

    private final IdempotencyStore store;
    private final long backlogThreshold;
    private final double failureRateThreshold;
    private final Duration window;
    private final @Nullable Duration maxSinceLastSuccess;
    private final Clock clock;
    private final java.util.function.@Nullable IntSupplier stuckHandlers;
    private final long[] bucketStart = new long[BUCKETS];
    private final long[] bucketTotal = new long[BUCKETS];
    private final long[] bucketFailed = new long[BUCKETS];
    private final AtomicReference<@Nullable Instant> lastSuccess = new AtomicReference<>();

    private WebhookHealth(Builder b) {
        this.store = b.store;
        this.backlogThreshold = b.backlogThreshold;
        this.failureRateThreshold = b.failureRateThreshold;
        this.window = b.window;
        this.maxSinceLastSuccess = b.maxSinceLastSuccess;
        this.clock = b.clock;
        this.stuckHandlers = b.stuckHandlers;
    }

    public static Builder builder(IdempotencyStore store) {
        return new Builder(store);
    }

    @Override
    public void onHandled(String eventType, Outcome outcome, Duration processingTime, boolean dead) {
        Instant now = clock.instant();
        boolean failed = outcome == Outcome.FAILED_PERMANENT || outcome == Outcome.FAILED_TRANSIENT;
        if (outcome == Outcome.PROCESSED) {
            lastSuccess.set(now);
        }
        long slot = now.toEpochMilli() / bucketMillis();
        int i = (int) (slot % BUCKETS);
        synchronized (this) {
            if (bucketStart[i] != slot) {
                bucketStart[i] = slot;
                bucketTotal[i] = 0;
                bucketFailed[i] = 0;
            }
            bucketTotal[i]++;
            if (failed) {
                bucketFailed[i]++;
            }
        }
    }

    private long bucketMillis() {
        return Math.max(1, window.toMillis() / BUCKETS);
    }

    /** Runs every check now. */
    public HealthReport check() {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            Backlog backlog = store.backlog();
            details.put("store", "reachable");
            details.put("backlog", backlog.pending());
            details.put("processing", backlog.processing());
            details.put("oldestPendingAgeSeconds", backlog.oldestPendingAge(now).toSeconds());
            if (backlog.pending() >= backlogThreshold) {
                problems.add("backlog " + backlog.pending() + " is at or above " + backlogThreshold);
            }
        } catch (UnsupportedOperationException e) {
            details.put("store", "reachable (no backlog reported)");
        } catch (RuntimeException e) {
            details.put("store", "unreachable");
            problems.add("event store unreachable: " + e.getClass().getSimpleName());
        }
        long total = 0;
        long failed = 0;
        long oldestSlot = now.toEpochMilli() / bucketMillis() - BUCKETS + 1;
        synchronized (this) {
            for (int i = 0; i < BUCKETS; i++) {
                if (bucketStart[i] >= oldestSlot) {
                    total += bucketTotal[i];
                    failed += bucketFailed[i];
                }
            }
        }
        double rate = total == 0 ? 0.0 : (double) failed / total;
        details.put("handledInWindow", total);
        details.put("failedInWindow", failed);
        details.put("failureRate", rate);
        if (total > 0 && rate > failureRateThreshold) {
            problems.add(String.format(java.util.Locale.ROOT, "failure rate %.4f over the last %s is above %.4f",
                    rate, window, failureRateThreshold));
        }
        Instant last = lastSuccess.get();
        details.put("lastSuccess", last == null ? "none" : last.toString());
        if (maxSinceLastSuccess != null && last != null && last.plus(maxSinceLastSuccess).isBefore(now)) {
            problems.add("last success " + last + " is older than " + maxSinceLastSuccess);
        }
        if (stuckHandlers != null) {
            int stuck = stuckHandlers.getAsInt();
            details.put("stuckHandlers", stuck);
            if (stuck > 0) {
                problems.add(stuck + " handler run(s) past handlerTimeout have not returned; each holds a thread");
            }
        }
        return new HealthReport(problems.isEmpty() ? Status.UP : Status.DOWN, problems, details);
    }

    /** Builder for {@link WebhookHealth}. */
    public static final class Builder {
        private final IdempotencyStore store;
        private long backlogThreshold = DEFAULT_BACKLOG_THRESHOLD;
        private double failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private Duration window = DEFAULT_WINDOW;
        private @Nullable Duration maxSinceLastSuccess;
        private Clock clock = Clock.systemUTC();
        private java.util.function.@Nullable IntSupplier stuckHandlers;

        private Builder(IdempotencyStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Pending events at which health turns DOWN; at least 1. */
        public Builder backlogThreshold(long value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("backlogThreshold must be >= 1, but was " + value);
            }
            this.backlogThreshold = value;
            return this;
        }

        /** Failed share of handled events above which health turns DOWN, 0 to 1. */
        public Builder failureRateThreshold(double value) {
            if (!(value >= 0.0 && value <= 1.0)) {
                throw new HookwiseConfigurationException("failureRateThreshold must be in [0, 1], but was " + value);
            }
            this.failureRateThreshold = value;
            return this;
        }

        /** The sliding window of the failure rate; at least one minute. */
        public Builder window(Duration value) {
            Objects.requireNonNull(value, "window");
            if (value.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new HookwiseConfigurationException("health window must be at least 1 minute, but was " + value);
            }
            this.window = value;
            return this;
        }

        /** Health turns DOWN when the last success is older than this (off by default: quiet accounts exist). */
        public Builder maxSinceLastSuccess(Duration value) {
            Objects.requireNonNull(value, "maxSinceLastSuccess");
            if (value.isZero() || value.isNegative()) {
                throw new HookwiseConfigurationException("maxSinceLastSuccess must be positive, but was " + value);
            }
            this.maxSinceLastSuccess = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Where to read how many handler runs are stuck past {@code handlerTimeout}, usually
         * {@code processor::stuckHandlers}; reported in the details, and a problem while above zero.
         *
         * @since 0.2.0
         */
        public Builder stuckHandlers(java.util.function.IntSupplier value) {
            this.stuckHandlers = Objects.requireNonNull(value, "stuckHandlers");
            return this;
        }

        public WebhookHealth build() {
            return new WebhookHealth(this);
        }
    }
}
