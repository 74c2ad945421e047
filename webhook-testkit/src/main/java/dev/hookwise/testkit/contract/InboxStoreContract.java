package dev.hookwise.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.UpdateResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@link InboxStore} contract: {@code enqueue}, {@code claimDue},
 * {@code release}, {@code purge} and {@code backlog}, which asynchronous mode, the inbox worker
 * and retention need. Extend it like {@link IdempotencyStoreContract}; the store must be empty at
 * the start of each test (backlog and purge count every row).
 */
public abstract class InboxStoreContract extends EventStoreContractSupport<InboxStore> {

    /** Workers racing in the concurrency test; lower it for stores with few connections. */
    @Override
    protected int concurrency() {
        return 8;
    }

    /**
     * Whether the store keeps {@link NewEvent#traceContext()} (default true). A store that does not
     * may return false: asynchronous mode then works, only the worker's run does not continue the
     * delivery's trace.
     *
     * @since 0.2.0
     */
    protected boolean keepsTraceContext() {
        return true;
    }

    /**
     * Finished events written before the few due ones in
     * {@link #claimDueFindsTheFewDueEventsAmongManyFinishedOnesInDueOrder()}; raise it for a store
     * that should show the log's size does not matter (the in-memory store's test uses 20,000).
     */
    protected int finishedEventsInALongLog() {
        return 300;
    }

