package dev.hookwise.core.spi;

/**
 * The answer of {@link IdempotencyStore#complete}, {@link IdempotencyStore#retryAt},
 * {@link IdempotencyStore#markDead} and {@link IdempotencyStore#markIgnored}.
 *
 * <p>{@link #LEASE_LOST} protects a result written by a later owner: an owner whose lease
 * expired and was taken over can no longer change the event.
 */
public enum UpdateResult {
    /** The caller still owned the event and the new status is stored. */
    APPLIED,
    /** The caller no longer owns the event (taken over after lease expiry, or unknown); nothing changed. */
    LEASE_LOST
}
