package dev.hookwise.core;

import dev.hookwise.core.internal.EventLogPages;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends recorded events through the pipeline again once their cause is fixed: one event, or every
 * failed or dead event matching a filter. Attempts restart at zero and the source becomes
 * {@link EventSource#REPLAY}. In synchronous mode the event runs at once in the calling thread; in
 * asynchronous mode it goes back into the inbox for the worker. Every replay is logged with who
 * asked for it.
 *
 * <pre>{@code
 * EventReplayer replayer = EventReplayer.of(processor);
 * replayer.replay("evt_1NG8…", "ops@example.com");
 * replayer.replayAll(EventQuery.builder().statuses(EventStatus.DEAD).typePrefix("invoice.").build(), "ops@example.com");
 * }</pre>
 */
public final class EventReplayer {
    private static final Logger log = LoggerFactory.getLogger(EventReplayer.class);
    private static final Set<EventStatus> REPLAYABLE = EnumSet.of(EventStatus.FAILED, EventStatus.DEAD);

    private final WebhookProcessor processor;
    private final IdempotencyStore store;

    private EventReplayer(WebhookProcessor processor) {
        this.processor = processor;
        this.store = processor.store();
    }

    public static EventReplayer of(WebhookProcessor processor) {
        return new EventReplayer(Objects.requireNonNull(processor, "processor"));
    }

    /** What a replay did. */
    public record ReplayResult(String eventId, Outcome outcome, boolean replayed) {
        static ReplayResult notReplayable(String eventId) {
            return new ReplayResult(eventId, Outcome.DUPLICATE, false);
        }
    }

    /**
     * Replays one event. Completed and in-progress events are not replayed (a completed event's
     * effects already happened); ignored and skipped events may be.
     *
     * @param requestedBy who asked, for the log (an operator's name, a ticket)
     */
    public ReplayResult replay(String eventId, String requestedBy) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(requestedBy, "requestedBy");
        EventRecord before = store.find(eventId).orElse(null);
        if (before == null || before.payload() == null || !store.resetForReplay(eventId, EventSource.REPLAY)) {
            log.info("replay of {} requested by {} refused: {}", eventId, requestedBy,
                    before == null ? "unknown event" : before.payload() == null ? "no stored payload" : "status " + before.status());
            return ReplayResult.notReplayable(eventId);
        }
        log.info("replay of {} ({}, was {} after {} attempt(s)) requested by {}", eventId, before.type(), before.status(),
                before.attempts(), requestedBy);
        if (processor.mode() == ProcessingMode.ASYNC) {
            return new ReplayResult(eventId, Outcome.QUEUED, true);
        }
        WebhookResponse response = processor.processVerified(EventEnvelope.parse(before.payload()), EventSource.REPLAY);
        return new ReplayResult(eventId, response.outcome(), true);
    }

    /**
     * Replays every event matching {@code filter} whose status is failed or dead (statuses in the
     * filter narrow that further; others are ignored), up to {@code max} events.
     */
    public List<ReplayResult> replayAll(EventQuery filter, String requestedBy, int max) {
        Set<EventStatus> statuses = filter.statuses().isEmpty() ? REPLAYABLE : EnumSet.copyOf(filter.statuses());
        statuses.retainAll(REPLAYABLE);
        List<ReplayResult> results = new ArrayList<>();
        if (statuses.isEmpty()) {
            return results;
        }
        // Collect first, then replay: a replay that fails again must not be picked up twice.
        List<String> ids = new ArrayList<>();
        EventLogPages.forEach(store, new EventQuery(statuses, filter.type(), filter.typePrefix(), filter.createdFrom(),
                filter.createdTo(), filter.errorContains(), 1, 0), max, row -> ids.add(row.id()));
        for (String id : ids) {
            results.add(replay(id, requestedBy));
        }
        log.info("bulk replay requested by {}: {} event(s)", requestedBy, results.stream().filter(ReplayResult::replayed).count());
        return results;
    }
}
