package dev.hookwise.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The event log that makes processing exactly-once in effect.
 *
 * <p>A claim is a lease: its owner must reach a verdict ({@link #complete}, {@link #retryAt},
 * {@link #markDead}, {@link #markIgnored}) before the lease ends, and renews the lease with
 * {@link #heartbeat} while its handler runs, or another owner may take the event over. A lease is
 * only a crash detector: a live owner keeps it as long as its handler runs. Every verdict and
 * heartbeat is guarded on the claim's {@link ClaimToken} (event, owner and attempt), so a former
 * owner whose claim was taken over changes nothing and gets {@link UpdateResult#LEASE_LOST}.
 *
 * <p>Every method is atomic with respect to every other call on the same event id, from any thread
 * or process sharing the store; in particular {@link #claim} must never let two owners hold the same
 * event at once.
 *
 * <p>Contract, state by state (for {@code claim}):
 * <ul>
 *   <li>unknown event: inserted as {@link EventStatus#PROCESSING}, attempt 1, {@code CLAIMED};</li>
 *   <li>{@code QUEUED} (accepted by an {@link InboxStore}, not yet claimed): attempt + 1, {@code CLAIMED};</li>
 *   <li>{@code PROCESSING} with a lease in the future: {@code IN_PROGRESS};</li>
 *   <li>{@code PROCESSING} with an expired lease: taken over, attempt + 1, {@code CLAIMED};</li>
 *   <li>{@code FAILED} whose next attempt is due: attempt + 1, {@code CLAIMED};</li>
 *   <li>{@code FAILED} whose next attempt is later: {@code RETRY_LATER};</li>
 *   <li>any final status ({@link EventStatus#isFinal()}): {@code ALREADY_COMPLETED}.</li>
 * </ul>
 * Attempts are counted when an event is claimed, before its handler runs, so a run that never
 * reaches a verdict (the process died, the handler hung) still counts.
 *
 * <p>Infrastructure failures surface as {@link StoreUnavailableException}; bad arguments (an id
 * longer than the store can hold, say) as {@link IllegalArgumentException} with nothing written.
 *
 * <p>Stores that also serve asynchronous mode implement {@link InboxStore}.
 *
 * @since 0.1.0
 */
public interface IdempotencyStore {

    /**
     * Claims an event for processing under a lease.
     *
     * @param event what to record if the event is new
     * @param owner a unique name of the claiming worker or request
     * @param leaseDuration how long the claim holds without a verdict or heartbeat; positive
     */
    ClaimResult claim(NewEvent event, String owner, Duration leaseDuration);

    /**
     * Claims a {@code FAILED}, {@code DEAD}, {@code SKIPPED_STALE} or {@code IGNORED} event for a
     * replay, straight from that status: {@code PROCESSING} under a lease, attempt 1, source
     * {@code source}. A {@code PROCESSING} event whose lease expired (its run ended without a
     * verdict) may be claimed too. Any other status, or an unknown event, changes nothing.
     *
     * @return the claimed row (payload included), or empty when the event was not in a replayable status
     * @since 0.2.0
     */
    Optional<EventRecord> claimForReplay(String eventId, String owner, Duration leaseDuration, EventSource source);

    /**
     * Marks a claimed event completed. A later owner's result is never overwritten.
     *
     * @return {@link UpdateResult#LEASE_LOST} when the token no longer holds the event
     */
    UpdateResult complete(ClaimToken claim, Duration processingTime);

    /**
     * One completion for {@link #completeAll}: the claim, and how long its handlers took.
     *
     * @since 0.2.0
     */
    record Completion(ClaimToken claim, Duration processingTime) {

        /** Checks that both are given. */
        public Completion {
            java.util.Objects.requireNonNull(claim, "claim");
            java.util.Objects.requireNonNull(processingTime, "processingTime");
        }
    }

    /**
     * Marks several claimed events completed, each exactly as {@link #complete} would: fenced on its
     * own token, so a claim that was lost (taken over after its lease ran out, released, finished) is
     * left alone while the others complete. The inbox worker's completion group commit calls it with
     * the successes of plain handlers that finished meanwhile, and counts an event done only once
     * this call has returned.
     *
     * <p>The default calls {@link #complete} once per completion, in order. A store that can make
     * them durable together overrides it (the JDBC store: one transaction, a JDBC batch of the fenced
     * {@code UPDATE}, one commit), so that many completions cost one disk flush. A claim listed twice
     * is completed once, and is in the answer if either entry completed it.
     *
     * @return the claims that this call completed (a subset of those given); a claim missing from it
     *     was lost ({@link UpdateResult#LEASE_LOST}) and its event changed nothing
     * @throws StoreUnavailableException when the store cannot be reached; the overriding store then
     *     applied none of them, the default perhaps the first few. Either way each event is still
     *     claimed or completed, never lost: an event left claimed runs again after its lease
     * @since 0.2.0
     */
    default Set<ClaimToken> completeAll(List<Completion> completions) {
        Set<ClaimToken> completed = new LinkedHashSet<>();
        for (Completion completion : completions) {
            if (complete(completion.claim(), completion.processingTime()) == UpdateResult.APPLIED) {
                completed.add(completion.claim());
            }
        }
        return completed;
    }

    /**
     * Records a failed attempt that may succeed later: status {@link EventStatus#FAILED},
     * claimable again from {@code nextAttemptAt}.
     *
     * @param error a description of the failure; stores truncate it to their bound, never reject it
     * @since 0.2.0
     */
    UpdateResult retryAt(ClaimToken claim, String error, Instant nextAttemptAt);

    /**
     * Records a failure that retrying cannot fix, or the last of the allowed attempts: status
     * {@link EventStatus#DEAD}, processed again only by a replay.
     *
     * @param error why; stores truncate it to their bound, never reject it
     * @since 0.2.0
     */
    UpdateResult markDead(ClaimToken claim, String error);

    /**
     * Records a claimed event that is not to be run after all (no handler for its type, or the
     * processor's event filter rejects it): status {@link EventStatus#IGNORED}, final.
     *
     * @param reason a short note such as {@code unhandled_type}
     * @since 0.2.0
     */
    UpdateResult markIgnored(ClaimToken claim, String reason);

    /**
     * Extends the lease of every claim in {@code claims} that its token still holds to
     * {@code leaseDuration} from now, in as few statements as the store can (one for a database).
     * Claims whose token no longer holds the event are left alone.
     *
     * @return how many leases were extended
     * @since 0.2.0
     */
    int heartbeat(Collection<ClaimToken> claims, Duration leaseDuration);

    /**
     * {@link #heartbeat} that says which leases it extended: the claims of {@code claims} that their
     * tokens still hold, each now leased for {@code leaseDuration} from now. A claim missing from the
     * answer was taken over, released or finished; its holder must not start it. The inbox worker
     * renews the events it claimed ahead of its threads this way, and drops those it lost.
     *
     * <p>The default calls {@link #heartbeat} once for all of them and, only when fewer leases were
     * extended than asked, once more per claim to find out which; stores that can answer in one
     * statement (a database's {@code UPDATE … RETURNING}) override it.
     *
     * @return the claims whose lease was extended (a subset of {@code claims})
     * @since 0.2.0
     */
    default Set<ClaimToken> renew(Collection<ClaimToken> claims, Duration leaseDuration) {
        Set<ClaimToken> asked = new LinkedHashSet<>(claims);
        if (asked.isEmpty()) {
            return Set.of();
        }
        if (heartbeat(asked, leaseDuration) == asked.size()) {
            return asked;
        }
        Set<ClaimToken> held = new LinkedHashSet<>();
        for (ClaimToken claim : asked) {
            if (heartbeat(List.of(claim), leaseDuration) == 1) {
                held.add(claim);
            }
        }
        return held;
    }

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
