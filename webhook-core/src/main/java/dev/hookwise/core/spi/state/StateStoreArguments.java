package dev.hookwise.core.spi.state;

import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.state.StateNames;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The argument checks every {@link StateStore} makes before writing anything, in one place so
 * that every implementation rejects the same input with the same message. Limits match the
 * columns of the shipped JDBC schema.
 *
 * @since 0.1.0
 */
public final class StateStoreArguments {

    /** Longest entity type. */
    public static final int MAX_ENTITY_TYPE_LENGTH = 64;
    /** Longest entity id. */
    public static final int MAX_ENTITY_ID_LENGTH = 255;
    /** Longest event id. */
    public static final int MAX_EVENT_ID_LENGTH = 255;

    private StateStoreArguments() {}

    /** Checks an entity's type and id. */
    public static void checkEntity(String entityType, String entityId) {
        text(entityType, "entityType", MAX_ENTITY_TYPE_LENGTH);
        text(entityId, "entityId", MAX_ENTITY_ID_LENGTH);
    }

    /** Checks a state. */
    public static void checkState(Enum<?> state, String what) {
        Objects.requireNonNull(state, what);
        if (StateNames.name(state).length() > StateNames.MAX_LENGTH) {
            throw new IllegalArgumentException(what + " '" + StateNames.name(state) + "' is longer than "
                    + StateNames.MAX_LENGTH + " characters");
        }
    }

    /** Checks every argument of {@link StateStore#transition}. */
    public static <S extends Enum<S>> void checkTransition(String entityType, String entityId, Set<S> from, S to,
            String eventId, Instant eventCreated, EventSource source) {
        checkEntity(entityType, entityId);
        Objects.requireNonNull(from, "from");
        checkState(to, "to");
        if (from.isEmpty()) {
            throw new IllegalArgumentException("from is empty: a transition to '" + StateNames.name(to)
                    + "' needs at least one source state");
        }
        for (S s : from) {
            checkState(s, "from state");
        }
        if (from.contains(to)) {
            throw new IllegalArgumentException("from contains the target '" + StateNames.name(to)
                    + "': a transition to the current state changes nothing");
        }
        text(eventId, "eventId", MAX_EVENT_ID_LENGTH);
        Objects.requireNonNull(eventCreated, "eventCreated");
        Objects.requireNonNull(source, "source");
    }

    /** Checks a limit of a query. */
    public static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be ≥ 1, but was " + limit);
        }
    }

    private static void text(String value, String name, int max) {
        Objects.requireNonNull(value, name);
        if (value.isBlank() || value.length() > max) {
            throw new IllegalArgumentException(name + " must be 1 to " + max + " characters and not blank, but was "
                    + (value.length() > 40 ? value.length() + " characters long" : "'" + value + "'"));
        }
    }
}
