package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookListener;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.internal.CompletionGroups;
import dev.hookwise.core.internal.LeaseKeeper;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.jdbc.multi.SignedEvents;
import dev.hookwise.testkit.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The completion group commit of plain handlers (issue 16) on one database per subclass: many events
 * through a worker complete exactly once, and each counts as processed only once its group
 * committed; a lost claim inside a group completes nothing while the others commit; a group whose
 * commit fails leaves its events claimed, re-runnable after their leases, nothing lost.
 *
 * <p>Real threads; results awaited on latches (bounded, never slept for); lease expiry driven by a
 * {@link MutableClock}. Groups of a known make-up are formed by handing completions over before the
 * committer thread starts.
 */
abstract class GroupCommitTestBase {

    private static final Duration LEASE = Duration.ofMinutes(5); // no heartbeat round within a test

    private final String run = UUID.randomUUID().toString().substring(0, 6);

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Test
    void manyEventsThroughAGroupCommittingWorkerCompleteExactlyOnceAndOnlyThenCountAsProcessed() throws Exception {
        int events = 800;
        JdbcIdempotencyStore store = store(db().newPrefix("gc_many"), Clock.systemUTC());
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        WebhookHandler handler = ctx -> runs.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet();
        Processed processed = new Processed(events, store);
        WebhookProcessor processor = processor(store, Clock.systemUTC(), handler, processed);
        enqueue(store, events, Instant.now());

        try (InboxWorker worker = InboxWorker.builder(processor).threads(4).batchSize(50)
                .pollInterval(Duration.ofMillis(10)).build().start()) {
            assertThat(processed.all.await(5, TimeUnit.MINUTES)).as("every event reported processed").isTrue();
        }
        assertThat(processed.notYetCommitted).as("events reported processed before their completion committed").isEmpty();
        assertThat(processed.count).hasValue(events);
        assertThat(runs).hasSize(events);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(count("SELECT COUNT(*) FROM " + store.tableName() + " WHERE status = 'COMPLETED' AND attempts = 1"
                + " AND owner IS NOT NULL AND lease_until IS NULL")).isEqualTo(events);
        assertThat(store.backlog().pending()).isZero();
    }

    @Test
    void aLostClaimInsideAGroupIsNotCompletedWhileTheOthersAre() throws Exception {
        Claimed batch = claimedByWorkerA("gc_lost", 4);
        assertThat(batch.records()).hasSize(4);
        String lostId = batch.ids().get(2);
        // Another worker took this event over after its lease ran out (as after a long pause).
        assertThat(update("UPDATE " + batch.store().tableName() + " SET owner = 'intruder', attempts = attempts + 1 WHERE id = ?",
                lostId)).isEqualTo(1);

        Map<String, UpdateResult> reported = new ConcurrentHashMap<>();
        CountDownLatch allReported = new CountDownLatch(4);
        LeaseKeeper keeper = new LeaseKeeper(batch.store(), LEASE, null, r -> {}, batch.clock());
        CompletionGroups groups = new CompletionGroups(batch.store(), keeper, 64);
        for (EventRecord record : batch.records()) { // all handed over before the committer starts: one group
            assertThat(groups.submit(ClaimToken.of(record), Duration.ofMillis(2), result -> {
                reported.put(record.id(), result);
                allReported.countDown();
            })).isTrue();
        }
        assertThat(groups.waiting()).isEqualTo(4);
        groups.start();
        assertThat(allReported.await(1, TimeUnit.MINUTES)).isTrue();
        groups.close(Duration.ofMinutes(1));

        for (String id : batch.ids()) {
            EventRecord row = batch.store().find(id).orElseThrow();
            if (id.equals(lostId)) {
                assertThat(reported.get(id)).isEqualTo(UpdateResult.LEASE_LOST);
                assertThat(row.status()).as("the newer claim is untouched").isEqualTo(EventStatus.PROCESSING);
                assertThat(row.owner()).isEqualTo("intruder");
                assertThat(row.attempts()).isEqualTo(2);
            } else {
                assertThat(reported.get(id)).isEqualTo(UpdateResult.APPLIED);
                assertThat(row.status()).as(id).isEqualTo(EventStatus.COMPLETED);
                assertThat(row.processingTime()).isEqualTo(Duration.ofMillis(2));
            }
        }
    }