    protected NewEvent event(String id) {
        return new NewEvent(id, "invoice.paid", START.minusSeconds(60), false, null, null, EventSource.WEBHOOK,
                ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void enqueueInsertsAQueuedEventOnce() {
        assertThat(store.enqueue(event(id("q")))).isTrue();
        assertThat(store.enqueue(event(id("q")))).isFalse();

        EventRecord row = store.find(id("q")).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.QUEUED);
        assertThat(row.attempts()).isZero();
        assertThat(row.receivedAt()).isEqualTo(START);
        assertThat(row.payload()).isEqualTo(event(id("q")).payload());
    }

    @Test
    void enqueueKeepsTheTraceContextThroughClaimsAndRetries() {
        Assumptions.assumeTrue(keepsTraceContext(), "the store does not keep trace contexts");
        String traced = "traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\n"
                + "tracestate=congo=t61rcWkgMzE";
        String longest = "baggage=" + "x".repeat(NewEvent.MAX_TRACE_CONTEXT_LENGTH - "baggage=".length());
        store.enqueue(event(id("traced")).withTraceContext(traced));
        clock.advance(Duration.ofSeconds(1));
        store.enqueue(event(id("longest")).withTraceContext(longest));
        clock.advance(Duration.ofSeconds(1));
        store.enqueue(event(id("untraced")));

        assertThat(store.find(id("traced")).orElseThrow().traceContext()).isEqualTo(traced);
        List<EventRecord> batch = store.claimDue("worker-1", LEASE, 10);
        assertThat(batch).extracting(EventRecord::traceContext).containsExactly(traced, longest, null);

        EventRecord first = batch.get(0);
        store.retryAt(ClaimToken.of(first), "ledger unavailable", clock.instant().plusSeconds(30));
        clock.advance(Duration.ofMinutes(1));
        List<EventRecord> retry = store.claimDue("worker-2", LEASE, 10);
        assertThat(retry).extracting(EventRecord::id).containsExactly(id("traced"));
        assertThat(retry.get(0).traceContext()).as("kept for every attempt").isEqualTo(traced);
    }

    @Test
    void enqueueDoesNotTouchAKnownEvent() {
        store.claim(event(id("known")), "owner-a", LEASE);
        assertThat(store.enqueue(event(id("known")))).isFalse();
        assertThat(store.find(id("known")).orElseThrow().status()).isEqualTo(EventStatus.PROCESSING);
    }

    @Test
    void claimDueTakesQueuedEventsOldestFirstUpToTheLimit() {
        for (int i = 0; i < 5; i++) {
            store.enqueue(event(id("order-" + i)));
            clock.advance(Duration.ofSeconds(1));
        }

        List<EventRecord> batch = store.claimDue("worker-1", LEASE, 3);

        assertThat(batch).extracting(EventRecord::id).containsExactly(id("order-0"), id("order-1"), id("order-2"));
        assertThat(batch).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(EventStatus.PROCESSING);
            assertThat(r.owner()).isEqualTo("worker-1");
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.leaseUntil()).isEqualTo(clock.instant().plus(LEASE));
            assertThat(r.payload()).isNotNull();
        });
        assertThat(store.claimDue("worker-2", LEASE, 10)).extracting(EventRecord::id)
                .containsExactly(id("order-3"), id("order-4"));
        assertThat(store.claimDue("worker-3", LEASE, 10)).isEmpty();
    }

    @Test
    void claimDueTakesDueFailuresAndExpiredLeasesButNothingFinal() {
        store.enqueue(event(id("later")));
        store.claimDue("w", LEASE, 1);
        store.retryAt(new ClaimToken(id("later"), "w", 1), "timeout", START.plusSeconds(60));
        store.enqueue(event(id("crashed")));
        store.claimDue("crashed-worker", LEASE, 1);
        store.enqueue(event(id("done")));
        store.claimDue("w", LEASE, 1);
        store.complete(new ClaimToken(id("done"), "w", 1), Duration.ofMillis(1));
        store.enqueue(event(id("dead")));
        store.claimDue("w", LEASE, 1);
        store.markDead(new ClaimToken(id("dead"), "w", 1), "bug");
        store.recordFinal(event(id("ignored")), EventStatus.IGNORED, "unhandled_type");

        assertThat(store.claimDue("w2", LEASE, 10)).as("nothing due yet").isEmpty();

        clock.advance(Duration.ofSeconds(60));
        assertThat(store.claimDue("w2", LEASE, 10)).extracting(EventRecord::id).containsExactly(id("later"));

        clock.advance(LEASE);
        List<EventRecord> takeover = store.claimDue("w3", LEASE, 10);
        assertThat(takeover).extracting(EventRecord::id).contains(id("crashed"));
        assertThat(takeover).filteredOn(r -> r.id().equals(id("crashed"))).singleElement()
                .satisfies(r -> assertThat(r.attempts()).isEqualTo(2));
        assertThat(store.complete(new ClaimToken(id("crashed"), "crashed-worker", 1), Duration.ZERO)).isEqualTo(UpdateResult.LEASE_LOST);
    }

    @Test
    void claimDueFindsTheFewDueEventsAmongManyFinishedOnesInDueOrder() {
        // a log that is mostly history, in every final state
        int finished = finishedEventsInALongLog();
        for (int i = 0; i < finished; i++) {
            NewEvent e = event(id("history-" + i));
            switch (i % 10) {
                case 0 -> store.recordFinal(e, EventStatus.IGNORED, "unhandled_type");
                case 1 -> {
                    store.claim(e, "w", LEASE);
                    store.markDead(new ClaimToken(e.id(), "w", 1), "bug");
                }
                default -> {
                    store.claim(e, "w", LEASE);
                    store.complete(new ClaimToken(e.id(), "w", 1), Duration.ofMillis(1));
                }
            }
        }
        // the few that can be due, each due at a different time, set up out of order
        store.enqueue(event(id("crashed")));
        store.claimDue("crashed-worker", LEASE, 1); // lease ends at START + 5 min
        for (String[] retry : new String[][] {{"retry-late", "7"}, {"retry-soon", "2"}, {"retry-tomorrow", "1440"}}) {
            store.enqueue(event(id(retry[0])));
            store.claimDue("w", LEASE, 1);
            store.retryAt(new ClaimToken(id(retry[0]), "w", 1), "timeout",
                    START.plus(Duration.ofMinutes(Long.parseLong(retry[1]))));
        }
        clock.advance(Duration.ofMinutes(4));
        store.enqueue(event(id("queued"))); // due from START + 4 min
        clock.advance(Duration.ofMinutes(6));

        assertThat(store.claimDue("w2", LEASE, 3)).extracting(EventRecord::id)
                .containsExactly(id("retry-soon"), id("queued"), id("crashed"));
        assertThat(store.claimDue("w2", LEASE, 10)).extracting(EventRecord::id).containsExactly(id("retry-late"));
        assertThat(store.claimDue("w2", LEASE, 10)).as("retry-tomorrow is not due").isEmpty();
        assertThat(store.find(id("history-" + (finished - 1))).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
    }

    @Test
    @SuppressWarnings("NullAway") // the task has no result (null); Race.Task's T may be nullable, as outside JSpecify mode NullAway cannot see
    void concurrentWorkersNeverReceiveTheSameEvent() throws Exception {
        int events = 300;
        for (int i = 0; i < events; i++) {
            store.enqueue(event(id("race-" + i)));
        }
        Map<String, AtomicInteger> claims = new ConcurrentHashMap<>();
        Race.run(concurrency(), w -> {
            String owner = "worker-" + w;
            while (true) {
                List<EventRecord> batch = store.claimDue(owner, LEASE, 7);
                if (batch.isEmpty()) {
                    return null;
                }
                for (EventRecord r : batch) {
                    claims.computeIfAbsent(r.id(), k -> new AtomicInteger()).incrementAndGet();
                    assertThat(store.complete(ClaimToken.of(r), Duration.ofMillis(1))).isEqualTo(UpdateResult.APPLIED);
                }
            }
        });

        assertThat(claims).hasSize(events);
        assertThat(claims.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        assertThat(store.backlog().pending()).isZero();
    }

    @Test
    void releaseGivesTheEventBackWithoutCountingTheAttempt() {
        store.enqueue(event(id("rel")));
        store.claimDue("w", LEASE, 1);

        assertThat(store.release(new ClaimToken(id("rel"), "stranger", 1))).isEqualTo(UpdateResult.LEASE_LOST);
        assertThat(store.release(new ClaimToken(id("rel"), "w", 1))).isEqualTo(UpdateResult.APPLIED);

        EventRecord row = store.find(id("rel")).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.QUEUED);
        assertThat(row.attempts()).isZero();
        assertThat(store.claimDue("w2", LEASE, 1)).singleElement().satisfies(r -> assertThat(r.attempts()).isEqualTo(1));
    }

    @Test
    void claimOfAQueuedEventTakesIt() {
        store.enqueue(event(id("sync")));
        ClaimResult claim = store.claim(event(id("sync")), "request-1", LEASE);
        assertThat(claim.status()).isEqualTo(ClaimResult.Status.CLAIMED);
        assertThat(claim.attempt()).isEqualTo(1);
        assertThat(store.claimDue("w", LEASE, 10)).isEmpty();
    }

    @Test
    void resetForReplayMakesDeadEventClaimableAgain() {
        String id = id("replay-dead");
        store.claim(event(id), "owner-a", LEASE);
        store.markDead(new ClaimToken(id, "owner-a", 1), "bug");

        assertThat(store.resetForReplay(id, EventSource.REPLAY)).isTrue();

        ClaimResult claim = store.claim(event(id), "owner-b", LEASE);
        assertThat(claim.status()).isEqualTo(ClaimResult.Status.CLAIMED);
        assertThat(claim.attempt()).isEqualTo(1);
        assertThat(store.find(id).orElseThrow().source()).isEqualTo(EventSource.REPLAY);
    }

    @Test
    void resetForReplayLeavesCompletedAndUnknownEventsAlone() {
        String id = id("noreplay");
        store.claim(event(id), "owner-a", LEASE);
        store.complete(new ClaimToken(id, "owner-a", 1), Duration.ZERO);

        assertThat(store.resetForReplay(id, EventSource.REPLAY)).isFalse();
        assertThat(store.resetForReplay(id("unknown-replay"), EventSource.REPLAY)).isFalse();
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
    }

    @Test
    void resetForReplayQueuesADeadEventForTheWorkers() {
        store.enqueue(event(id("replay")));
        store.claimDue("w", LEASE, 1);
        store.markDead(new ClaimToken(id("replay"), "w", 1), "bug");

        assertThat(store.resetForReplay(id("replay"), EventSource.REPLAY)).isTrue();

        assertThat(store.claimDue("w2", LEASE, 10)).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(id("replay"));
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.source()).isEqualTo(EventSource.REPLAY);
        });
    }

    @Test
    void purgeDeletesOnlyOldCompletedAndIgnoredEventsInBatches() {
        for (int i = 0; i < 3; i++) {
            store.enqueue(event(id("old-done-" + i)));
        }
        for (EventRecord r : store.claimDue("w", LEASE, 10)) {
            store.complete(ClaimToken.of(r), Duration.ofMillis(1));
        }
        store.recordFinal(event(id("old-ignored")), EventStatus.IGNORED, "unhandled_type");
        store.recordFinal(event(id("old-stale")), EventStatus.SKIPPED_STALE, "stale");
        store.enqueue(event(id("old-dead")));
        store.claimDue("w", LEASE, 1);
        store.markDead(new ClaimToken(id("old-dead"), "w", 1), "bug");
        store.enqueue(event(id("old-queued")));
        clock.advance(Duration.ofDays(91));
        store.enqueue(event(id("new-done")));
        store.claimDue("w", LEASE, 10).forEach(r -> store.complete(ClaimToken.of(r), Duration.ofMillis(1)));
        Instant cutoff = clock.instant().minus(Duration.ofDays(90));

        assertThat(store.purge(cutoff, 2)).isEqualTo(2);
        assertThat(store.purge(cutoff, 2)).isEqualTo(2);
        assertThat(store.purge(cutoff, 2)).isZero();

        assertThat(store.find(id("old-ignored"))).isEmpty();
        assertThat(store.find(id("old-done-0"))).isEmpty();
        assertThat(store.find(id("old-stale"))).isPresent();
        assertThat(store.find(id("old-dead"))).isPresent();
        assertThat(store.find(id("new-done"))).isPresent();
    }

    @Test
    void backlogCountsPendingAndProcessingAndFindsTheOldest() {
        assertThat(store.backlog().pending()).isZero();
        assertThat(store.backlog().oldestPendingReceivedAt()).isNull();

        store.enqueue(event(id("b1")));
        clock.advance(Duration.ofSeconds(10));
        store.enqueue(event(id("b2")));
        store.enqueue(event(id("b3")));
        store.claimDue("w", LEASE, 1);
        clock.advance(Duration.ofSeconds(5));

        Backlog backlog = store.backlog();
        assertThat(backlog.pending()).isEqualTo(2);
        assertThat(backlog.processing()).isEqualTo(1);
        assertThat(backlog.oldestPendingReceivedAt()).isEqualTo(START.plusSeconds(10));
        assertThat(backlog.oldestPendingAge(clock.instant())).isEqualTo(Duration.ofSeconds(5));
    }
}
