package dev.hookwise.core.spi;

import java.util.Objects;

/**
 * The fencing token of one claim: which event, which owner, which attempt. Every verdict
 * ({@link IdempotencyStore#complete}, {@link IdempotencyStore#retryAt}, {@link IdempotencyStore#markDead},
 * {@link IdempotencyStore#markIgnored}, {@link InboxStore#release}) and every
 * {@link IdempotencyStore#heartbeat} is guarded on all three, so a former owner whose lease was taken
 * over can change nothing: the takeover incremented the attempt, and installed its own owner.
 *
 * <p>Two processes configured with the same instance id still hold distinct tokens for one event,
 * because each claim counts a new attempt.
 *
 * @param eventId the claimed event
 * @param owner the owner name given to the claim
 * @param attempt the attempt number the claim started (1 for a first claim)
 * @since 0.2.0
 */
public record ClaimToken(String eventId, String owner, int attempt) {

    public ClaimToken {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(owner, "owner");
        if (attempt < 1) {
            throw new IllegalArgumentException("a claim's attempt is at least 1, but was " + attempt + " for " + eventId);
        }
    }

    /** The token of a row that a store's claim just returned (its owner and attempt count). */
    public static ClaimToken of(EventRecord claimed) {
        Objects.requireNonNull(claimed, "claimed");
        if (claimed.owner() == null) {
            throw new IllegalArgumentException("event " + claimed.id() + " has no owner: it is not claimed");
        }
        return new ClaimToken(claimed.id(), claimed.owner(), claimed.attempts());
    }
}
