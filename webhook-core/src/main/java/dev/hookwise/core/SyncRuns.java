package dev.hookwise.core;

import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.NewEvent;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The synchronous path of {@link WebhookProcessor}: claim the event, run its handlers in the
 * request (with in-process retry), and turn what was recorded into the answer of the diagram
 * (processed, retry_later, failed_transient, failed_permanent).
 */
final class SyncRuns {
    private final IdempotencyStore store;
    private final Duration leaseDuration;
    private final ClaimRunner runner;
    private final Retry retry;
    private final int maxAttempts;
    private final PipelineObservations observations;
    private final ClaimOwners owners;

    SyncRuns(IdempotencyStore store, Duration leaseDuration, ClaimRunner runner, Retry retry, int maxAttempts,
            PipelineObservations observations, ClaimOwners owners) {
        this.store = store;
        this.leaseDuration = leaseDuration;
        this.runner = runner;
        this.retry = retry;
        this.maxAttempts = maxAttempts;
        this.observations = observations;
        this.owners = owners;
    }

    /**
     * Claims a delivered event and runs it: duplicate, in progress or scheduled when the claim is
     * not won.
     */
    WebhookResponse claimAndRun(EventEnvelope envelope, NewEvent event, EventSource source,
            List<WebhookHandler> matching) {
        String owner = owners.next();
        ClaimResult claim = store.claim(event, owner, leaseDuration);
        return switch (claim.status()) {
            case ALREADY_COMPLETED -> WebhookResponse.of(Outcome.DUPLICATE, envelope.id());
            case IN_PROGRESS -> WebhookResponse.of(Outcome.IN_PROGRESS, envelope.id());
            case RETRY_LATER -> WebhookResponse.of(Outcome.SCHEDULED, envelope.id());
            case CLAIMED -> runSync(envelope, new ClaimToken(envelope.id(), owner, claim.attempt()), source, matching);
        };
    }

    /**
     * Claims a recorded event straight from its replayable status and runs it; {@code duplicate} when
     * it is not replayable (completed, queued, or held by a live claim).
     */
    WebhookResponse replayAndRun(EventEnvelope envelope, EventSource source, List<WebhookHandler> matching) {
        String owner = owners.next();
        Optional<EventRecord> claimed = store.claimForReplay(envelope.id(), owner, leaseDuration, source);
        if (claimed.isEmpty()) {
            return WebhookResponse.of(Outcome.DUPLICATE, envelope.id());
        }
        return runSync(envelope, ClaimToken.of(claimed.get()), source, matching);
    }

    private WebhookResponse runSync(EventEnvelope envelope, ClaimToken claim, EventSource source,
            List<WebhookHandler> matching) {
        PipelineObservations.Run process = observations.process(envelope.id(), envelope.type(), claim.attempt(), source,
                null, false);
        return PipelineObservations.observe(process, () -> runSyncObserved(envelope, claim, source, matching), WebhookResponse::outcome);
    }

    private WebhookResponse runSyncObserved(EventEnvelope envelope, ClaimToken claim, EventSource source,
            List<WebhookHandler> matching) {
        ClaimRunner.Recorded recorded = runner.run(claim, envelope, source, matching, retry, maxAttempts, runner.now(), null);
        String id = envelope.id();
        if (recorded.dead()) {
            // Recorded dead: acknowledged, kept for a replay; a redelivery would change nothing.
            return WebhookResponse.rejected(Outcome.FAILED_PERMANENT, id, "a handler failed permanently; recorded for replay");
        }
        return switch (recorded.outcome()) {
            case PROCESSED -> WebhookResponse.of(Outcome.PROCESSED, id);
            case RETRY_LATER -> WebhookResponse.rejected(Outcome.RETRY_LATER, id, "a prerequisite is missing; deliver again later");
            default -> WebhookResponse.rejected(Outcome.FAILED_TRANSIENT, id, "a handler failed; deliver again later");
        };
    }
}
