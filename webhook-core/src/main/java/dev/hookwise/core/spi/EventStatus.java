package dev.hookwise.core.spi;

/**
 * Where an event stands in the event log.
 *
 * <p>{@link #FAILED} always means "will be tried again" (it has a next attempt time);
 * {@link #DEAD} means "needs a person": a permanent failure, or retries exhausted. Dead events
 * are kept until replayed and are never purged silently.
 */
public enum EventStatus {
    /** Accepted into the inbox (asynchronous mode); a worker will claim it. */
    QUEUED,
    /** Claimed by an owner whose lease has not ended, or ended without a verdict. */
    PROCESSING,
    /** Every handler succeeded. */
    COMPLETED,
    /** A transient failure; claimable again from its next attempt time. */
    FAILED,
    /** A permanent failure or retries exhausted; only a replay processes it again. */
    DEAD,
    /** Older than the event-age policy allows; acknowledged and recorded for recovery. */
    SKIPPED_STALE,
    /** Filtered out or handled by nobody; acknowledged and recorded. */
    IGNORED;

    /** Whether a redelivery of an event in this status is a duplicate that must not run again. */
    public boolean isFinal() {
        return this != QUEUED && this != PROCESSING && this != FAILED;
    }
}
