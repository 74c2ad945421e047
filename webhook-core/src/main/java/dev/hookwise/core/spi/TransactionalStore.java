package dev.hookwise.core.spi;

import dev.hookwise.core.inbox.InboxWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IdempotencyStore} that can run handler work inside the transaction that records the
 * event's verdict, so that the handler's writes and the verdict commit together or not at all:
 * exactly-once effects for handlers that write only to the database holding the event log.
 *
 * <p>Exactly-once follows from fencing. The verdict is written guarded on the claim's
 * {@link ClaimToken}, in the same transaction as the handler's writes; when the token no longer
 * holds the event (the lease ran out and another owner took it over), the verdict matches no row
 * and the event's writes are rolled back with it. A run whose process dies before the commit leaves
 * nothing behind but its claim, which the next owner takes over after the lease.
 *
 * <p>{@link #runInTransaction} runs one event or several in one transaction. For each claim, in
 * order, {@link Work#run} runs the event's handlers and returns its {@link Verdict}; the store then:
 * <ul>
 *   <li>{@link Verdict.Kind#COMPLETE}: marks the event completed, guarded on the token. If the token
 *       no longer holds it, the event's writes are undone and its result is {@link UpdateResult#LEASE_LOST}.</li>
 *   <li>{@link Verdict.Kind#RETRY_AT} or {@link Verdict.Kind#DEAD}: undoes the event's writes, then
 *       records the failure as {@link #retryAt} or {@link #markDead} would, guarded on the token.</li>
 *   <li>When writing the completion fails (the database refused the statement: the handler left the
 *       transaction broken, a lock timeout passed), the event's writes are undone and the verdict
 *       {@link Work#completionFailed} returns is recorded instead.</li>
 * </ul>
 * With several claims, each event is undone on its own (a savepoint per event), without disturbing
 * the others; one commit ends the transaction. With one claim, the store may roll the whole
 * transaction back and record a failure in a fresh one instead.
 *
 * <p>If {@code Work} throws, the whole transaction is rolled back and the exception propagates:
 * nothing of it was applied. A transaction that fails as a whole (the connection breaks, a savepoint
 * cannot be rolled back to, the commit fails) is rolled back and reported as a
 * {@link StoreUnavailableException}; its claims still hold their events, so the caller may run them
 * again, each in a transaction of its own. When the commit's answer itself was lost, the
 * transaction may have committed after all; running it again is still safe, because every verdict
 * of the second run is fenced and finds its event no longer held.
 *
 * <p>In asynchronous mode a processor groups transactional events claimed together into one such
 * transaction when its {@code InboxWorker} is configured with a transaction batch size above one.
 * {@code dev.hookwise.testkit.contract.TransactionalStoreContract} (webhook-testkit) is the executable
 * form of this contract.
 *
 * @since 0.2.0
 */
public interface TransactionalStore extends IdempotencyStore {

    /**
     * Runs {@code work} for each of {@code claims}, in order, in one transaction, and records each
     * event's verdict in it, as the class comment describes.
     *
     * @param claims claims this caller holds, at least one, each event at most once
     * @return one result per claim, in the order of {@code claims}: {@link UpdateResult#APPLIED} when
     *     the verdict was committed, {@link UpdateResult#LEASE_LOST} when the token no longer held the
     *     event (its writes were rolled back)
     * @throws StoreUnavailableException when the transaction failed as a whole and was rolled back
     * @throws IllegalArgumentException when {@code claims} is empty or names an event twice (nothing run)
     */
    List<UpdateResult> runInTransaction(List<ClaimToken> claims, Work work);

    /** The handler side of {@link #runInTransaction}: runs one event and says what to record. */
    interface Work {

        /**
         * Runs the handlers of {@code claim}'s event with {@code transaction} and returns the verdict
         * to record. A failure of a handler is a verdict ({@link Verdict#retryAt}, {@link Verdict#dead}),
         * not an exception; an exception thrown here rolls back the whole transaction.
         */
        Verdict run(ClaimToken claim, StoreTransaction transaction);

        /**
         * The verdict to record for {@code claim} when its completion could not be written because
         * the database refused the statement ({@code failure}); called after the event's writes
         * were undone.
         */
        Verdict completionFailed(ClaimToken claim, Exception failure);
    }

    /**
     * What to record for one event of a {@link #runInTransaction} call.
     *
     * @param kind complete, retry later, or dead
     * @param processingTime for {@link Kind#COMPLETE}: the time the handlers took; otherwise zero
     * @param error for failures: a description, truncated by the store to its bound; otherwise null
     * @param nextAttemptAt for {@link Kind#RETRY_AT}: when the event may run again; otherwise null
     */
    record Verdict(Kind kind, Duration processingTime, @Nullable String error, @Nullable Instant nextAttemptAt) {

        /** What a verdict records. */
        public enum Kind {
            /** Keep the event's writes; mark it completed. */
            COMPLETE,
            /** Undo the event's writes; record a failed attempt that may run again ({@link IdempotencyStore#retryAt}). */
            RETRY_AT,
            /** Undo the event's writes; record the event dead ({@link IdempotencyStore#markDead}). */
            DEAD
        }

        /** Checks that a failure carries its error, and a retry its time. */
        public Verdict {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(processingTime, "processingTime");
            if (kind != Kind.COMPLETE && error == null) {
                throw new IllegalArgumentException(kind + " needs an error");
            }
            if (kind == Kind.RETRY_AT && nextAttemptAt == null) {
                throw new IllegalArgumentException("RETRY_AT needs nextAttemptAt");
            }
        }

        /** The handlers succeeded: keep their writes and complete the event. */
        public static Verdict complete(Duration processingTime) {
            return new Verdict(Kind.COMPLETE, processingTime, null, null);
        }

        /** Undo the writes and record a failed attempt that may run again from {@code nextAttemptAt}. */
        public static Verdict retryAt(String error, Instant nextAttemptAt) {
            return new Verdict(Kind.RETRY_AT, Duration.ZERO, error, nextAttemptAt);
        }

        /** Undo the writes and record the event dead. */
        public static Verdict dead(String error) {
            return new Verdict(Kind.DEAD, Duration.ZERO, error, null);
        }
    }
}
