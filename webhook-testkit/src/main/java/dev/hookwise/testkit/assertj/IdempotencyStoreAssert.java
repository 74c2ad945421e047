package dev.hookwise.testkit.assertj;

import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions over what an {@link IdempotencyStore} holds, read through its {@code find} and
 * {@code search} methods (so they work for any implementation).
 *
 * <pre>{@code
 * assertThat(processor.store())
 *         .hasEventsInStatus(EventStatus.COMPLETED, 3)
 *         .hasNoEventsInStatus(EventStatus.DEAD, EventStatus.FAILED)
 *         .event(paid.id()).hasStatus(EventStatus.COMPLETED).hasAttempts(1);
 * }</pre>
 */
public final class IdempotencyStoreAssert extends AbstractAssert<IdempotencyStoreAssert, IdempotencyStore> {

    IdempotencyStoreAssert(IdempotencyStore actual) {
        super(actual, IdempotencyStoreAssert.class);
    }

    /** The store has the event; continue with assertions on its record. */
    public EventRecordAssert event(String eventId) {
        isNotNull();
        Optional<EventRecord> found = actual.find(eventId);
        if (found.isEmpty()) {
            failWithMessage("expected the store to hold event %s but it does not", eventId);
        }
        return new EventRecordAssert(found.orElseThrow());
    }

    /** The store has the event. */
    public IdempotencyStoreAssert hasEvent(String eventId) {
        event(eventId);
        return this;
    }

    /** The store does not have the event. */
    public IdempotencyStoreAssert doesNotHaveEvent(String eventId) {
        isNotNull();
        actual.find(eventId).ifPresent(r -> failWithMessage("expected the store not to hold event %s but found %s",
                eventId, r));
        return this;
    }

    /** The store has the event in this status. */
    public IdempotencyStoreAssert hasEventWithStatus(String eventId, EventStatus status) {
        event(eventId).hasStatus(status);
        return this;
    }

    /** Exactly {@code expected} events are in {@code status}. */
    public IdempotencyStoreAssert hasEventsInStatus(EventStatus status, int expected) {
        isNotNull();
        List<EventRecord> rows = inStatus(status);
        if (rows.size() != expected) {
            failWithMessage("expected %s events in status %s but found %s: %s", expected, status, rows.size(), rows);
        }
        return this;
    }

    /** No event is in any of these statuses. */
    public IdempotencyStoreAssert hasNoEventsInStatus(EventStatus... statuses) {
        isNotNull();
        for (EventStatus status : statuses) {
            List<EventRecord> rows = inStatus(status);
            if (!rows.isEmpty()) {
                failWithMessage("expected no events in status %s but found: %s", status, rows);
            }
        }
        return this;
    }

    private List<EventRecord> inStatus(EventStatus status) {
        return actual.search(EventQuery.builder().statuses(status).limit(EventQuery.MAX_LIMIT).build());
    }
}
