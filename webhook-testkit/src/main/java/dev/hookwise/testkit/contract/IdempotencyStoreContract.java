package dev.hookwise.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventArguments;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.UpdateResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The {@link IdempotencyStore} contract as tests. Extend it, return a fresh, empty store that
 * reads time from the given clock, and every test below runs against your implementation.
 *
 * <pre>{@code
 * class MyStoreTest extends IdempotencyStoreContract {
 *     @Override
 *     protected IdempotencyStore createStore(MutableClock clock) {
 *         return new MyStore(dataSource, clock);
 *     }
 * }
 * }</pre>
 *
 * <p>The completion tests ({@code complete}, {@code completeAll} and their fencing) are inherited from
 * {@link CompletionContract}.
 *
 * <p>Event ids are unique per test instance (a random suffix), so a store whose table is shared by
 * the tests of one class also works.
 */
public abstract class IdempotencyStoreContract extends CompletionContract {

    @Test
    void firstClaimIsClaimedAsAttemptOne() {
        ClaimResult result = store.claim(event(id("first")), "owner-a", LEASE);

        assertThat(result.status()).isEqualTo(ClaimResult.Status.CLAIMED);
        assertThat(result.attempt()).isEqualTo(1);
        EventRecord row = store.find(id("first")).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.PROCESSING);
        assertThat(row.owner()).isEqualTo("owner-a");
        assertThat(row.leaseUntil()).isEqualTo(START.plus(LEASE));
        assertThat(row.receivedAt()).isEqualTo(START);
        assertThat(row.attempts()).isEqualTo(1);
    }

    @Test
    void recordsEveryEventFieldOnClaim() {
        String id = id("fields");
        NewEvent e = new NewEvent(id, "invoice.payment_failed", Instant.parse("2026-02-27T08:15:30Z"), true,
                "2024-06-20", "acct_123", EventSource.RECOVERY, "{\"x\":\"ü\"}".getBytes(StandardCharsets.UTF_8));

        store.claim(e, "owner-a", LEASE);

        EventRecord row = store.find(id).orElseThrow();
        assertThat(row.type()).isEqualTo("invoice.payment_failed");
        assertThat(row.created()).isEqualTo(Instant.parse("2026-02-27T08:15:30Z"));
        assertThat(row.livemode()).isTrue();
        assertThat(row.apiVersion()).isEqualTo("2024-06-20");
        assertThat(row.account()).isEqualTo("acct_123");
        assertThat(row.source()).isEqualTo(EventSource.RECOVERY);
        assertThat(row.payload()).isEqualTo("{\"x\":\"ü\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void storesEventWithoutPayloadWhenNoneGiven() {
        String id = id("nopayload");
        store.claim(event(id).withoutPayload(), "owner-a", LEASE);

        assertThat(store.find(id).orElseThrow().payload()).isNull();
    }

    @Test
    void overLongIdIsRefusedBeforeAnythingIsRecorded() {
        String id = id("long") + "x".repeat(EventArguments.MAX_KEY_LENGTH);

        assertThatThrownBy(() -> store.claim(event(id), "owner-a", LEASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event id is " + id.length() + " characters, more than the 255");
        assertThatThrownBy(() -> store.recordFinal(event(id), EventStatus.IGNORED, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void createdTimeOutsideTheStorableYearsIsRefused() {
        String id = id("year");
        NewEvent e = new NewEvent(id, "invoice.paid", Instant.parse("+10000-01-01T00:00:00Z"), false, null, null,
                EventSource.WEBHOOK, null);

        assertThatThrownBy(() -> store.claim(e, "owner-a", LEASE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("years 1000 to 9999");
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void ownerWithANulCharacterOrNonPositiveLeaseIsRefused() {
        String id = id("nul");

        assertThatThrownBy(() -> store.claim(event(id), "owner\0a", LEASE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner contains a NUL character");
        assertThatThrownBy(() -> store.claim(event(id), "owner-a", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("leaseDuration must be positive, but was PT0S");
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void claimWhileLeaseHeldIsInProgress() {
        store.claim(event(id("held")), "owner-a", LEASE);
        clock.advance(LEASE.minusSeconds(1));

        ClaimResult second = store.claim(event(id("held")), "owner-b", LEASE);

        assertThat(second.status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
        assertThat(store.find(id("held")).orElseThrow().owner()).isEqualTo("owner-a");
    }

    @Test
    void completedEventIsAlreadyCompleted() {
        store.claim(event(id("done")), "owner-a", LEASE);
        clock.advance(Duration.ofMillis(250));
        assertThat(store.complete(new ClaimToken(id("done"), "owner-a", 1), Duration.ofMillis(250))).isEqualTo(UpdateResult.APPLIED);

        ClaimResult again = store.claim(event(id("done")), "owner-b", LEASE);

        assertThat(again.status()).isEqualTo(ClaimResult.Status.ALREADY_COMPLETED);
        EventRecord row = store.find(id("done")).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(row.completedAt()).isEqualTo(START.plusMillis(250));
        assertThat(row.processingTime()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void completedEventStaysCompletedAfterLeaseWouldHaveExpired() {
        store.claim(event(id("stays")), "owner-a", LEASE);
        store.complete(new ClaimToken(id("stays"), "owner-a", 1), Duration.ofMillis(5));
        clock.advance(LEASE.multipliedBy(3));

        assertThat(store.claim(event(id("stays")), "owner-b", LEASE).status())
                .isEqualTo(ClaimResult.Status.ALREADY_COMPLETED);
    }

    @Test
    void expiredLeaseIsTakenOverAsNextAttempt() {
        store.claim(event(id("crash")), "owner-a", LEASE);
        clock.advance(LEASE.plusSeconds(1));

        ClaimResult takeover = store.claim(event(id("crash")), "owner-b", LEASE);

        assertThat(takeover.status()).isEqualTo(ClaimResult.Status.CLAIMED);
        assertThat(takeover.attempt()).isEqualTo(2);
        assertThat(store.find(id("crash")).orElseThrow().owner()).isEqualTo("owner-b");
    }

    @Test
    void heartbeatKeepsALiveClaimFromBeingTakenOver() {
        store.claim(event(id("beat-1")), "owner-a", LEASE);
        store.claim(event(id("beat-2")), "owner-a", LEASE);
        ClaimToken first = new ClaimToken(id("beat-1"), "owner-a", 1);
        ClaimToken second = new ClaimToken(id("beat-2"), "owner-a", 1);
        for (int i = 0; i < 6; i++) { // three leases long, renewed every half lease
            clock.advance(LEASE.dividedBy(2));
            assertThat(store.heartbeat(List.of(first, second), LEASE)).isEqualTo(2);
            assertThat(store.claim(event(id("beat-1")), "owner-b", LEASE).status())
                    .isEqualTo(ClaimResult.Status.IN_PROGRESS);
        }
        assertThat(store.find(id("beat-1")).orElseThrow().leaseUntil()).isEqualTo(clock.instant().plus(LEASE));

        assertThat(store.complete(first, Duration.ofMillis(1))).isEqualTo(UpdateResult.APPLIED);
        assertThat(store.heartbeat(List.of(first, second), LEASE)).as("a completed claim is not renewed").isEqualTo(1);
        assertThat(store.find(id("beat-1")).orElseThrow().leaseUntil()).isNull();
        assertThat(store.heartbeat(List.of(), LEASE)).isZero();
    }

    @Test
    void renewSaysWhichLeasesItExtendedAndSkipsTakenOverOrFinishedClaims() {
        store.claim(event(id("renew-held")), "owner-a", LEASE);
        store.claim(event(id("renew-done")), "owner-a", LEASE);
        store.claim(event(id("renew-lost")), "owner-a", LEASE);
        ClaimToken held = new ClaimToken(id("renew-held"), "owner-a", 1);
        ClaimToken done = new ClaimToken(id("renew-done"), "owner-a", 1);
        ClaimToken lost = new ClaimToken(id("renew-lost"), "owner-a", 1);
        assertThat(store.complete(done, Duration.ofMillis(1))).isEqualTo(UpdateResult.APPLIED);
        clock.advance(LEASE.plusSeconds(1));
        assertThat(store.claim(event(id("renew-lost")), "owner-b", LEASE).status()).isEqualTo(ClaimResult.Status.CLAIMED);
        ClaimToken stranger = new ClaimToken(id("renew-unknown"), "owner-a", 1);

        assertThat(store.renew(List.of(held, done, lost, stranger), LEASE)).containsExactly(held);

        assertThat(store.find(id("renew-held")).orElseThrow().leaseUntil()).isEqualTo(clock.instant().plus(LEASE));
        assertThat(store.claim(event(id("renew-held")), "owner-b", LEASE).status())
                .as("a renewed claim is not taken over").isEqualTo(ClaimResult.Status.IN_PROGRESS);
        assertThat(store.find(id("renew-lost")).orElseThrow().owner()).as("the newer claim is untouched").isEqualTo("owner-b");
        assertThat(store.renew(List.of(), LEASE)).isEmpty();
    }

    @Test
    void claimWithoutHeartbeatIsTakenOverWhenItsLeaseEnds() {
        store.claim(event(id("silent")), "owner-a", LEASE);
        clock.advance(LEASE.dividedBy(2));
        store.heartbeat(List.of(new ClaimToken(id("silent"), "owner-a", 1)), LEASE);
        clock.advance(LEASE); // the owner stopped renewing half a lease ago … and a lease passed

        ClaimResult takeover = store.claim(event(id("silent")), "owner-b", LEASE);
        assertThat(takeover.status()).isEqualTo(ClaimResult.Status.CLAIMED);
        assertThat(takeover.attempt()).isEqualTo(2);
    }

    @Test
    void ignoredVerdictIsFinal() {
        store.claim(event(id("ign")), "owner-a", LEASE);
        assertThat(store.markIgnored(new ClaimToken(id("ign"), "owner-a", 1), "ignored_livemode"))
                .isEqualTo(UpdateResult.APPLIED);

        EventRecord row = store.find(id("ign")).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.IGNORED);
        assertThat(row.lastError()).isEqualTo("ignored_livemode");
        assertThat(row.completedAt()).isEqualTo(START);
        assertThat(store.claim(event(id("ign")), "owner-b", LEASE).status()).isEqualTo(ClaimResult.Status.ALREADY_COMPLETED);
    }

    @Test
    void claimForReplayTakesReplayableStatusesStraightToProcessing() {
        store.claim(event(id("rp-dead")), "owner-a", LEASE);
        store.markDead(new ClaimToken(id("rp-dead"), "owner-a", 1), "bug");
        store.recordFinal(event(id("rp-stale")), EventStatus.SKIPPED_STALE, "stale");
        store.recordFinal(event(id("rp-ignored")), EventStatus.IGNORED, "unhandled_type");
        store.claim(event(id("rp-failed")), "owner-a", LEASE);
        store.retryAt(new ClaimToken(id("rp-failed"), "owner-a", 1), "timeout", START.plus(Duration.ofHours(1)));
        clock.advance(Duration.ofSeconds(1));

        for (String name : List.of("rp-dead", "rp-stale", "rp-ignored", "rp-failed")) {
            EventRecord claimed = store.claimForReplay(id(name), "replayer", LEASE, EventSource.REPLAY).orElseThrow();
            assertThat(claimed.status()).as(name).isEqualTo(EventStatus.PROCESSING);
            assertThat(claimed.attempts()).as(name).isEqualTo(1);
            assertThat(claimed.owner()).as(name).isEqualTo("replayer");
            assertThat(claimed.source()).as(name).isEqualTo(EventSource.REPLAY);
            assertThat(claimed.leaseUntil()).as(name).isEqualTo(clock.instant().plus(LEASE));
            assertThat(store.complete(ClaimToken.of(claimed), Duration.ofMillis(1))).as(name).isEqualTo(UpdateResult.APPLIED);
        }
    }

    @Test
    void claimForReplayLeavesOtherEventsExactlyAsTheyWere() {
        store.claim(event(id("rp-done")), "owner-a", LEASE);
        store.complete(new ClaimToken(id("rp-done"), "owner-a", 1), Duration.ofMillis(1));
        store.claim(event(id("rp-running")), "owner-a", LEASE);
        EventRecord done = store.find(id("rp-done")).orElseThrow();
        EventRecord running = store.find(id("rp-running")).orElseThrow();

        assertThat(store.claimForReplay(id("rp-done"), "replayer", LEASE, EventSource.REPLAY)).isEmpty();
        assertThat(store.claimForReplay(id("rp-running"), "replayer", LEASE, EventSource.REPLAY)).isEmpty();
        assertThat(store.claimForReplay(id("rp-unknown"), "replayer", LEASE, EventSource.REPLAY)).isEmpty();

        assertThat(store.find(id("rp-done")).orElseThrow()).isEqualTo(done);
        assertThat(store.find(id("rp-running")).orElseThrow()).isEqualTo(running);
        assertThat(store.find(id("rp-unknown"))).isEmpty();

        clock.advance(LEASE.plusSeconds(1)); // the running claim's owner died without a verdict
        assertThat(store.claimForReplay(id("rp-running"), "replayer", LEASE, EventSource.REPLAY)).isPresent();
    }

    @Test
    void retryableFailureIsClaimableFromItsNextAttemptTime() {
        store.claim(event(id("retry")), "owner-a", LEASE);
        Instant next = START.plusSeconds(60);
        assertThat(store.retryAt(new ClaimToken(id("retry"), "owner-a", 1), "timeout", next)).isEqualTo(UpdateResult.APPLIED);

        ClaimResult early = store.claim(event(id("retry")), "owner-b", LEASE);
        assertThat(early.status()).isEqualTo(ClaimResult.Status.RETRY_LATER);
        assertThat(early.retryAt()).isEqualTo(next);

        clock.set(next);
        ClaimResult due = store.claim(event(id("retry")), "owner-b", LEASE);
        assertThat(due.status()).isEqualTo(ClaimResult.Status.CLAIMED);
        assertThat(due.attempt()).isEqualTo(2);
        EventRecord row = store.find(id("retry")).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.PROCESSING);
        assertThat(row.lastError()).isEqualTo("timeout");
    }

    @Test
    void failedEventRecordsErrorAndNextAttempt() {
        store.claim(event(id("failrow")), "owner-a", LEASE);
        store.retryAt(new ClaimToken(id("failrow"), "owner-a", 1), "java.io.IOException: reset", START.plusSeconds(30));

        EventRecord row = store.find(id("failrow")).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.FAILED);
        assertThat(row.lastError()).isEqualTo("java.io.IOException: reset");
        assertThat(row.nextAttemptAt()).isEqualTo(START.plusSeconds(30));
    }

    @Test
    void permanentFailureIsDeadAndNotClaimedAgain() {
        store.claim(event(id("dead")), "owner-a", LEASE);
        store.markDead(new ClaimToken(id("dead"), "owner-a", 1), "no such order");
        clock.advance(Duration.ofDays(1));

        assertThat(store.claim(event(id("dead")), "owner-b", LEASE).status())
                .isEqualTo(ClaimResult.Status.ALREADY_COMPLETED);
        EventRecord row = store.find(id("dead")).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.DEAD);
        assertThat(row.lastError()).isEqualTo("no such order");
    }

    @Test
    void longErrorIsTruncatedNotRejected() {
        store.claim(event(id("longerr")), "owner-a", LEASE);
        String error = "x".repeat(10 * 1024);

        assertThat(store.retryAt(new ClaimToken(id("longerr"), "owner-a", 1), error, START)).isEqualTo(UpdateResult.APPLIED);

        String stored = store.find(id("longerr")).orElseThrow().lastError();
        assertThat(stored).isNotNull().startsWith("xxxx");
        assertThat(stored.length()).isLessThan(error.length());
    }

    @Test
    void recordFinalInsertsOnceAndBlocksClaims() {
        String id = id("ignored");

        assertThat(store.recordFinal(event(id), EventStatus.IGNORED, "unhandled_type")).isTrue();
        assertThat(store.recordFinal(event(id), EventStatus.IGNORED, "unhandled_type")).isFalse();

        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.IGNORED);
        assertThat(store.claim(event(id), "owner-a", LEASE).status()).isEqualTo(ClaimResult.Status.ALREADY_COMPLETED);
    }

    @Test
    void recordFinalDoesNotTouchAKnownEvent() {
        String id = id("known");
        store.claim(event(id), "owner-a", LEASE);

        assertThat(store.recordFinal(event(id), EventStatus.SKIPPED_STALE, "stale")).isFalse();
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.PROCESSING);
    }

    @Test
    void skippedStaleEventIsRecordedAsSuch() {
        String id = id("stale");
        store.recordFinal(event(id), EventStatus.SKIPPED_STALE, "older than 73h");

        EventRecord row = store.find(id).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.SKIPPED_STALE);
        assertThat(row.receivedAt()).isEqualTo(START);
    }

    @Test
    void findOfUnknownEventIsEmpty() {
        assertThat(store.find(id("nothing"))).isEmpty();
    }

    @Test
    void searchFiltersByStatusTypeTimeAndError() {
        // Types carry this run's namespace, so rows of other tests in a shared table never interfere.
        String ns = "t" + run + ".";
        NewEvent a = new NewEvent(id("s-a"), ns + "invoice.paid", START.minusSeconds(300), false, null, null,
                EventSource.WEBHOOK, null);
        NewEvent b = new NewEvent(id("s-b"), ns + "invoice.payment_failed", START.minusSeconds(200), false, null, null,
                EventSource.WEBHOOK, null);
        NewEvent c = new NewEvent(id("s-c"), ns + "charge.refunded", START.minusSeconds(100), false, null, null,
                EventSource.WEBHOOK, null);
        store.claim(a, "o", LEASE);
        store.complete(new ClaimToken(a.id(), "o", 1), Duration.ofMillis(1));
        store.claim(b, "o", LEASE);
        store.markDead(new ClaimToken(b.id(), "o", 1), "card_declined upstream " + run);
        store.claim(c, "o", LEASE);
        store.retryAt(new ClaimToken(c.id(), "o", 1), "timeout", START.plusSeconds(5));

        assertThat(ids(EventQuery.builder().statuses(EventStatus.DEAD, EventStatus.FAILED).typePrefix(ns).build()))
                .containsExactly(b.id(), c.id());
        assertThat(ids(EventQuery.builder().typePrefix(ns + "invoice.").build())).containsExactly(a.id(), b.id());
        assertThat(ids(EventQuery.builder().type(ns + "charge.refunded").build())).containsExactly(c.id());
        assertThat(ids(EventQuery.builder().typePrefix(ns).createdFrom(START.minusSeconds(200))
                .createdTo(START.minusSeconds(100)).build())).containsExactly(b.id());
        assertThat(ids(EventQuery.builder().errorContains("declined upstream " + run).build())).containsExactly(b.id());
        assertThat(ids(EventQuery.builder().typePrefix(ns + "invoice.").limit(1).offset(1).build())).containsExactly(b.id());
    }

    @Test
    void searchPagesByKeysetInCreatedThenIdOrder() {
        // Seven events over three created times, two of them sharing one, so ties go by id.
        String ns = "k" + run + ".";
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            NewEvent e = new NewEvent(id("k-" + (char) ('g' - i)), ns + "invoice.paid", START.minusSeconds(300 - 100L * (i / 3)),
                    false, null, null, EventSource.WEBHOOK, null);
            store.claim(e, "o", LEASE);
            store.complete(new ClaimToken(e.id(), "o", 1), Duration.ofMillis(1));
        }
        EventQuery all = EventQuery.builder().typePrefix(ns).limit(100).build();
        expected.addAll(ids(all));
        assertThat(expected).hasSize(7);

        List<String> paged = new java.util.ArrayList<>();
        EventQuery page = all.withPage(2, 0);
        while (true) {
            List<EventRecord> rows = store.search(page);
            rows.forEach(r -> paged.add(r.id()));
            if (rows.size() < 2) {
                break;
            }
            page = all.withPageAfter(2, rows.get(rows.size() - 1));
        }

        assertThat(paged).containsExactlyElementsOf(expected);
        EventRecord second = store.find(expected.get(1)).orElseThrow(); // inside the tie of three
        assertThat(ids(EventQuery.builder().typePrefix(ns).after(second.created(), second.id()).limit(3).build()))
                .containsExactlyElementsOf(expected.subList(2, 5));
    }

    private List<String> ids(EventQuery query) {
        // Restrict to this test's events, in case the store is shared.
        return store.search(query).stream().map(EventRecord::id).filter(i -> i.endsWith(run)).toList();
    }

    @Test
    void concurrentClaimsOfOneEventHaveExactlyOneWinner() throws Exception {
        String id = id("race");
        List<ClaimResult> results = race(concurrency(), i -> store.claim(event(id), "owner-" + i, LEASE));

        assertThat(results).filteredOn(ClaimResult::isClaimed).hasSize(1);
        assertThat(results).filteredOn(r -> !r.isClaimed())
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(ClaimResult.Status.IN_PROGRESS));
    }

    @Test
    void concurrentTakeoversOfAnExpiredLeaseHaveExactlyOneWinner() throws Exception {
        String id = id("takeover-race");
        store.claim(event(id), "crashed", LEASE);
        clock.advance(LEASE.plusSeconds(1));

        List<ClaimResult> results = race(concurrency(), i -> store.claim(event(id), "owner-" + i, LEASE));

        assertThat(results).filteredOn(ClaimResult::isClaimed).hasSize(1)
                .allSatisfy(r -> assertThat(r.attempt()).isEqualTo(2));
        assertThat(store.find(id).orElseThrow().owner()).isNotEqualTo("crashed");
    }

    @Test
    @SuppressWarnings("NullAway") // the task has no result (null); Race.Task's T may be nullable, as outside JSpecify mode NullAway cannot see
    void concurrentClaimsOfManyEventsClaimEachOnce() throws Exception {
        int events = 200;
        Map<String, AtomicInteger> wins = new ConcurrentHashMap<>();
        race(Math.min(concurrency(), 8), worker -> {
            for (int e = 0; e < events; e++) {
                String id = id("many-" + e);
                if (store.claim(event(id), "w" + worker, LEASE).isClaimed()) {
                    wins.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    store.complete(new ClaimToken(id, "w" + worker, 1), Duration.ofMillis(1));
                }
            }
            return null;
        });

        assertThat(wins).hasSize(events);
        assertThat(wins.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
    }

    /** Runs {@code task} on {@code threads} threads released together; returns results in thread order. */
    protected <T> List<T> race(int threads, Race.Task<T> task) throws Exception {
        return Race.run(threads, task);
    }
}
