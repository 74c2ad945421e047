package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.jdbc.multi.SignedEvents;
import dev.hookwise.testkit.MutableClock;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The inbox worker's claiming ahead (issue 16) on one database per subclass: events claimed ahead of
 * the handler threads wait in the worker's queue under leases that the batch heartbeat renews; a
 * queued event whose lease was taken over, or may have run out, is never started by the stale
 * worker; closing gives queued events back; many events through several workers run exactly once.
 *
 * <p>One handler thread is held on a latch so that the other claimed events stay queued for as long
 * as a test needs. Results are awaited as conditions or latches, never by sleeping; lease expiry is
 * driven by a {@link MutableClock}.
 */
abstract class PrefetchingWorkerTestBase {

    private final String run = UUID.randomUUID().toString().substring(0, 6);

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Test
    void queuedEventsWhoseLeaseRanOutAndWasTakenOverAreNotStartedByTheStaleWorker() throws Exception {
        MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Duration lease = Duration.ofMinutes(5); // no heartbeat round within the test
        String prefix = db().newPrefix("pf_stale");
        JdbcIdempotencyStore store = store(prefix, clock);
        Blocker blocker = new Blocker();
        WebhookProcessor processor = processor(store, clock, lease, blocker);
        List<String> ids = enqueue(store, 6, clock);

        try (InboxWorker worker = InboxWorker.builder(processor).threads(1).prefetch(5).batchSize(10)
                .pollInterval(Duration.ofMillis(10)).build().start()) {
            blocker.awaitFirst();
            assertThat(worker.queuedEvents()).as("claimed ahead of the one busy thread").isEqualTo(5);

            clock.advance(lease.plusSeconds(1)); // the stale worker's leases ran out …
            List<EventRecord> takenOver = store(prefix, clock).claimDue("other-worker", lease, 10);
            assertThat(takenOver).as("… and another worker took every event over").hasSize(6);

            blocker.release();
            awaitTrue(() -> worker.queuedEvents() == 0, "the stale worker's queue is worked off");
        }
        assertThat(blocker.runs()).as("the stale worker ran only the event it had started").containsOnlyKeys(ids.get(0));
        for (String id : ids) {
            EventRecord row = store.find(id).orElseThrow();
            assertThat(row.status()).as(id).isEqualTo(EventStatus.PROCESSING);
            assertThat(row.owner()).as("%s: the newer claim stands", id).isEqualTo("other-worker");
            assertThat(row.attempts()).as(id).isEqualTo(2);
        }
    }