    @Test
    void aGroupWhoseCommitFailsLeavesItsEventsClaimedAndRunnableAgainAfterTheirLeases() throws Exception {
        Claimed batch = claimedByWorkerA("gc_fail", 3);
        AtomicInteger failedCalls = new AtomicInteger();
        IdempotencyStore down = failingCompleteAll(batch.store(), new AtomicBoolean(true), failedCalls);
        List<String> reported = new ArrayList<>();

        LeaseKeeper keeper = new LeaseKeeper(batch.store(), LEASE, null, r -> {}, batch.clock());
        CompletionGroups groups = new CompletionGroups(down, keeper, 64);
        for (EventRecord record : batch.records()) {
            assertThat(groups.submit(ClaimToken.of(record), Duration.ofMillis(1), result -> reported.add(record.id())))
                    .isTrue();
        }
        groups.start();
        groups.close(Duration.ofMinutes(1)); // returns once the committer has tried everything handed over

        assertThat(failedCalls).as("one group, one failed commit").hasValue(1);
        assertThat(reported).as("nothing counted done").isEmpty();
        for (String id : batch.ids()) {
            EventRecord row = batch.store().find(id).orElseThrow();
            assertThat(row.status()).as(id).isEqualTo(EventStatus.PROCESSING);
            assertThat(row.owner()).isEqualTo("worker-a");
        }
        assertThat(batch.store().claimDue("worker-b", LEASE, 10)).as("still leased: not taken yet").isEmpty();
        batch.clock().advance(LEASE.plusSeconds(1));
        List<EventRecord> again = batch.store().claimDue("worker-b", LEASE, 10);
        assertThat(again).extracting(EventRecord::id).containsExactlyInAnyOrderElementsOf(batch.ids());
        assertThat(again).allSatisfy(r -> assertThat(r.attempts()).isEqualTo(2));
    }

    @Test
    void eventsOfAFailedGroupCommitRunAgainThroughTheWorkerAndEveryEventEndsCompleted() throws Exception {
        int events = 12;
        MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        JdbcIdempotencyStore store = store(db().newPrefix("gc_rerun"), clock);
        AtomicBoolean failNext = new AtomicBoolean(true);
        AtomicInteger failedCalls = new AtomicInteger();
        Set<ClaimToken> failedTokens = ConcurrentHashMap.newKeySet();
        InboxStore flaky = (InboxStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {InboxStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("completeAll") && failNext.compareAndSet(true, false)) {
                        failedCalls.incrementAndGet();
                        for (Object c : (List<?>) args[0]) {
                            failedTokens.add(((IdempotencyStore.Completion) c).claim());
                        }
                        throw new StoreUnavailableException("test: the database went away during the group commit");
                    }
                    return invoke(store, method, args);
                });
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        WebhookHandler handler = ctx -> runs.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet();
        Processed processed = new Processed(events, store);
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(SignedEvents.SECRET).store(flaky)
                .handlers(HandlerRegistry.builder().onAny(handler).build()).mode(ProcessingMode.ASYNC).clock(clock)
                .leaseDuration(LEASE).listener(processed)
                .retryPolicy(dev.hookwise.core.policy.RetryPolicy.none()).build();
        List<String> ids = enqueue(store, events, clock.instant());

