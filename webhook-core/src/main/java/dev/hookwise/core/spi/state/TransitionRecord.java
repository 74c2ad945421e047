package dev.hookwise.core.spi.state;

import dev.hookwise.core.spi.EventSource;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of an entity's audit trail: a transition attempt and what the store decided. Every
 * attempt is recorded, applied or not, in the same atomic step as the decision.
 *
 * @param sequence increasing per store; orders the attempts of one entity
 * @param entityType the entity's type
 * @param entityId the entity's id
 * @param fromState the state the entity was in when the store decided; null when it was not found
 * @param toState the state asked for
 * @param result what the store decided
 * @param eventId the event that asked for the change
 * @param eventCreated when Stripe created that event
 * @param source how the event reached the pipeline
 * @param recordedAt when the store decided (store clock)
 * @param <S> the state enum
 * @since 0.1.0
 */
public record TransitionRecord<S extends Enum<S>>(
        long sequence,
        String entityType,
        String entityId,
        @Nullable S fromState,
        S toState,
        TransitionResult.Status result,
        String eventId,
        Instant eventCreated,
        EventSource source,
        Instant recordedAt) {

    public TransitionRecord {
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(toState, "toState");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventCreated, "eventCreated");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    /** Whether this attempt moved the entity. */
    public boolean applied() {
        return result == TransitionResult.Status.APPLIED;
    }
}
