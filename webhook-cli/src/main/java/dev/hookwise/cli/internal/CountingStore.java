package dev.hookwise.cli.internal;

import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.UpdateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The event log seen through a progress line: every page {@link #search} reads is counted, so
 * the core's reports and checks (which page through the log themselves) show progress without
 * knowing about it. Every other call goes straight to the store.
 */
public final class CountingStore implements IdempotencyStore {
    private final IdempotencyStore store;
    private final Progress progress;
    private long read;

    public CountingStore(IdempotencyStore store, Progress progress) {
        this.store = store;
        this.progress = progress;
    }

    @Override
    public List<EventRecord> search(EventQuery query) {
        List<EventRecord> rows = store.search(query);
        read += rows.size();
        progress.update(read, "events read");
        return rows;
    }

    @Override
    public ClaimResult claim(NewEvent event, String owner, Duration leaseDuration) {
        return store.claim(event, owner, leaseDuration);
    }

    @Override
    public Optional<EventRecord> claimForReplay(String eventId, String owner, Duration leaseDuration, EventSource source) {
        return store.claimForReplay(eventId, owner, leaseDuration, source);
    }

    @Override
    public UpdateResult complete(ClaimToken claim, Duration processingTime) {
        return store.complete(claim, processingTime);
    }

    @Override
    public UpdateResult retryAt(ClaimToken claim, String error, Instant nextAttemptAt) {
        return store.retryAt(claim, error, nextAttemptAt);
    }

    @Override
    public UpdateResult markDead(ClaimToken claim, String error) {
        return store.markDead(claim, error);
    }

    @Override
    public UpdateResult markIgnored(ClaimToken claim, String reason) {
        return store.markIgnored(claim, reason);
    }

    @Override
    public int heartbeat(Collection<ClaimToken> claims, Duration leaseDuration) {
        return store.heartbeat(claims, leaseDuration);
    }

    @Override
    public boolean recordFinal(NewEvent event, EventStatus status, String reason) {
        return store.recordFinal(event, status, reason);
    }

    @Override
    public Optional<EventRecord> find(String eventId) {
        return store.find(eventId);
    }

    @Override
    public int purge(Instant finishedBefore, int limit) {
        return store.purge(finishedBefore, limit);
    }

    @Override
    public Backlog backlog() {
        return store.backlog();
    }
}
