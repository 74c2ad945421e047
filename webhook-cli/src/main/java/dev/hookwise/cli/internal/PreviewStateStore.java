package dev.hookwise.cli.internal;

import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.state.EntityState;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.spi.state.TransitionRecord;
import dev.hookwise.core.spi.state.TransitionResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link StateStore} that reads like the real one and writes nothing: {@link #transition}
 * answers what the store would decide now (by the rules of {@link StateStore}'s class comment)
 * without moving the entity or writing history. {@code reconcile} runs the application's
 * reconcilers on it first, so the operator sees the corrections before confirming them.
 */
public final class PreviewStateStore implements StateStore {
    private final StateStore store;

    public PreviewStateStore(StateStore store) {
        this.store = store;
    }

    @Override
    public <S extends Enum<S>> boolean create(String entityType, String entityId, S initial) {
        return store.find(entityType, entityId, initial.getDeclaringClass()).isEmpty();
    }

    @Override
    public <S extends Enum<S>> TransitionResult<S> transition(String entityType, String entityId, Set<S> from, S to,
            String eventId, Instant eventCreated, EventSource source) {
        Optional<EntityState<S>> found = store.find(entityType, entityId, to.getDeclaringClass());
        if (found.isEmpty()) {
            return new TransitionResult<>(TransitionResult.Status.NOT_FOUND, entityType, entityId, to, null, null, 0);
        }
        EntityState<S> e = found.get();
        Instant last = e.lastEventCreated();
        boolean stale = last != null && eventCreated.isBefore(last);
        if (from.contains(e.state()) && !stale) {
            return new TransitionResult<>(TransitionResult.Status.APPLIED, entityType, entityId, to, e.state(), to,
                    e.version() + 1);
        }
        TransitionResult.Status status = e.state() == to ? TransitionResult.Status.ALREADY_IN_TARGET
                : stale ? TransitionResult.Status.STALE_EVENT : TransitionResult.Status.INVALID_TRANSITION;
        return new TransitionResult<>(status, entityType, entityId, to, e.state(), e.state(), e.version());
    }

    @Override
    public <S extends Enum<S>> Optional<EntityState<S>> find(String entityType, String entityId, Class<S> stateType) {
        return store.find(entityType, entityId, stateType);
    }

    @Override
    public <S extends Enum<S>> List<TransitionRecord<S>> history(String entityType, String entityId, Class<S> stateType) {
        return store.history(entityType, entityId, stateType);
    }

    @Override
    public <S extends Enum<S>> List<EntityState<S>> findStuck(String entityType, Class<S> stateType, Set<S> states,
            Instant changedBefore, int limit) {
        return store.findStuck(entityType, stateType, states, changedBefore, limit);
    }

    @Override
    public int purgeHistory(Instant cutoff) {
        return 0;
    }
}
