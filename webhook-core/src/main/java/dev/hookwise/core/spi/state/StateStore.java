package dev.hookwise.core.spi.state;

import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.StoreUnavailableException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where entities (orders, subscriptions, entitlements) keep their state, changed only by atomic,
 * conditional transitions that also write an audit trail.
 *
 * <p>The hazard this SPI exists for: Stripe delivers at least once, in no particular order, and
 * sometimes concurrently. A read-then-write ("load the order, check it is pending, save it as
 * paid") lets two events both win, and lets a late, old event move an entity backwards. A store
 * therefore decides each transition in one atomic step:
 * <pre>
 * if the entity does not exist                         → NOT_FOUND
 * else if state ∈ from and (no event applied yet
 *         or eventCreated ≥ the last applied event's)   → APPLIED (state = to, version + 1,
 *                                                          last event = this one)
 * else if state = to                                    → ALREADY_IN_TARGET (if the event is newer
 *                                                          than the last one, it becomes the last
 *                                                          event; state and version stay)
 * else if eventCreated &lt; the last applied event's      → STALE_EVENT
 * else                                                  → INVALID_TRANSITION
 * </pre>
 * and records the attempt and its result in the entity's history in the same atomic step, so the
 * history holds exactly one {@code APPLIED} row per change. Events created in the same instant as
 * the last applied one are not stale (Stripe's {@code created} has one-second resolution).
 *
 * <p>Why a newer event that finds the entity already in its target moves the "last event"
 * mark: it proves the entity's state as of its own time, so an older event still in flight
 * describes a superseded situation. Without it, {@code created(t1) → processing(t3)} followed by
 * a late {@code payment_failed(t2)} would move a retrying order back to {@code payment_failed}.
 *
 * <p>State names are stored as {@link dev.hookwise.core.state.StateNames#name(Enum) lower-case
 * enum names}; a stored name the enum does not know is reported as
 * {@link dev.hookwise.core.state.UnknownStateException}, with nothing written. Bad arguments (an
 * empty {@code from}, {@code to} inside {@code from}, an id longer than the store holds) are
 * {@link IllegalArgumentException}s with nothing written; infrastructure failures are
 * {@link StoreUnavailableException}s.
 *
 * <p>An implementation must pass {@code dev.hookwise.testkit.contract.StateStoreContract}.
 * Most applications use a store through {@link dev.hookwise.core.state.StateTransitions}, which
 * derives {@code from} from a declared {@link dev.hookwise.core.state.StateMachine}.
 *
 * @since 0.1.0
 */
public interface StateStore {

    /**
     * Creates an entity in its initial state, unless it exists. Creation is not a transition and
     * writes no history row.
     *
     * @return true if this call created the entity; false if it already existed (left unchanged)
     */
    <S extends Enum<S>> boolean create(String entityType, String entityId, S initial);

    /**
     * Attempts to move an entity from one of {@code from} to {@code to} on behalf of an event,
     * deciding and recording the attempt atomically (see the class comment).
     *
     * @param from the states {@code to} may be reached from; not empty, not containing {@code to}
     * @param eventCreated when Stripe created the event; the entity never moves on behalf of an
     *     event older than the last one applied to it
     */
    <S extends Enum<S>> TransitionResult<S> transition(String entityType, String entityId, Set<S> from, S to,
            String eventId, Instant eventCreated, EventSource source);

    /** The entity's current state, if the store has it. */
    <S extends Enum<S>> Optional<EntityState<S>> find(String entityType, String entityId, Class<S> stateType);

    /**
     * Every transition attempt recorded for the entity, oldest first, including attempts on an
     * entity that did not exist yet ({@code NOT_FOUND}).
     */
    <S extends Enum<S>> List<TransitionRecord<S>> history(String entityType, String entityId, Class<S> stateType);

    /**
     * Entities of {@code entityType} in one of {@code states} whose state last changed (or which
     * were created, if never changed) before {@code changedBefore}, longest-stuck first: the
     * "stuck orders" report. Callers pass the machine's non-terminal states.
     *
     * @param limit at most this many rows; positive
     */
    <S extends Enum<S>> List<EntityState<S>> findStuck(String entityType, Class<S> stateType, Set<S> states,
            Instant changedBefore, int limit);

    /**
     * Deletes history rows recorded before {@code cutoff} (retention; the audit horizon is
     * typically 90 days). Entities are never deleted.
     *
     * @return how many rows were deleted
     */
    default int purgeHistory(Instant cutoff) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support purging history");
    }
}
