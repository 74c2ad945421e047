package dev.hookwise.core.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link IdempotencyStore#claim}.
 *
 * @param status what the claim found
 * @param attempt the attempt number this claim starts (1 for a first claim); for other statuses
 *     the number of attempts made so far
 * @param retryAt for {@link Status#RETRY_LATER}, when the event becomes claimable; otherwise null
 */
public record ClaimResult(Status status, int attempt, @Nullable Instant retryAt) {

    /** What a claim found. */
    public enum Status {
        /** The caller now owns the event under a lease and must complete or fail it. */
        CLAIMED,
        /** The event reached a final status earlier (completed, dead, ignored, skipped): a duplicate. */
        ALREADY_COMPLETED,
        /** Another owner holds a lease that has not expired. */
        IN_PROGRESS,
        /** The event failed and is scheduled for a later attempt ({@link #retryAt()}). */
        RETRY_LATER
    }

    public ClaimResult {
        Objects.requireNonNull(status, "status");
        if (status == Status.RETRY_LATER && retryAt == null) {
            throw new IllegalArgumentException("RETRY_LATER needs retryAt");
        }
    }

    public static ClaimResult claimed(int attempt) {
        return new ClaimResult(Status.CLAIMED, attempt, null);
    }

    public static ClaimResult alreadyCompleted(int attempts) {
        return new ClaimResult(Status.ALREADY_COMPLETED, attempts, null);
    }

    public static ClaimResult inProgress(int attempts) {
        return new ClaimResult(Status.IN_PROGRESS, attempts, null);
    }

    public static ClaimResult retryLater(int attempts, Instant retryAt) {
        return new ClaimResult(Status.RETRY_LATER, attempts, retryAt);
    }

    public boolean isClaimed() {
        return status == Status.CLAIMED;
    }
}
