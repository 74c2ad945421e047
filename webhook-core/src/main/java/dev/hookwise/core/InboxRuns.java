package dev.hookwise.core;

import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.internal.ClaimedEvents;
import dev.hookwise.core.internal.CompletionGroups;
import dev.hookwise.core.internal.LeaseKeeper;
import dev.hookwise.core.policy.EventFilter;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.TransactionalStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The asynchronous path of {@link WebhookProcessor}: events an {@link InboxWorker} claimed from the
 * inbox run through the same handlers, filter and failure classification as a delivery, but their
 * failures are rescheduled in the store instead of being answered. The worker reaches it through
 * {@link ClaimedEvents}.
 */
final class InboxRuns implements ClaimedEvents {
    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);

    private final HandlerRegistry handlers;
    private final EventFilter filter;
    private final ClaimRunner runner;
    private final LeaseKeeper leaseKeeper;
    private final PipelineObservations observations;
    private final ClaimOwners owners;
    private final IdempotencyStore store;

    InboxRuns(HandlerRegistry handlers, EventFilter filter, ClaimRunner runner, LeaseKeeper leaseKeeper,
            PipelineObservations observations, ClaimOwners owners, IdempotencyStore store) {
        this.handlers = handlers;
        this.filter = filter;
        this.runner = runner;
        this.leaseKeeper = leaseKeeper;
        this.observations = observations;
        this.owners = owners;
        this.store = store;
    }

    @Override
    public LeaseKeeper.Prefetched prefetched(java.util.Collection<Thread> servers,
            java.util.function.Consumer<dev.hookwise.core.spi.ClaimToken> onLost) {
        return leaseKeeper.prefetched(servers, onLost);
    }

    @Override
    public String newOwner() {
        return owners.next();
    }

    @Override
    public CompletionGroups completionGroups(int maxGroup) {
        return new CompletionGroups(store, leaseKeeper, maxGroup);
    }

    /**
     * Runs an event claimed from the inbox by an {@link InboxWorker}: the same handlers, event
     * filter and failure classification as the synchronous path, but failures are rescheduled in the
     * store at {@code nextAttempt} instead of being answered, and the event is dead after
     * {@code maxAttempts}.
     *
     * <p>The run is observed as a consumer of the trace context stored with the event at enqueue.
     * With {@code groups}, a success of plain handlers is completed by a group commit: the run's
     * observation ends when the handlers return, the listener and the log hear it once committed.
     *
     * @return the outcome recorded: processed, failed_permanent (dead, also when the attempts are
     *     exhausted), retry_later or failed_transient (rescheduled), or ignored (filtered, or no handler)
     */
    @Override
    public Outcome runClaimed(EventRecord record, int maxAttempts, IntFunction<Instant> nextAttempt,
            @Nullable CompletionGroups groups) {
        PipelineObservations.Run process = observations.process(record.id(), record.type(), record.attempts(),
                record.source(), record.traceContext(), true);
        return PipelineObservations.observe(process, () -> runClaimedObserved(record, maxAttempts, nextAttempt, groups),
                outcome -> outcome);
    }

    private Outcome runClaimedObserved(EventRecord record, int maxAttempts, IntFunction<Instant> nextAttempt,
            @Nullable CompletionGroups groups) {
        ClaimToken claim = ClaimToken.of(record);
        MDC.put(WebhookProcessor.MDC_EVENT_ID, record.id());
        MDC.put(WebhookProcessor.MDC_EVENT_TYPE, record.type());
        try {
            byte[] payload = record.payload();
            if (payload == null) {
                runner.markUnrunnable(claim, record.type(), "no payload stored: the event cannot be processed from the inbox");
                return Outcome.FAILED_PERMANENT;
            }
            EventEnvelope envelope;
            try {
                envelope = EventEnvelope.parse(payload);
            } catch (MalformedEventException e) {
                runner.markUnrunnable(claim, record.type(), "stored payload unreadable: " + e.getMessage());
                return Outcome.FAILED_PERMANENT;
            }
            // The same filter as the request path: an event it rejects never runs, whoever claimed it.
            Optional<Outcome> filtered = filter.rejection(envelope);
            List<WebhookHandler> matching = handlers.handlersFor(record.type());
            if (filtered.isPresent() || matching.isEmpty()) {
                String reason = filtered.map(Outcome::code).orElse("unhandled_type");
                runner.ignore(claim, reason);
                log.info("{} {} attempt {} -> ignored ({})", record.id(), record.type(), record.attempts(), reason);
                return filtered.orElse(Outcome.IGNORED);
            }
            ClaimRunner.Recorded recorded = runner.run(claim, envelope, record.source(), matching, null, maxAttempts,
                    nextAttempt, groups);
            if (!recorded.awaitingCommit()) {
                logRecorded(record, recorded); // else once its group commits
            }
            return recorded.dead() ? Outcome.FAILED_PERMANENT : recorded.outcome();
        } finally {
            MDC.remove(WebhookProcessor.MDC_EVENT_ID);
            MDC.remove(WebhookProcessor.MDC_EVENT_TYPE);
        }
    }

    /**
     * Runs events an {@link InboxWorker} claimed together for one transaction (its transaction batch
     * size is above one): the events with a transactional handler run in one transaction of the
     * {@link TransactionalStore}, each undone on its own when it fails, with one commit; the others
     * (and events that cannot run, are filtered, or used up their attempts) run one by one as
     * {@link #runClaimed} runs them. Every claim's lease is renewed until its turn comes.
     *
     * @throws VirtualMachineError when a handler threw one (recorded first)
     */
    @Override
    public void runClaimedTogether(List<EventRecord> records, int maxAttempts, IntFunction<Instant> nextAttempt,
            @Nullable CompletionGroups groups) {
        List<ClaimToken> claims = records.stream().map(ClaimToken::of).toList();
        try (LeaseKeeper.Pending held = leaseKeeper.pending(claims)) {
            List<ClaimRunner.Claimed> together = new ArrayList<>();
            List<EventRecord> togetherRecords = new ArrayList<>();
            List<EventRecord> alone = new ArrayList<>();
            for (EventRecord record : records) {
                ClaimRunner.Claimed ready = readyForTransaction(record, maxAttempts);
                if (ready != null) {
                    together.add(ready);
                    togetherRecords.add(record);
                } else {
                    alone.add(record);
                }
            }
            if (!together.isEmpty()) {
                List<ClaimRunner.@Nullable Recorded> recorded = runner.runBatch(together, maxAttempts, nextAttempt);
                for (int i = 0; i < togetherRecords.size(); i++) {
                    ClaimRunner.Recorded one = recorded.get(i);
                    if (one != null) {
                        EventRecord record = togetherRecords.get(i);
                        MDC.put(WebhookProcessor.MDC_EVENT_ID, record.id());
                        MDC.put(WebhookProcessor.MDC_EVENT_TYPE, record.type());
                        try {
                            logRecorded(record, one);
                        } finally {
                            MDC.remove(WebhookProcessor.MDC_EVENT_ID);
                            MDC.remove(WebhookProcessor.MDC_EVENT_TYPE);
                        }
                    }
                }
            }
            for (EventRecord record : alone) {
                held.drop(ClaimToken.of(record));
                runClaimed(record, maxAttempts, nextAttempt, groups);
            }
        }
    }

    /** The claimed event as a member of a transaction batch, or null when it is to run alone (see {@link #runClaimedTogether}). */
    private ClaimRunner.@Nullable Claimed readyForTransaction(EventRecord record, int maxAttempts) {
        byte[] payload = record.payload();
        ClaimToken claim = ClaimToken.of(record);
        if (payload == null || claim.attempt() > maxAttempts) {
            return null;
        }
        List<WebhookHandler> matching = handlers.handlersFor(record.type());
        if (!HandlerRegistry.anyTransactional(matching)) {
            return null;
        }
        EventEnvelope envelope;
        try {
            envelope = EventEnvelope.parse(payload);
        } catch (MalformedEventException e) {
            return null;
        }
        if (filter.rejection(envelope).isPresent()) {
            return null;
        }
        return new ClaimRunner.Claimed(claim, envelope, record.source(), matching);
    }

    private static void logRecorded(EventRecord record, ClaimRunner.Recorded recorded) {
        log.info("{} {} attempt {} -> {}{}", record.id(), record.type(), record.attempts(), recorded.outcome().code(),
                recorded.dead() ? " (dead)" : "");
    }
}