    @Test
    void heartbeatDropsQueuedEventsWhoseLeaseWasTakenOverBeforeAThreadFreesUp() throws Exception {
        Duration lease = Duration.ofMillis(300); // a heartbeat round every 100 ms
        JdbcIdempotencyStore store = store(db().newPrefix("pf_drop"), Clock.systemUTC());
        Blocker blocker = new Blocker();
        WebhookProcessor processor = processor(store, Clock.systemUTC(), lease, blocker);
        List<String> ids = enqueue(store, 6, Instant.now());

        try (InboxWorker worker = InboxWorker.builder(processor).threads(1).prefetch(5).batchSize(10)
                .pollInterval(Duration.ofMillis(10)).build().start()) {
            blocker.awaitFirst();
            assertThat(worker.queuedEvents()).isEqualTo(5);
            // Another worker takes the queued events over (as after a pause longer than the lease).
            int taken = update(store, "UPDATE " + store.tableName() + " SET owner = 'intruder',"
                    + " attempts = attempts + 1, lease_until = ? WHERE status = 'PROCESSING' AND id <> ?",
                    Instant.now().plus(Duration.ofHours(1)), ids.get(0));
            assertThat(taken).isEqualTo(5);

            awaitTrue(() -> worker.queuedEvents() == 0, "the heartbeat finds the queued leases lost and drops them");
            assertThat(blocker.runs()).as("the only thread is still busy: the heartbeat dropped them").isEmpty();
            blocker.release();
        }
        assertThat(blocker.runs()).containsOnlyKeys(ids.get(0));
        assertThat(store.find(ids.get(0)).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        for (String id : ids.subList(1, ids.size())) {
            EventRecord row = store.find(id).orElseThrow();
            assertThat(row.owner()).as("%s: the newer claim is untouched", id).isEqualTo("intruder");
            assertThat(row.status()).isEqualTo(EventStatus.PROCESSING);
        }
    }

    @Test
    void batchHeartbeatKeepsQueuedEventsLeasedUntilAThreadTakesThem() throws Exception {
        MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Duration lease = Duration.ofMillis(300); // a heartbeat round every 100 ms of real time
        JdbcIdempotencyStore store = store(db().newPrefix("pf_beat"), clock);
        Blocker blocker = new Blocker();
        WebhookProcessor processor = processor(store, clock, lease, blocker);
        List<String> ids = enqueue(store, 6, clock);
        Instant claimedAt = clock.instant();

        try (InboxWorker worker = InboxWorker.builder(processor).threads(1).prefetch(5).batchSize(10)
                .pollInterval(Duration.ofMillis(10)).build().start()) {
            blocker.awaitFirst();
            assertThat(worker.queuedEvents()).isEqualTo(5);
            List<String> queued = ids.subList(1, ids.size());
            for (String id : queued) {
                assertThat(store.find(id).orElseThrow().leaseUntil()).isEqualTo(claimedAt.plus(lease));
            }

            clock.advance(Duration.ofMinutes(1)); // far past the leases as claimed
            awaitTrue(() -> queued.stream().allMatch(id -> store.find(id).orElseThrow().leaseUntil()
                    .isAfter(claimedAt.plus(Duration.ofMinutes(1)))), "every queued lease renewed at the new time");
            assertThat(store.claimDue("other-worker", lease, 10)).as("nothing for another worker to take over").isEmpty();
            assertThat(worker.queuedEvents()).isEqualTo(5);

            blocker.release();
            awaitTrue(() -> blocker.runs().size() == 6, "every event run");
        }
        for (String id : ids) {
            EventRecord row = store.find(id).orElseThrow();
            assertThat(row.status()).as(id).isEqualTo(EventStatus.COMPLETED);
            assertThat(row.attempts()).as("%s ran on its first claim", id).isEqualTo(1);
            assertThat(blocker.runs().get(id)).as(id).hasValue(1);
        }
    }

    @Test
    void closingGivesQueuedEventsBackAtOnceWithTheirAttemptNotCounted() throws Exception {
        JdbcIdempotencyStore store = store(db().newPrefix("pf_close"), Clock.systemUTC());
        Blocker blocker = new Blocker();
        WebhookProcessor processor = processor(store, Clock.systemUTC(), Duration.ofMinutes(5), blocker);
        List<String> ids = enqueue(store, 6, Instant.now());
        List<String> queued = ids.subList(1, ids.size());

        InboxWorker worker = InboxWorker.builder(processor).threads(1).prefetch(5).batchSize(10)
                .pollInterval(Duration.ofMillis(10)).shutdownTimeout(Duration.ofMinutes(1)).build().start();
        blocker.awaitFirst();
        assertThat(worker.queuedEvents()).isEqualTo(5);
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            Future<?> closed = closer.submit(worker::close); // waits for the running event
            awaitTrue(() -> queued.stream().allMatch(id -> store.find(id).orElseThrow().status() == EventStatus.QUEUED),
                    "the queued events are given back while the running one still runs");
            for (String id : queued) {
                EventRecord row = store.find(id).orElseThrow();
                assertThat(row.attempts()).as("%s: the attempt it never started is not counted", id).isZero();
                assertThat(row.owner()).isNull();
            }
            assertThat(closed.isDone()).as("close() still waits for the running event").isFalse();
            blocker.release();
            closed.get(1, TimeUnit.MINUTES);
        } finally {
            closer.shutdownNow();
        }
        assertThat(blocker.runs()).containsOnlyKeys(ids.get(0));
        assertThat(store.find(ids.get(0)).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        List<EventRecord> again = store.claimDue("next-instance", Duration.ofMinutes(5), 10);
        assertThat(again).extracting(EventRecord::id).containsExactlyInAnyOrderElementsOf(queued);
        assertThat(again).allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1));
    }

    @Test
    void manyEventsThroughTwoPrefetchingWorkersRunExactlyOnceAndLeaveNoClaimBehind() throws Exception {
        int events = 1_500;
        String prefix = db().newPrefix("pf_many");
        JdbcIdempotencyStore storeA = store(prefix, Clock.systemUTC());
        JdbcIdempotencyStore storeB = store(prefix, Clock.systemUTC());
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        CountDownLatch handled = new CountDownLatch(events);
        WebhookHandler handler = ctx -> {
            runs.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet();
            handled.countDown();
        };
        WebhookProcessor a = processor(storeA, Clock.systemUTC(), WebhookProcessor.DEFAULT_LEASE, handler);
        WebhookProcessor b = processor(storeB, Clock.systemUTC(), WebhookProcessor.DEFAULT_LEASE, handler);
        List<String> ids = enqueue(storeA, events, Instant.now());

        try (InboxWorker workerA = InboxWorker.builder(a).threads(4).batchSize(50).pollInterval(Duration.ofMillis(10))
                        .build().start();
                InboxWorker workerB = InboxWorker.builder(b).threads(4).prefetch(7).batchSize(3)
                        .pollInterval(Duration.ofMillis(10)).build().start()) {
            assertThat(handled.await(5, TimeUnit.MINUTES)).as("every event handled").isTrue();
        }
        assertThat(runs).hasSize(events);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(count("SELECT COUNT(*) FROM " + storeA.tableName() + " WHERE status = 'COMPLETED' AND attempts = 1"))
                .as("completed at their first attempt").isEqualTo(events);
        assertThat(count("SELECT COUNT(*) FROM " + storeA.tableName() + " WHERE owner IS NOT NULL AND status <> 'COMPLETED'"))
                .as("claims left behind").isZero();
        assertThat(storeA.backlog().pending()).isZero();
        assertThat(ids).hasSize(events);
    }

    // ---------------------------------------------------------------- helpers

    /** Holds the first event's run until released; counts every run per event. */
    private static final class Blocker implements WebhookHandler {
        private final CountDownLatch first = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

        @Override
        public void handle(dev.hookwise.core.EventContext ctx) throws Exception {
            if (first.getCount() > 0) {
                first.countDown();
                assertThat(release.await(2, TimeUnit.MINUTES)).as("released").isTrue();
            }
            runs.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet();
        }

        void awaitFirst() throws InterruptedException {
            assertThat(first.await(1, TimeUnit.MINUTES)).as("the first event started").isTrue();
        }

        void release() {
            release.countDown();
        }

        Map<String, AtomicInteger> runs() {
            return runs;
        }
    }

    private JdbcIdempotencyStore store(String prefix, Clock clock) {
        return JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(prefix).createSchema(true).clock(clock).build();
    }

    private static WebhookProcessor processor(JdbcIdempotencyStore store, Clock clock, Duration lease,
            WebhookHandler handler) {
        return SignedEvents.processor(store, handler).mode(ProcessingMode.ASYNC).clock(clock).leaseDuration(lease)
                .retryPolicy(dev.hookwise.core.policy.RetryPolicy.none()) // leases shorter than the default retries' waits
                .build();
    }

    private List<String> enqueue(JdbcIdempotencyStore store, int events, Clock clock) {
        return enqueue(store, events, clock.instant());
    }

    /** Queues events created one second apart, so that they are claimed and taken in this order. */
    private List<String> enqueue(JdbcIdempotencyStore store, int events, Instant now) {
        List<String> ids = new ArrayList<>(events);
        Instant first = now.minusSeconds(events + 60L).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < events; i++) {
            Instant created = first.plusSeconds(i);
            String payload = SignedEvents.payload(run, i, created);
            String id = SignedEvents.id(run, i);
            assertThat(store.enqueue(new NewEvent(id, "payment_intent.succeeded", created, false, "2026-07-29.dahlia",
                    null, EventSource.WEBHOOK, payload.getBytes(StandardCharsets.UTF_8)))).isTrue();
            ids.add(id);
        }
        return ids;
    }

    private int update(JdbcIdempotencyStore store, String sql, Instant leaseUntil, String exceptId) throws SQLException {
        try (Connection c = db().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            store.dialect().setInstant(ps, 1, leaseUntil);
            ps.setString(2, exceptId);
            return ps.executeUpdate();
        }
    }

    private long count(String sql) throws SQLException {
        return TestSql.number(db().dataSource(), sql);
    }

    /** Waits for {@code condition}, checking every few milliseconds; fails after a minute. */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within a minute: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
