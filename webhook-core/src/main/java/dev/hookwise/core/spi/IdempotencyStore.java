package dev.hookwise.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The event log that makes processing exactly-once in effect.
 *
 * <p>A claim is a lease: the owner must {@link #complete} or {@link #fail} the event before
 * {@code leaseDuration} passes, or another owner may take it over. Every method is atomic with
 * respect to every other call on the same event id, from any thread or process sharing the
 * store; in particular {@link #claim} must never let two owners hold the same event at once.
 *
 * <p>Contract, state by state (for {@code claim}):
 * <ul>
 *   <li>unknown event: inserted as {@link EventStatus#PROCESSING}, attempt 1, {@code CLAIMED};</li>
 *   <li>{@code QUEUED} (accepted by {@link #enqueue}, not yet claimed): attempt + 1, {@code CLAIMED};</li>
 *   <li>{@code PROCESSING} with a lease in the future: {@code IN_PROGRESS};</li>
 *   <li>{@code PROCESSING} with an expired lease: taken over, attempt + 1, {@code CLAIMED};</li>
 *   <li>{@code FAILED} whose next attempt is due: attempt + 1, {@code CLAIMED};</li>
 *   <li>{@code FAILED} whose next attempt is later: {@code RETRY_LATER};</li>
 *   <li>any final status ({@link EventStatus#isFinal()}): {@code ALREADY_COMPLETED}.</li>
 * </ul>
 *
 * <p>Infrastructure failures surface as {@link StoreUnavailableException}; bad arguments (an id
 * longer than the store can hold, say) as {@link IllegalArgumentException} with nothing written.
 *
 * @since 0.1.0
 */
public interface IdempotencyStore {

    /**
     * Claims an event for processing under a lease.
     *
     * @param event what to record if the event is new
     * @param owner a unique name of the claiming worker or request
     * @param leaseDuration how long the claim holds without a verdict; positive
     */
    ClaimResult claim(NewEvent event, String owner, Duration leaseDuration);

    /**
     * Marks a claimed event completed. A later owner's result is never overwritten.
     *
     * @return {@link UpdateResult#LEASE_LOST} when {@code owner} no longer holds the event
     */
    UpdateResult complete(String eventId, String owner, Duration processingTime);

    /**
     * Records a failed attempt.
     *
     * @param error a description of the failure; stores truncate it to their bound, never reject it
     * @param retryable true: status {@link EventStatus#FAILED}, claimable again from {@code nextAttemptAt};
     *     false: status {@link EventStatus#DEAD}, processed again only by a replay
     * @param nextAttemptAt when a retryable event may be claimed again; ignored when not retryable
     */
    UpdateResult fail(String eventId, String owner, String error, boolean retryable, Instant nextAttemptAt);

    /**
     * Records an event that will not be processed ({@link EventStatus#IGNORED} or
     * {@link EventStatus#SKIPPED_STALE}) unless the event is already known.
     *
     * @param reason a short note such as {@code unhandled_type}
     * @return true if this call inserted the event; false if it was already in the log
     */
    boolean recordFinal(NewEvent event, EventStatus status, String reason);

    /** The event's row, if the log has it. */
    Optional<EventRecord> find(String eventId);

    /** Rows matching {@code query}, ordered by {@code created} then id. */
    List<EventRecord> search(EventQuery query);

    /**
     * Makes a {@code FAILED}, {@code DEAD}, {@code SKIPPED_STALE} or {@code IGNORED} event claimable
     * again at once, for a replay: attempts reset to 0, source set to {@code source}.
     *
     * @return true if the event existed in one of those statuses and was reset
     * @since 0.1.0
     */
    default boolean resetForReplay(String eventId, EventSource source) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support replay");
    }

    /**
     * Accepts an event into the inbox as {@link EventStatus#QUEUED} unless the log already has it
     * (asynchronous mode). Must be one atomic insert-if-absent.
     *
     * @return true if this call inserted the event
     * @since 0.1.0
     */
    default boolean enqueue(NewEvent event) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support asynchronous mode");
    }

    /**
     * Claims up to {@code limit} due events for a worker: {@code QUEUED}, {@code FAILED} whose next
     * attempt is due, and {@code PROCESSING} whose lease expired. Each returned event is now
     * {@code PROCESSING}, owned by {@code owner}, with its attempt count incremented. Several workers
     * in several processes calling this at once never receive the same event.
     *
     * @return the claimed rows, payload included, oldest first
     * @since 0.1.0
     */
    default List<EventRecord> claimDue(String owner, Duration leaseDuration, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support asynchronous mode");
    }

    /**
     * Gives a claimed event back without counting the attempt (a worker shutting down before it
     * started the event): status {@code QUEUED}, attempts − 1.
     *
     * @since 0.1.0
     */
    default UpdateResult release(String eventId, String owner) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support asynchronous mode");
    }

    /**
     * Deletes up to {@code limit} {@link EventStatus#COMPLETED} and {@link EventStatus#IGNORED} events
     * that finished before {@code finishedBefore}. Failed, dead, queued and skipped events are never
     * deleted by this method.
     *
     * @return how many rows were deleted
     * @since 0.1.0
     */
    default int purge(Instant finishedBefore, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support retention");
    }

    /**
     * What waits for a worker: {@code QUEUED} and {@code FAILED} events, and the oldest of them.
     *
     * @since 0.1.0
     */
    default Backlog backlog() {
        throw new UnsupportedOperationException(getClass().getName() + " does not report a backlog");
    }
}
