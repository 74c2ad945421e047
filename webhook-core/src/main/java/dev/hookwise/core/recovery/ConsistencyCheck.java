package dev.hookwise.core.recovery;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.MalformedEventException;
import dev.hookwise.core.internal.EventLogPages;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.spi.state.TransitionRecord;
import dev.hookwise.core.spi.state.TransitionResult;
import dev.hookwise.core.state.StateMachine;
import dev.hookwise.core.state.StateNames;
import dev.hookwise.core.state.TransitionRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The seed runbooks' "verify" step: finds completed events whose effect on an entity is missing.
 * For each completed event in the window that a rule of the {@link StateMachine} applies to, it
 * reads the entity's history: the event is consistent when the history holds it as applied,
 * already-in-target or stale (an older event that correctly changed nothing); it is inconsistent
 * when the history has no row for it at all, or records it as an invalid transition or a missing
 * entity — an event acknowledged without its effect.
 *
 * <pre>{@code
 * ConsistencyReport report = ConsistencyCheck.of(ORDERS, stateStore, eventLog).check(from, to);
 * }</pre>
 *
 * @param <S> the state enum
 */
public final class ConsistencyCheck<S extends Enum<S>> {
    private final StateMachine<S> machine;
    private final StateStore states;
    private final IdempotencyStore events;

    private ConsistencyCheck(StateMachine<S> machine, StateStore states, IdempotencyStore events) {
        this.machine = machine;
        this.states = states;
        this.events = events;
    }

    public static <S extends Enum<S>> ConsistencyCheck<S> of(StateMachine<S> machine, StateStore states,
            IdempotencyStore events) {
        return new ConsistencyCheck<>(Objects.requireNonNull(machine, "machine"), Objects.requireNonNull(states, "states"),
                Objects.requireNonNull(events, "events"));
    }

    /** Checks the completed events created in {@code [from, to)}. */
    public ConsistencyReport check(Instant from, Instant to) {
        int[] checked = {0};
        List<ConsistencyReport.Item> items = new ArrayList<>();
        EventLogPages.forEach(events, EventQuery.builder().statuses(EventStatus.COMPLETED).createdFrom(from).createdTo(to)
                .build(), Long.MAX_VALUE, event -> {
                    Optional<TransitionRule<S>> rule = machine.rule(event.type());
                    if (rule.isEmpty() || event.payload() == null) {
                        return;
                    }
                    EventContext context;
                    try {
                        context = new EventContext(EventEnvelope.parse(event.payload()), event.attempts(), event.source());
                    } catch (MalformedEventException e) {
                        return;
                    }
                    Optional<String> entityId = machine.entityIdResolver(rule.get()).resolve(context);
                    Optional<S> target = rule.get().target().target(context);
                    if (entityId.isEmpty() || target.isEmpty()) {
                        return;
                    }
                    checked[0]++;
                    String finding = finding(entityId.get(), event.id());
                    if (finding != null) {
                        items.add(new ConsistencyReport.Item(event.id(), event.type(), entityId.get(),
                                StateNames.name(target.get()), finding));
                    }
                });
        return new ConsistencyReport(from, to, checked[0], items.size(), items);
    }

    /** Null when consistent; otherwise what is wrong. */
    private @Nullable String finding(String entityId, String eventId) {
        List<TransitionRecord<S>> history = states.history(machine.entityType(), entityId, machine.stateType());
        TransitionRecord<S> latestForEvent = null;
        for (TransitionRecord<S> r : history) {
            if (r.eventId().equals(eventId)) {
                latestForEvent = r;
                if (r.result() == TransitionResult.Status.APPLIED || r.result() == TransitionResult.Status.ALREADY_IN_TARGET
                        || r.result() == TransitionResult.Status.STALE_EVENT) {
                    return null;
                }
            }
        }
        if (latestForEvent == null) {
            return "completed, but the entity's history has no transition for this event";
        }
        return "completed, but the history records it as " + latestForEvent.result();
    }
}