        try (InboxWorker worker = InboxWorker.builder(processor).threads(2).batchSize(20)
                .pollInterval(Duration.ofMillis(10)).build().start()) {
            processed.awaitCount(events - failedTokensOnceKnown(failedCalls, failedTokens));
            assertThat(failedTokens).isNotEmpty();
            for (ClaimToken t : failedTokens) {
                EventRecord row = store.find(t.eventId()).orElseThrow();
                assertThat(row.status()).as("%s: left claimed, not lost", t.eventId()).isEqualTo(EventStatus.PROCESSING);
                assertThat(row.owner()).isEqualTo(t.owner());
            }
            clock.advance(LEASE.plusSeconds(1)); // the failed group's leases, no longer renewed, run out
            assertThat(processed.all.await(2, TimeUnit.MINUTES)).as("every event processed in the end").isTrue();
        }
        assertThat(failedCalls).hasValue(1);
        assertThat(processed.notYetCommitted).isEmpty();
        for (String id : ids) {
            EventRecord row = store.find(id).orElseThrow();
            assertThat(row.status()).as(id).isEqualTo(EventStatus.COMPLETED);
            boolean failed = failedTokens.stream().anyMatch(t -> t.eventId().equals(id));
            assertThat(runs.get(id)).as("%s: run again only if its completion failed", id).hasValue(failed ? 2 : 1);
            assertThat(row.attempts()).isEqualTo(failed ? 2 : 1);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Waits for the flaky store's one failed call, then says how many completions it held. */
    private static int failedTokensOnceKnown(AtomicInteger failedCalls, Set<ClaimToken> failedTokens) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (failedCalls.get() == 0) {
            assertThat(System.nanoTime()).as("a group commit was attempted within a minute").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return failedTokens.size();
    }

    /**
     * Counts processed events; when it hears the k-th, at least k rows must be COMPLETED and committed
     * (the listener is told after the commit), else the count is noted in {@link #notYetCommitted}.
     */
    private final class Processed implements WebhookListener {
        final CountDownLatch all;
        final AtomicInteger count = new AtomicInteger();
        final Set<Integer> notYetCommitted = ConcurrentHashMap.newKeySet();
        private final JdbcIdempotencyStore store;

        Processed(int events, JdbcIdempotencyStore store) {
            this.all = new CountDownLatch(events);
            this.store = store;
        }

        @Override
        public void onHandled(String eventType, Outcome outcome, Duration processingTime, boolean dead) {
            if (outcome == Outcome.PROCESSED) {
                int k = count.incrementAndGet();
                try {
                    if (count("SELECT COUNT(*) FROM " + store.tableName() + " WHERE status = 'COMPLETED'") < k) {
                        notYetCommitted.add(k);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                all.countDown();
            }
        }

        void awaitCount(int n) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (count.get() < n) {
                assertThat(System.nanoTime()).as("%s events processed within a minute", n).isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
    }

    private static IdempotencyStore failingCompleteAll(JdbcIdempotencyStore store, AtomicBoolean failing,
            AtomicInteger failedCalls) {
        return (IdempotencyStore) Proxy.newProxyInstance(GroupCommitTestBase.class.getClassLoader(),
                new Class<?>[] {IdempotencyStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("completeAll") && failing.get()) {
                        failedCalls.incrementAndGet();
                        throw new StoreUnavailableException("test: the database went away during the group commit");
                    }
                    return invoke(store, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Queued events of a fresh event log, all claimed by {@code worker-a}. */
    private record Claimed(MutableClock clock, JdbcIdempotencyStore store, List<String> ids, List<EventRecord> records) {}

    private Claimed claimedByWorkerA(String prefix, int events) {
        MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        JdbcIdempotencyStore store = store(db().newPrefix(prefix), clock);
        List<String> ids = enqueue(store, events, clock.instant());
        return new Claimed(clock, store, ids, store.claimDue("worker-a", LEASE, 10));
    }

    private JdbcIdempotencyStore store(String prefix, Clock clock) {
        return JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(prefix).createSchema(true).clock(clock).build();
    }

    private static WebhookProcessor processor(JdbcIdempotencyStore store, Clock clock, WebhookHandler handler,
            WebhookListener listener) {
        return WebhookProcessor.builder().signingSecrets(SignedEvents.SECRET).store(store)
                .handlers(HandlerRegistry.builder().onAny(handler).build()).mode(ProcessingMode.ASYNC).clock(clock)
                .leaseDuration(LEASE).listener(listener)
                .retryPolicy(dev.hookwise.core.policy.RetryPolicy.none()).build();
    }

    /** Queues events created one second apart, so that they are claimed in this order. */
    private List<String> enqueue(JdbcIdempotencyStore store, int events, Instant now) {
        List<String> ids = new ArrayList<>(events);
        Instant first = now.minusSeconds(events + 60L).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < events; i++) {
            Instant created = first.plusSeconds(i);
            String id = SignedEvents.id(run, i);
            assertThat(store.enqueue(new NewEvent(id, "payment_intent.succeeded", created, false, "2026-07-29.dahlia",
                    null, EventSource.WEBHOOK, SignedEvents.payload(run, i, created).getBytes(StandardCharsets.UTF_8))))
                    .isTrue();
            ids.add(id);
        }
        return ids;
    }

    private int update(String sql, String id) throws SQLException {
        return TestSql.update(db().dataSource(), sql, id);
    }

    private long count(String sql) throws SQLException {
        return TestSql.number(db().dataSource(), sql);
    }
}
