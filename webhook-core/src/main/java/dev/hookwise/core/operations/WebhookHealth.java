package dev.hookwise.core.operations;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookListener;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.internal.Checks;
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
 * applications can both use. The answer has three levels, because an orchestrator or load
 * balancer acts on it:
 * <ul>
 *   <li>{@link Status#DOWN}: the event store does not answer. Nothing can be received safely
 *       (deliveries are answered 503 and Stripe retries), so taking the instance out is right.</li>
 *   <li>{@link Status#DEGRADED}: the instance receives and acknowledges events, but something
 *       needs an operator: the handler failure rate over the sliding window (default 15 min) is
 *       above its threshold (default 0.1 %), events became dead in that window, the inbox backlog
 *       is at or above its threshold (default 100) or has grown without ever falling for
 *       {@link Builder#backlogGrowthPeriod} (default 10 min), the oldest pending event waited
 *       longer than {@link Builder#maxOldestPendingAge} (off by default), the last success is
 *       older than {@link Builder#maxSinceLastSuccess} (off by default), or handler runs are stuck
 *       past the processor's {@code handlerTimeout} ({@link Builder#stuckHandlers}). Restarting or
 *       removing the instance fixes none of these (a failing downstream, a poison event, a slow
 *       consumer), so adapters must keep answering HTTP 200 for it.</li>
 *   <li>{@link Status#UP}: every check passes.</li>
 * </ul>
 * {@link HealthReport#problems()} says what is wrong in one line per failed check, and
 * {@link HealthReport#details()} carries the figures behind every check.
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
    public static final Duration DEFAULT_BACKLOG_GROWTH_PERIOD = Duration.ofMinutes(10);
    private static final int BUCKETS = 60;

    /** The overall verdict; see the class comment for what each level means to an orchestrator. */
    public enum Status {
        /** Every check passes. */
        UP,
        /**
         * Events are received and acknowledged, but failures, dead events, the backlog or stuck
         * handler runs need an operator. Not a reason to take the instance out of service.
         *
         * @since 0.2.0
         */
        DEGRADED,
        /** The event store is unreachable: deliveries cannot be accepted safely. */
        DOWN
    }

    /**
     * The result of {@link #check()}.
     *
     * @param status overall status
     * @param problems one line per failed check; empty when UP
     * @param details figures behind the checks (store, backlog, oldest pending age, backlog growth,
     *        handled/failed/dead in the window, failure rate, last success, stuck handlers)
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
    private final Duration backlogGrowthPeriod;
    private final @Nullable Duration maxOldestPendingAge;
    private final Clock clock;
    private final java.util.function.@Nullable IntSupplier stuckHandlers;
    private final long[] bucketStart = new long[BUCKETS];
    private final long[] bucketTotal = new long[BUCKETS];
    private final long[] bucketFailed = new long[BUCKETS];
    private final long[] bucketDead = new long[BUCKETS];
    // The current run of checks in which the backlog never fell and never emptied (guarded by this).
    private @Nullable Instant growthSince;
    private long growthFrom;
    private long lastPending;
    private final AtomicReference<@Nullable Instant> lastSuccess = new AtomicReference<>();

    private WebhookHealth(Builder b) {
        this.store = b.store;
        this.backlogThreshold = b.backlogThreshold;
        this.failureRateThreshold = b.failureRateThreshold;
        this.window = b.window;
        this.maxSinceLastSuccess = b.maxSinceLastSuccess;
        this.backlogGrowthPeriod = b.backlogGrowthPeriod;
        this.maxOldestPendingAge = b.maxOldestPendingAge;
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
                bucketDead[i] = 0;
            }
            bucketTotal[i]++;
            if (failed) {
                bucketFailed[i]++;
            }
            if (dead) {
                bucketDead[i]++;
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
        boolean storeDown = false;
        try {
            Backlog backlog = store.backlog();
            details.put("store", "reachable");
            checkBacklog(backlog, now, problems, details);
        } catch (UnsupportedOperationException e) {
            details.put("store", "reachable (no backlog reported)");
        } catch (RuntimeException e) {
            storeDown = true;
            details.put("store", "unreachable");
            problems.add("event store unreachable: " + e.getClass().getSimpleName());
        }
        long total = 0;
        long failed = 0;
        long dead = 0;
        long oldestSlot = now.toEpochMilli() / bucketMillis() - BUCKETS + 1;
        synchronized (this) {
            for (int i = 0; i < BUCKETS; i++) {
                if (bucketStart[i] >= oldestSlot) {
                    total += bucketTotal[i];
                    failed += bucketFailed[i];
                    dead += bucketDead[i];
                }
            }
        }
        double rate = total == 0 ? 0.0 : (double) failed / total;
        details.put("handledInWindow", total);
        details.put("failedInWindow", failed);
        details.put("deadInWindow", dead);
        details.put("failureRate", rate);
        if (total > 0 && rate > failureRateThreshold) {
            problems.add(String.format(java.util.Locale.ROOT, "failure rate %.4f over the last %s is above %.4f",
                    rate, window, failureRateThreshold));
        }
        if (dead > 0) {
            problems.add(dead + " event(s) became dead in the last " + window + "; fix the cause, then replay them");
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
        Status status = storeDown ? Status.DOWN : problems.isEmpty() ? Status.UP : Status.DEGRADED;
        return new HealthReport(status, problems, details);
    }

    private void checkBacklog(Backlog backlog, Instant now, List<String> problems, Map<String, Object> details) {
        long pending = backlog.pending();
        Duration oldestAge = backlog.oldestPendingAge(now);
        details.put("backlog", pending);
        details.put("processing", backlog.processing());
        details.put("oldestPendingAgeSeconds", oldestAge.toSeconds());
        if (pending >= backlogThreshold) {
            problems.add("backlog " + pending + " is at or above " + backlogThreshold);
        }
        if (maxOldestPendingAge != null && oldestAge.compareTo(maxOldestPendingAge) > 0) {
            problems.add("oldest pending event has waited " + oldestAge.toSeconds() + " s, longer than " + maxOldestPendingAge);
        }
        Instant since;
        long from;
        synchronized (this) {
            // A run starts at the first non-empty backlog and ends whenever it falls or empties:
            // a backlog that only rose for a whole period is one the workers do not drain.
            if (pending == 0 || pending < lastPending || growthSince == null || growthFrom == 0) {
                growthSince = now;
                growthFrom = pending;
            }
            lastPending = pending;
            since = growthSince;
            from = growthFrom;
        }
        Duration rising = Duration.between(since, now);
        if (pending > from && rising.compareTo(backlogGrowthPeriod) >= 0) {
            details.put("backlogGrowth", from + " -> " + pending + " in " + rising.toSeconds() + " s");
            problems.add("backlog grew from " + from + " to " + pending + " over " + rising
                    + " without falling; workers are not keeping up");
        }
    }

    /** Builder for {@link WebhookHealth}. */
    public static final class Builder {
        private final IdempotencyStore store;
        private long backlogThreshold = DEFAULT_BACKLOG_THRESHOLD;
        private double failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private Duration window = DEFAULT_WINDOW;
        private @Nullable Duration maxSinceLastSuccess;
        private Duration backlogGrowthPeriod = DEFAULT_BACKLOG_GROWTH_PERIOD;
        private @Nullable Duration maxOldestPendingAge;
        private Clock clock = Clock.systemUTC();
        private java.util.function.@Nullable IntSupplier stuckHandlers;

        private Builder(IdempotencyStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Pending events at which health turns DEGRADED; at least 1. */
        public Builder backlogThreshold(long value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("backlogThreshold must be >= 1, but was " + value);
            }
            this.backlogThreshold = value;
            return this;
        }

        /** Failed share of handled events in the window above which health turns DEGRADED, 0 to 1. */
        public Builder failureRateThreshold(double value) {
            if (!(value >= 0.0 && value <= 1.0)) {
                throw new HookwiseConfigurationException("failureRateThreshold must be in [0, 1], but was " + value);
            }
            this.failureRateThreshold = value;
            return this;
        }

        /** The sliding window of the failure rate and of recent dead events; at least one minute. */
        public Builder window(Duration value) {
            Objects.requireNonNull(value, "window");
            if (value.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new HookwiseConfigurationException("health window must be at least 1 minute, but was " + value);
            }
            this.window = value;
            return this;
        }

        /** Health turns DEGRADED when the last success is older than this (off by default: quiet accounts exist). */
        public Builder maxSinceLastSuccess(Duration value) {
            this.maxSinceLastSuccess = Checks.positive(value, "maxSinceLastSuccess");
            return this;
        }

        /**
         * How long the backlog must rise, never falling nor emptying between checks, before
         * health turns DEGRADED; at least one minute. Measured across calls of {@link #check()},
         * so it needs checks at least that often (health probes are).
         *
         * @since 0.2.0
         */
        public Builder backlogGrowthPeriod(Duration value) {
            Objects.requireNonNull(value, "backlogGrowthPeriod");
            if (value.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new HookwiseConfigurationException("backlogGrowthPeriod must be at least 1 minute, but was " + value);
            }
            this.backlogGrowthPeriod = value;
            return this;
        }

        /**
         * Health turns DEGRADED when the oldest pending event has waited longer than this. Off by
         * default: a failed event waiting for its next attempt counts as pending, and backoff
         * can legitimately be hours.
         *
         * @since 0.2.0
         */
        public Builder maxOldestPendingAge(Duration value) {
            this.maxOldestPendingAge = Checks.positive(value, "maxOldestPendingAge");
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
