package dev.hookwise.core.spi;

import dev.hookwise.core.ProcessingMode;
import java.time.Duration;
import java.util.List;

/**
 * An {@link IdempotencyStore} that is also the inbox of asynchronous mode: the endpoint
 * {@linkplain #enqueue enqueues} each verified event and answers at once; workers
 * {@linkplain #claimDue claim} due events and run them. A processor in
 * {@code ProcessingMode.ASYNC} refuses at build time a store that is not an {@code InboxStore}.
 *
 * @since 0.2.0
 */
public interface InboxStore extends IdempotencyStore {

    /**
     * Accepts an event into the inbox as {@link EventStatus#QUEUED} unless the log already has it.
     * Must be one atomic insert-if-absent.
     *
     * @return true if this call inserted the event
     */
    boolean enqueue(NewEvent event);

    /**
     * Claims up to {@code limit} due events for a worker: {@code QUEUED}, {@code FAILED} whose next
     * attempt is due, and {@code PROCESSING} whose lease expired. Each returned event is now
     * {@code PROCESSING}, owned by {@code owner}, with its attempt count incremented (so
     * {@link ClaimToken#of(EventRecord)} gives its token). Several workers in several processes
     * calling this at once never receive the same event.
     *
     * @return the claimed rows, payload included, oldest first
     */
    List<EventRecord> claimDue(String owner, Duration leaseDuration, int limit);

    /**
     * Gives a claimed event back without counting the attempt (a worker shutting down before it
     * started the event): status {@code QUEUED}, attempts − 1. Guarded on the token.
     */
    UpdateResult release(ClaimToken claim);

    /**
     * Makes a {@code FAILED}, {@code DEAD}, {@code SKIPPED_STALE} or {@code IGNORED} event due again
     * at once for the workers (an asynchronous replay): {@code QUEUED}, attempts reset to 0, source
     * set to {@code source}.
     *
     * @return true if the event existed in one of those statuses and was reset
     */
    boolean resetForReplay(String eventId, EventSource source);

    /**
     * Whether events acknowledged into this inbox survive a restart of the process. An in-memory
     * inbox is not durable; processors refuse it in asynchronous mode unless explicitly allowed
     * (tests, demos).
     */
    default boolean durable() {
        return true;
    }
}
