package dev.hookwise.core.operations;

import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.MalformedEventException;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.internal.EventLogPages;
import dev.hookwise.core.policy.EventFilter;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
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
    /** What {@link #replay} takes: failed and dead, and ignored or skipped events a handler may now want. */
    private static final Set<EventStatus> REPLAYABLE_NOW = EnumSet.of(EventStatus.FAILED, EventStatus.DEAD,
            EventStatus.IGNORED, EventStatus.SKIPPED_STALE);
    /** The outcomes of an event that was claimed and run; any other left the event as it was. */
    private static final Set<Outcome> RUN_OUTCOMES = EnumSet.of(Outcome.PROCESSED, Outcome.FAILED_PERMANENT,
            Outcome.RETRY_LATER, Outcome.FAILED_TRANSIENT);

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
     * effects already happened); ignored and skipped events may be. In synchronous mode the event is
     * claimed straight from its status and run now; in asynchronous mode it is queued for the
     * workers. Either way, an event the processor's {@link EventFilter} rejects is not replayed, and
     * a replay that does not run (overload, the store down) leaves the event exactly as it was, so it
     * can be repeated.
     *
     * @param requestedBy who asked, for the log (an operator's name, a ticket)
     */
    public ReplayResult replay(String eventId, String requestedBy) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(requestedBy, "requestedBy");
        EventRecord before = store.find(eventId).orElse(null);
        byte[] payload = before == null ? null : before.payload();
        String refusal = before == null ? "unknown event"
                : payload == null ? "no stored payload"
                : !REPLAYABLE_NOW.contains(before.status()) ? "status " + before.status()
                : null;
        EventEnvelope envelope = null;
        if (refusal == null && payload != null) {
            try {
                envelope = EventEnvelope.parse(payload);
            } catch (MalformedEventException e) {
                refusal = "stored payload unreadable: " + e.getMessage();
            }
        }
        if (refusal == null && envelope != null && processor.filter().rejection(envelope).isPresent()) {
            refusal = "the event filter rejects it (" + processor.filter().rejection(envelope).get().code() + ")";
        }
        if (refusal != null || before == null || envelope == null) { // the last two imply a refusal
            log.info("replay of {} requested by {} refused: {}", eventId, requestedBy, refusal);
            return ReplayResult.notReplayable(eventId);
        }
        log.info("replay of {} ({}, was {} after {} attempt(s)) requested by {}", eventId, before.type(), before.status(),
                before.attempts(), requestedBy);
        if (processor.mode() == ProcessingMode.ASYNC) {
            boolean queued = ((InboxStore) store).resetForReplay(eventId, EventSource.REPLAY);
            return queued ? new ReplayResult(eventId, Outcome.QUEUED, true) : ReplayResult.notReplayable(eventId);
        }
        WebhookResponse response = processor.processRecorded(envelope, EventSource.REPLAY);
        boolean ran = RUN_OUTCOMES.contains(response.outcome());
        if (!ran) {
            log.info("replay of {} did not run ({}); the event is unchanged and can be replayed again", eventId,
                    response.outcome().code());
        }
        return new ReplayResult(eventId, response.outcome(), ran);
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
