package dev.hookwise.core.spi.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An entity's current state as a {@link StateStore} holds it.
 *
 * @param entityType the entity's type, e.g. {@code order}
 * @param entityId the entity's id
 * @param state the current state
 * @param previousState the state before the last applied change; null until the first change
 * @param version how many changes were applied since the entity was created
 * @param lastEventId the newest event that moved the entity or confirmed its state (found it
 *     already in its target); null until then
 * @param lastEventCreated when Stripe created that event; events older than this are stale for this entity
 * @param createdAt when the store created the entity (store clock)
 * @param updatedAt when the store last changed the state (store clock); what the stuck-entities query compares
 * @param <S> the state enum
 * @since 0.1.0
 */
public record EntityState<S extends Enum<S>>(
        String entityType,
        String entityId,
        S state,
        @Nullable S previousState,
        long version,
        @Nullable String lastEventId,
        @Nullable Instant lastEventCreated,
        Instant createdAt,
        Instant updatedAt) {

    public EntityState {
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The event of the last applied change, if any. */
    public Optional<String> lastEvent() {
        return Optional.ofNullable(lastEventId);
    }
}
