package dev.hookwise.core.operations;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.spi.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes completed and ignored events older than the retention period, in batches, so the event
 * log does not grow without bound. Failed, dead, queued and skipped events are never deleted here:
 * they wait for a replay or a person.
 *
 * <pre>{@code
 * EventRetention retention = EventRetention.builder(store).retention(Duration.ofDays(90)).build();
 * int deleted = retention.purge();   // run it daily from your scheduler
 * }</pre>
 */
public final class EventRetention {
    private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

    /** The payment-monitoring seed's audit horizon. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
    public static final int DEFAULT_BATCH_SIZE = 1000;

    private final IdempotencyStore store;
    private final Duration retention;
    private final int batchSize;
    private final int maxBatches;
    private final Clock clock;

    private EventRetention(Builder b) {
        this.store = b.store;
        this.retention = b.retention;
        this.batchSize = b.batchSize;
        this.maxBatches = b.maxBatches;
        this.clock = b.clock;
    }

    public static Builder builder(IdempotencyStore store) {
        return new Builder(store);
    }

    /** Deletes in batches until a batch comes back short (or {@code maxBatches} ran); returns the total. */
    public int purge() {
        java.time.Instant cutoff = clock.instant().minus(retention);
        int total = 0;
        for (int i = 0; i < maxBatches; i++) {
            int n = store.purge(cutoff, batchSize);
            total += n;
            if (n < batchSize) {
                break;
            }
        }
        log.info("retention: deleted {} completed/ignored event(s) finished before {}", total, cutoff);
        return total;
    }

    /** Builder for {@link EventRetention}. */
    public static final class Builder {
        private final IdempotencyStore store;
        private Duration retention = DEFAULT_RETENTION;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxBatches = 1000;
        private Clock clock = Clock.systemUTC();

        private Builder(IdempotencyStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Keep finished events this long; at least one day. */
        public Builder retention(Duration value) {
            Objects.requireNonNull(value, "retention");
            if (value.compareTo(Duration.ofDays(1)) < 0) {
                throw new HookwiseConfigurationException("retention must be at least 1 day, but was " + value);
            }
            this.retention = value;
            return this;
        }

        public Builder batchSize(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("retention batchSize must be >= 1, but was " + value);
            }
            this.batchSize = value;
            return this;
        }

        /** Upper bound of batches per {@link #purge()} call. */
        public Builder maxBatches(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("retention maxBatches must be >= 1, but was " + value);
            }
            this.maxBatches = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public EventRetention build() {
            return new EventRetention(this);
        }
    }
}
