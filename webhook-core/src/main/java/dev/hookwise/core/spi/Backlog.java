package dev.hookwise.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What waits in the inbox.
 *
 * @param pending events {@code QUEUED} or {@code FAILED} (waiting for a first or a next attempt)
 * @param processing events {@code PROCESSING} right now
 * @param oldestPendingReceivedAt when the oldest pending event was received; null when none is pending
 */
public record Backlog(long pending, long processing, @Nullable Instant oldestPendingReceivedAt) {

    public static final Backlog EMPTY = new Backlog(0, 0, null);

    /** How long the oldest pending event has waited at {@code now}; zero when none is pending. */
    public Duration oldestPendingAge(Instant now) {
        return Optional.ofNullable(oldestPendingReceivedAt)
                .map(t -> t.isAfter(now) ? Duration.ZERO : Duration.between(t, now))
                .orElse(Duration.ZERO);
    }
}
