package dev.hookwise.core.spi.state;

import dev.hookwise.core.spi.EventSource;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link StateStore#transition}: what the store decided and the entity's state
 * before and after.
 *
 * <pre>{@code
 * TransitionResult<OrderState> r = store.transition("order", "ord_1", EnumSet.of(PENDING_PAYMENT), PAID,
 *         event.id(), event.created(), EventSource.WEBHOOK);
 * if (r.status() == TransitionResult.Status.APPLIED) { ship(r.entityId()); }
 * }</pre>
 *
 * @param status what the store decided
 * @param entityType the entity's type, e.g. {@code order}
 * @param entityId the entity's id
 * @param requested the target state asked for
 * @param previous the state the entity was in when the store decided; null for {@link Status#NOT_FOUND}
 * @param current the state after the decision; null for {@link Status#NOT_FOUND}
 * @param version the entity's version after the decision (incremented once per applied change); 0 when not found
 * @param <S> the state enum
 * @since 0.1.0
 */
public record TransitionResult<S extends Enum<S>>(
        Status status,
        String entityType,
        String entityId,
        S requested,
        @Nullable S previous,
        @Nullable S current,
        long version) {

    /** What a transition attempt found. */
    public enum Status {
        /** The entity was in one of the allowed source states and the event was not older than the last one applied: it moved. */
        APPLIED,
        /** The entity already is in the requested state (a duplicate, or another event got there first): nothing changed. */
        ALREADY_IN_TARGET,
        /** The entity is in a state the requested one cannot be reached from directly: nothing changed. */
        INVALID_TRANSITION,
        /** The event is older than the last event applied to the entity: nothing changed, the entity never moves backwards. */
        STALE_EVENT,
        /** The store holds no such entity: nothing changed. */
        NOT_FOUND
    }

    public TransitionResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(requested, "requested");
        if ((status == Status.NOT_FOUND) != (current == null)) {
            throw new IllegalArgumentException("current state must be null exactly when the status is NOT_FOUND");
        }
    }

    /** Whether this attempt moved the entity. */
    public boolean applied() {
        return status == Status.APPLIED;
    }

    /** The state before the decision; empty when the entity was not found. */
    public Optional<S> previousState() {
        return Optional.ofNullable(previous);
    }

    /** The state after the decision; empty when the entity was not found. */
    public Optional<S> currentState() {
        return Optional.ofNullable(current);
    }
}
