package dev.hookwise.core.recovery;

import java.time.Instant;
import java.util.List;

/**
 * The result of a {@link ConsistencyCheck}.
 *
 * @param from start of the window (event creation time)
 * @param to end of the window
 * @param checked completed events that a state rule applies to
 * @param inconsistent those whose effect is not in the entity's history
 * @param items one line per inconsistent event
 */
public record ConsistencyReport(Instant from, Instant to, int checked, int inconsistent, List<Item> items) {
    public ConsistencyReport {
        items = List.copyOf(items);
    }

    /** One completed event without its effect. */
    public record Item(String eventId, String eventType, String entityId, String expectedState, String finding) {}
}
