package dev.hookwise.testkit;

import dev.hookwise.core.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link DeliverySimulator} run did, in the order attempts finished. Immutable.
 * Assert on it with {@code dev.hookwise.testkit.assertj.HookwiseAssertions}, or query it directly:
 *
 * <pre>{@code
 * DeliveryLog log = simulator.deliver(events, DeliveryPlan.builder().duplicates(2).build());
 * assertThat(log.count(Outcome.PROCESSED)).isEqualTo(events.size());
 * assertThat(log.count(Outcome.DUPLICATE)).isEqualTo(2 * events.size());
 * }</pre>
 */
public final class DeliveryLog {
    private final List<Delivery> deliveries;

    DeliveryLog(List<Delivery> deliveries) {
        this.deliveries = List.copyOf(deliveries);
    }

    /** Every attempt, dropped ones included, in order. */
    public List<Delivery> deliveries() {
        return deliveries;
    }

    /** How many attempts there were, dropped ones included. */
    public int size() {
        return deliveries.size();
    }

    /** The attempts that went out. */
    public List<Delivery> sent() {
        return deliveries.stream().filter(Delivery::sent).toList();
    }

    /** The attempts the plan dropped. */
    public List<Delivery> dropped() {
        return deliveries.stream().filter(d -> !d.sent()).toList();
    }

    /** The attempts after the first of a copy: Stripe-like redeliveries. */
    public List<Delivery> redeliveries() {
        return deliveries.stream().filter(d -> d.attempt() > 1).toList();
    }

    /** The attempts for one event, in order. */
    public List<Delivery> forEvent(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return deliveries.stream().filter(d -> d.eventId().equals(eventId)).toList();
    }

    /** The outcomes answered for one event, in order (attempts without an outcome are skipped). */
    public List<Outcome> outcomes(String eventId) {
        List<Outcome> out = new ArrayList<>();
        for (Delivery d : forEvent(eventId)) {
            d.outcomeIfAny().ifPresent(out::add);
        }
        return out;
    }

    /** How many attempts were answered with {@code outcome}. */
    public long count(Outcome outcome) {
        return deliveries.stream().filter(d -> d.outcome() == outcome).count();
    }

    /** How many attempts ended with {@code status}. */
    public long count(Delivery.Status status) {
        return deliveries.stream().filter(d -> d.status() == status).count();
    }

    /** The last attempt for an event, if there was one. */
    public Optional<Delivery> last(String eventId) {
        List<Delivery> forEvent = forEvent(eventId);
        return forEvent.isEmpty() ? Optional.empty() : Optional.of(forEvent.get(forEvent.size() - 1));
    }

    /** The distinct event ids, in the order they first appear. */
    public Set<String> eventIds() {
        Set<String> ids = new LinkedHashSet<>();
        deliveries.forEach(d -> ids.add(d.eventId()));
        return ids;
    }

    /** Events that no attempt acknowledged: dropped, or redeliveries exhausted. Recovery must find these. */
    public Set<String> unacknowledgedEventIds() {
        Set<String> ids = new LinkedHashSet<>(eventIds());
        deliveries.stream().filter(Delivery::acknowledged).forEach(d -> ids.remove(d.eventId()));
        return ids;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("DeliveryLog[").append(deliveries.size()).append(" attempts");
        for (Delivery d : deliveries) {
            s.append("\n  ").append(d);
        }
        return s.append(']').toString();
    }
}
