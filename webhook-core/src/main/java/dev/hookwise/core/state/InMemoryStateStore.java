package dev.hookwise.core.state;

import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.state.EntityState;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.spi.state.StateStoreArguments;
import dev.hookwise.core.spi.state.TransitionRecord;
import dev.hookwise.core.spi.state.TransitionResult.Status;
import dev.hookwise.core.spi.state.TransitionResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StateStore} in a {@link ConcurrentHashMap}: for tests, demos and single-instance
 * applications that accept losing state on restart. An entity and its history live in one map
 * entry, and every transition is one atomic {@code compute} on it, so the decision and its audit
 * row can never be seen apart and concurrent transitions of one entity never both win.
 *
 * <p>States are held by name, as a database would hold them, so reading them back as another
 * enum fails the same way ({@link UnknownStateException}).
 *
 * <pre>{@code
 * StateStore store = InMemoryStateStore.create();
 * }</pre>
 */
public final class InMemoryStateStore implements StateStore {

    private record Key(String type, String id) {}

    private record Row(String state, @Nullable String previous, long version, @Nullable String lastEventId,
            @Nullable Instant lastEventCreated, Instant createdAt, Instant updatedAt) {}

    private record HistoryRow(long sequence, @Nullable String from, String to, Status result, String eventId,
            Instant eventCreated, EventSource source, Instant recordedAt) {}

    /** An entity (null until created) and its history; replaced as a whole on every change. */
    private record Slot(@Nullable Row row, List<HistoryRow> history) {
        Slot append(@Nullable Row newRow, HistoryRow entry) {
            List<HistoryRow> h = new ArrayList<>(history.size() + 1);
            h.addAll(history);
            h.add(entry);
            return new Slot(newRow, List.copyOf(h));
        }
    }

    private final ConcurrentMap<Key, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Clock clock;

    private InMemoryStateStore(Clock clock) {
        this.clock = clock;
    }

    /** A store on the system clock. */
    public static InMemoryStateStore create() {
        return new InMemoryStateStore(Clock.systemUTC());
    }

    /** A store whose timestamps follow {@code clock}. */
    public static InMemoryStateStore create(Clock clock) {
        return new InMemoryStateStore(Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public <S extends Enum<S>> boolean create(String entityType, String entityId, S initial) {
        StateStoreArguments.checkEntity(entityType, entityId);
        StateStoreArguments.checkState(initial, "initial");
        boolean[] created = {false};
        slots.compute(new Key(entityType, entityId), (k, slot) -> {
            if (slot != null && slot.row() != null) {
                return slot;
            }
            Instant now = clock.instant();
            created[0] = true;
            return new Slot(new Row(StateNames.name(initial), null, 0, null, null, now, now),
                    slot == null ? List.of() : slot.history());
        });
        return created[0];
    }

    @Override
    public <S extends Enum<S>> TransitionResult<S> transition(String entityType, String entityId, Set<S> from, S to,
            String eventId, Instant eventCreated, EventSource source) {
        StateStoreArguments.checkTransition(entityType, entityId, from, to, eventId, eventCreated, source);
        Class<S> type = to.getDeclaringClass();
        AtomicReference<TransitionResult<S>> result = new AtomicReference<>();
        slots.compute(new Key(entityType, entityId), (k, slot) -> {
            Instant now = clock.instant();
            Row row = slot == null ? null : slot.row();
            if (row == null) {
                result.set(new TransitionResult<>(Status.NOT_FOUND, entityType, entityId, to, null, null, 0));
                HistoryRow h = new HistoryRow(sequence.incrementAndGet(), null, StateNames.name(to), Status.NOT_FOUND,
                        eventId, eventCreated, source, now);
                return (slot == null ? new Slot(null, List.of()) : slot).append(null, h);
            }
            // Parsing first: an unknown stored name throws before anything is replaced.
            S current = StateNames.parse(type, row.state());
            boolean notOlder = row.lastEventCreated() == null || !row.lastEventCreated().isAfter(eventCreated);
            Status status;
            Row next = row;
            if (from.contains(current) && notOlder) {
                status = Status.APPLIED;
                next = new Row(StateNames.name(to), row.state(), row.version() + 1, eventId, eventCreated,
                        row.createdAt(), now);
            } else if (current == to) {
                status = Status.ALREADY_IN_TARGET;
                if (row.lastEventCreated() == null || row.lastEventCreated().isBefore(eventCreated)) {
                    // A newer event confirms the state: older events are now stale for this entity.
                    next = new Row(row.state(), row.previous(), row.version(), eventId, eventCreated,
                            row.createdAt(), row.updatedAt());
                }
            } else if (!notOlder) {
                status = Status.STALE_EVENT;
            } else {
                status = Status.INVALID_TRANSITION;
            }
            result.set(new TransitionResult<>(status, entityType, entityId, to, current,
                    status == Status.APPLIED ? to : current, next.version()));
            return slot.append(next, new HistoryRow(sequence.incrementAndGet(), row.state(), StateNames.name(to), status,
                    eventId, eventCreated, source, now));
        });
        return Objects.requireNonNull(result.get(), "every branch of the compute above sets it");
    }

    @Override
    public <S extends Enum<S>> Optional<EntityState<S>> find(String entityType, String entityId, Class<S> stateType) {
        StateStoreArguments.checkEntity(entityType, entityId);
        Slot slot = slots.get(new Key(entityType, entityId));
        if (slot == null || slot.row() == null) {
            return Optional.empty();
        }
        return Optional.of(toState(entityType, entityId, slot.row(), stateType));
    }

    @Override
    public <S extends Enum<S>> List<TransitionRecord<S>> history(String entityType, String entityId, Class<S> stateType) {
        StateStoreArguments.checkEntity(entityType, entityId);
        Slot slot = slots.get(new Key(entityType, entityId));
        if (slot == null) {
            return List.of();
        }
        return slot.history().stream()
                .map(h -> new TransitionRecord<>(h.sequence(), entityType, entityId,
                        h.from() == null ? null : StateNames.parse(stateType, h.from()),
                        StateNames.parse(stateType, h.to()), h.result(), h.eventId(), h.eventCreated(), h.source(),
                        h.recordedAt()))
                .toList();
    }

    @Override
    public <S extends Enum<S>> List<EntityState<S>> findStuck(String entityType, Class<S> stateType, Set<S> states,
            Instant changedBefore, int limit) {
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(changedBefore, "changedBefore");
        StateStoreArguments.checkLimit(limit);
        Set<String> names = new java.util.HashSet<>();
        states.forEach(s -> names.add(StateNames.name(s)));
        return slots.entrySet().stream()
                .filter(e -> e.getKey().type().equals(entityType))
                .flatMap(e -> Optional.ofNullable(e.getValue().row()).map(row -> Map.entry(e.getKey().id(), row)).stream())
                .filter(e -> names.contains(e.getValue().state()))
                .filter(e -> e.getValue().updatedAt().isBefore(changedBefore))
                .sorted(Comparator.comparing((Map.Entry<String, Row> e) -> e.getValue().updatedAt())
                        .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(e -> toState(entityType, e.getKey(), e.getValue(), stateType))
                .toList();
    }

    @Override
    public int purgeHistory(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        int[] purged = {0};
        for (Key key : slots.keySet()) {
            slots.computeIfPresent(key, (k, slot) -> {
                List<HistoryRow> kept = slot.history().stream().filter(h -> !h.recordedAt().isBefore(cutoff)).toList();
                purged[0] += slot.history().size() - kept.size();
                return slot.row() == null && kept.isEmpty() ? null : new Slot(slot.row(), kept);
            });
        }
        return purged[0];
    }

    private static <S extends Enum<S>> EntityState<S> toState(String type, String id, Row row, Class<S> stateType) {
        return new EntityState<>(type, id, StateNames.parse(stateType, row.state()),
                row.previous() == null ? null : StateNames.parse(stateType, row.previous()), row.version(),
                row.lastEventId(), row.lastEventCreated(), row.createdAt(), row.updatedAt());
    }
}
