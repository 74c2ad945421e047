package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookRequest;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.inbox.Backoff;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.core.operations.EventRetention;
import dev.hookwise.core.operations.WebhookHealth;
import dev.hookwise.core.operations.WebhookReport;
import dev.hookwise.core.operations.WebhookReports;
import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.jdbc.inbox.CompletionLatch;
import dev.hookwise.jdbc.inbox.FlakyDataSource;
import dev.hookwise.jdbc.multi.EffectRecorder;
import dev.hookwise.jdbc.multi.Instance;
import dev.hookwise.jdbc.multi.SignedEvents;
import dev.hookwise.testkit.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's acceptance on one database per subclass: asynchronous mode through the JDBC inbox,
 * with durable retries and backoff, dead events and replay, a database outage, retention and
 * reports. Every test has its own event-log table (a fresh prefix), dropped after the class.
 * Results are awaited on latches, never by sleeping; times that matter come from a {@link MutableClock}.
 */
abstract class InboxAcceptanceTestBase {

    static final int EVENTS = 10_000;
    private static final int DELIVERY_THREADS = 4;
    private static final int WORKER_THREADS = 4;
    private static final Backoff BACKOFF =
            Backoff.exponential(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0.2);
    private static final Duration LEASE = WebhookProcessor.DEFAULT_LEASE;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** The class's database. */
    protected abstract DatabaseFixture db();

    // ---------------------------------------------------------------- 10,000 events, two instances

    @Test
    void tenThousandEventsThroughTwoAsyncProcessorsAndTwoBackgroundWorkersRunEveryEffectExactlyOnce()
            throws Exception {
        String prefix = db().newPrefix("async");
        String effects = db().table("fx_async_" + run.substring(0, 4));
        EffectRecorder.createTable(db().dataSource(), effects);
        CountDownLatch handled = new CountDownLatch(EVENTS);
        Node a = node("a", db().pool(10), prefix, effects, handled, Clock.systemUTC());
        Node b = node("b", db().pool(10), prefix, effects, handled, Clock.systemUTC());
        List<WebhookRequest> deliveries = SignedEvents.deliveries(run, EVENTS, 1);

        long started = System.nanoTime();
        Map<Outcome, Integer> toA;
        Map<Outcome, Integer> toB;
        ExecutorService second = Executors.newSingleThreadExecutor();
        try (InboxWorker workerA = background(a.processor).start();
                InboxWorker workerB = background(b.processor).start()) {
            // Stripe delivers every event to both instances (a retry reaching the other one).
            Future<Map<Outcome, Integer>> other = second.submit(() -> deliver(b.processor, deliveries));
            toA = deliver(a.processor, deliveries);
            toB = other.get(5, TimeUnit.MINUTES);
            assertThat(handled.await(10, TimeUnit.MINUTES)).as("every event handled").isTrue();
            assertThat(workerA.isRunning() && workerB.isRunning()).isTrue();
        } finally {
            second.shutdownNow();
        } // close(): events still running finish and record their verdict
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf(Locale.ROOT, "%s, async inbox: %,d events delivered to 2 processors, drained by 2 workers"
                + " x %d threads in %,d ms%n", db().database, EVENTS, WORKER_THREADS, millis);

        assertThat(toA.keySet()).isSubsetOf(Outcome.QUEUED, Outcome.DUPLICATE);
        assertThat(toB.keySet()).isSubsetOf(Outcome.QUEUED, Outcome.DUPLICATE);
        assertThat(toA.getOrDefault(Outcome.QUEUED, 0) + toB.getOrDefault(Outcome.QUEUED, 0))
                .as("events queued once between the two instances").isEqualTo(EVENTS);
        assertThat(toA.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(EVENTS);
        assertThat(toB.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(EVENTS);

        assertThat(a.effects.duplicateEffects() + b.effects.duplicateEffects()).as("effects applied twice").isZero();
        assertThat(a.effects.invocations() + b.effects.invocations()).as("handler runs").isEqualTo(EVENTS);
        assertThat(a.effects.invocations()).as("events run by instance a's worker").isPositive();
        assertThat(b.effects.invocations()).as("events run by instance b's worker").isPositive();
        assertThat(count("SELECT COUNT(*) FROM " + effects)).as("effect rows").isEqualTo(EVENTS);
        assertThat(count("SELECT COUNT(*) FROM " + prefix + "event_log WHERE status = 'COMPLETED' AND attempts = 1"))
                .as("events completed on their first attempt").isEqualTo(EVENTS);
        assertThat(count("SELECT COUNT(*) FROM " + prefix + "event_log")).isEqualTo(EVENTS);
        assertThat(a.store.backlog()).isEqualTo(new Backlog(0, 0, null));
    }

    // ---------------------------------------------------------------- retries, dead, replay

    @Test
    void handlerFailingTwiceCompletesOnAttemptThreeWithTheBackoffInTheStoredTimes() {
        MutableClock clock = MutableClock.now();
        AtomicInteger calls = new AtomicInteger();
        Node node = node("flaky", db().dataSource(), db().newPrefix("flaky"), ctx -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("ledger unavailable (" + calls.get() + ")");
            }
        }, clock);
        InboxWorker worker = manual(node.processor, 5);
        String id = deliverOne(node, 0, clock);
        Instant failedAt = clock.instant();

        EventRecord afterFirst = drainedOnce(worker, node, id, EventStatus.FAILED, 1);
        assertThat(afterFirst.lastError()).contains("ledger unavailable (1)");
        assertBackoff(afterFirst.nextAttemptAt(), failedAt, Duration.ofSeconds(10));

        assertThat(worker.drainOnce()).as("not due yet").isZero();
        clock.set(afterFirst.nextAttemptAt());
        EventRecord afterSecond = drainedOnce(worker, node, id, EventStatus.FAILED, 2);
        assertBackoff(afterSecond.nextAttemptAt(), afterFirst.nextAttemptAt(), Duration.ofSeconds(20));

        clock.set(afterSecond.nextAttemptAt().minusMillis(1));
        assertThat(worker.drainOnce()).as("a millisecond early").isZero();
        clock.set(afterSecond.nextAttemptAt());
        EventRecord done = drainedOnce(worker, node, id, EventStatus.COMPLETED, 3);
        assertThat(done.startedAt()).isEqualTo(afterSecond.nextAttemptAt());
        assertThat(done.completedAt()).isEqualTo(afterSecond.nextAttemptAt());
        assertThat(calls).hasValue(3);
    }

    /** Drains once, which must process one event; returns the row of {@code id}, checked for its status and attempts. */
    private static EventRecord drainedOnce(InboxWorker worker, Node node, String id, EventStatus status, int attempts) {
        assertThat(worker.drainOnce()).isEqualTo(1);
        EventRecord row = node.store.find(id).orElseThrow();
        assertThat(row.status()).isEqualTo(status);
        assertThat(row.attempts()).isEqualTo(attempts);
        return row;
    }

    private static void assertBackoff(Instant next, Instant failedAt, Duration base) {
        assertThat(next).isBetween(failedAt.plusMillis((long) (base.toMillis() * 0.8)),
                failedAt.plusMillis((long) (base.toMillis() * 1.2)));
    }

    @Test
    void alwaysFailingHandlerIsDeadAfterMaxAttemptsAndReplayCompletesItOnceFixed() {
        MutableClock clock = MutableClock.now();
        AtomicBoolean broken = new AtomicBoolean(true);
        AtomicInteger successes = new AtomicInteger();
        Node node = node("doomed", db().dataSource(), db().newPrefix("doomed"), ctx -> {
            if (broken.get()) {
                throw new IllegalStateException("bug #42");
            }
            successes.incrementAndGet();
        }, clock);
        InboxWorker worker = manual(node.processor, 3);
        String id = deliverOne(node, 0, clock);

        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(worker.drainOnce()).as("attempt %d", attempt).isEqualTo(1);
            clock.advance(Duration.ofMinutes(15));
        }
        EventRecord dead = node.store.find(id).orElseThrow();
        assertThat(dead.status()).isEqualTo(EventStatus.DEAD);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.lastError()).contains("gave up after 3 attempts").contains("bug #42");
        assertThat(dead.nextAttemptAt()).isNull();
        assertThat(worker.drainOnce()).as("a dead event is never claimed").isZero();

        broken.set(false);
        EventReplayer.ReplayResult replay = EventReplayer.of(node.processor).replay(id, "ops@example.com");
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(node.store.find(id).orElseThrow().status()).isEqualTo(EventStatus.QUEUED);
        assertThat(worker.drainOnce()).isEqualTo(1);

        EventRecord replayed = node.store.find(id).orElseThrow();
        assertThat(replayed.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(replayed.source()).isEqualTo(EventSource.REPLAY);
        assertThat(replayed.attempts()).isEqualTo(1);
        assertThat(successes).hasValue(1);
    }

    // ---------------------------------------------------------------- outage

    @Test
    void databaseOutageMidRunAnswers503sLosesNothingAndTheBackgroundWorkerResumesByItself() throws Exception {
        int before = 30;
        int during = 30;
        int after = 30;
        int total = before + during + after;
        MutableClock clock = MutableClock.now();
        String prefix = db().newPrefix("outage");
        JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(prefix).createSchema(true).build();
        FlakyDataSource flaky = new FlakyDataSource(db().pool(6), 2);
        // With the dialect set, build() does not connect: the store exists whatever the database does.
        JdbcIdempotencyStore jdbcStore = JdbcIdempotencyStore.builder(flaky).dialect(db().database.dialect)
                .tablePrefix(prefix).clock(clock).build();
        CompletionLatch completions = new CompletionLatch(total);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        WebhookProcessor processor = asyncProcessor(completions.watch(jdbcStore), "outage", clock,
                ctx -> runs.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet());
        Node node = new Node(jdbcStore, processor, null);
        List<String> refused = new ArrayList<>();

        try (InboxWorker worker = InboxWorker.builder(processor).threads(2).pollInterval(Duration.ofMillis(20))
                .backoff(BACKOFF).build().start()) {
            for (int i = 0; i < before; i++) {
                assertThat(deliver(node, i, clock).outcome()).isEqualTo(Outcome.QUEUED);
            }

            flaky.down(true);
            for (int i = before; i < before + during; i++) {
                WebhookResponse r = deliver(node, i, clock);
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.outcome()).isEqualTo(Outcome.STORE_UNAVAILABLE);
                assertThat(r.headers()).containsKey("Retry-After");
                assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("jdbc:");
                refused.add(SignedEvents.id(run, i));
            }
            assertThat(flaky.refusedPolls().await(5, TimeUnit.MINUTES))
                    .as("the background worker met the outage").isTrue();
            flaky.down(false);

            // An event whose verdict could not be written waits out its lease, then runs again.
            clock.advance(LEASE.plusSeconds(1));
            for (int i = before; i < before + during; i++) {
                assertThat(deliver(node, i, clock).outcome()).as("Stripe's redelivery").isEqualTo(Outcome.QUEUED);
            }
            for (int i = before + during; i < total; i++) {
                assertThat(deliver(node, i, clock).outcome()).isEqualTo(Outcome.QUEUED);
            }
            assertThat(completions.latch().await(10, TimeUnit.MINUTES)).as("every event completed").isTrue();
            assertThat(worker.isRunning()).isTrue();
        }

        assertThat(refused).hasSize(during);
        assertThat(flaky.refusals()).isGreaterThanOrEqualTo(during + 2);
        assertThat(runs).hasSize(total);
        assertThat(count("SELECT COUNT(*) FROM " + prefix + "event_log WHERE status = 'COMPLETED'")).isEqualTo(total);
        assertThat(count("SELECT COUNT(*) FROM " + prefix + "event_log")).isEqualTo(total);
        assertThat(jdbcStore.backlog()).isEqualTo(new Backlog(0, 0, null));
        long reruns = runs.values().stream().filter(n -> n.get() > 1).count();
        System.out.printf(Locale.ROOT, "%s, outage: %d deliveries refused with 503, %d connections refused,"
                + " %d event(s) run again after a verdict lost in the outage%n",
                db().database, refused.size(), flaky.refusals(), reruns);
    }

    // ---------------------------------------------------------------- retention, reports, health

    @Test
    void retentionPurgesOldCompletedAndIgnoredEventsInBatchesAndKeepsEverythingElse() {
        MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00.123456Z"));
        JdbcIdempotencyStore store = store(db().dataSource(), db().newPrefix("retention"), clock);
        for (int i = 0; i < 25; i++) {
            completed(store, "evt_old_done_" + i, "invoice.paid", Duration.ofMillis(5), clock);
        }
        for (int i = 0; i < 5; i++) {
            store.recordFinal(event("evt_old_ignored_" + i, "customer.created", clock.instant()), EventStatus.IGNORED,
                    "unhandled_type");
        }
        store.recordFinal(event("evt_old_stale", "invoice.paid", clock.instant()), EventStatus.SKIPPED_STALE, "stale");
        store.claim(event("evt_old_dead", "invoice.paid", clock.instant()), "o", LEASE);
        store.markDead(new ClaimToken("evt_old_dead", "o", 1), "bug");
        store.claim(event("evt_old_failed", "invoice.paid", clock.instant()), "o", LEASE);
        store.retryAt(new ClaimToken("evt_old_failed", "o", 1), "timeout", clock.instant().plusSeconds(60));
        store.enqueue(event("evt_old_queued", "invoice.paid", clock.instant()));
        store.claim(event("evt_old_processing", "invoice.paid", clock.instant()), "o", Duration.ofDays(365));
        clock.advance(Duration.ofDays(89));
        completed(store, "evt_89_days", "invoice.paid", Duration.ofMillis(5), clock);
        clock.advance(Duration.ofDays(2));
        completed(store, "evt_recent", "invoice.paid", Duration.ofMillis(5), clock);

        int deleted = EventRetention.builder(store).clock(clock).batchSize(7).build().purge();

        assertThat(deleted).isEqualTo(30);
        assertThat(store.search(EventQuery.builder().limit(100).build()))
                .extracting(EventRecord::id)
                .containsExactlyInAnyOrder("evt_old_stale", "evt_old_dead", "evt_old_failed", "evt_old_queued",
                        "evt_old_processing", "evt_89_days", "evt_recent");
        assertThat(EventRetention.builder(store).clock(clock).build().purge()).as("nothing left to purge").isZero();
    }

    @Test
    void reportFiguresMatchKnownInputs() {
        MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        Instant now = clock.instant();
        JdbcIdempotencyStore store = store(db().dataSource(), db().newPrefix("reports"), clock);
        for (int i = 1; i <= 100; i++) {
            String type = i % 2 == 0 ? "invoice.paid" : "charge.refunded";
            completed(store, "evt_ok_" + i, type, Duration.ofMillis(i), clock);
        }
        for (int i = 0; i < 3; i++) {
            store.claim(event("evt_dead_" + i, "invoice.paid", now), "o", LEASE);
            store.markDead(new ClaimToken("evt_dead_" + i, "o", 1), "java.lang.IllegalStateException: no order\n\tat x");
        }
        store.claim(event("evt_retry", "invoice.paid", now), "o", LEASE);
        store.retryAt(new ClaimToken("evt_retry", "o", 1), "java.net.SocketTimeoutException: read timed out", now.plusSeconds(30));
        store.enqueue(event("evt_queued", "invoice.paid", now));
        store.recordFinal(event("evt_outside", "invoice.paid", now.minus(Duration.ofDays(2))), EventStatus.IGNORED,
                "x");

        WebhookReport r = WebhookReports.of(store)
                .report(now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)));

        assertThat(r.total()).isEqualTo(105);
        assertThat(r.countsByType().get("invoice.paid")).containsOnly(Map.entry("completed", 50L),
                Map.entry("dead", 3L), Map.entry("failed", 1L), Map.entry("queued", 1L));
        assertThat(r.countsByType().get("charge.refunded")).containsOnly(Map.entry("completed", 50L));
        assertThat(r.processingTime().count()).isEqualTo(100);
        assertThat(r.processingTime().p50()).isEqualTo(Duration.ofMillis(50));
        assertThat(r.processingTime().p95()).isEqualTo(Duration.ofMillis(95));
        assertThat(r.processingTime().p99()).isEqualTo(Duration.ofMillis(99));
        assertThat(r.processingTime().max()).isEqualTo(Duration.ofMillis(100));
        assertThat(r.errors()).containsOnly(Map.entry("java.lang.IllegalStateException: no order", 3L),
                Map.entry("java.net.SocketTimeoutException: read timed out", 1L));
        assertThat(r.failedEvents()).extracting(WebhookReport.FailedEvent::id)
                .containsExactly("evt_dead_0", "evt_dead_1", "evt_dead_2", "evt_retry");
        assertThat(r.truncated()).isFalse();
        assertThat(r.toJson()).contains("\"total\":105").contains("\"p95\":95.0").contains("\"dead\":3");

        WebhookReport small = WebhookReports.of(store).withMaxEvents(10).report(now.minus(Duration.ofHours(1)),
                now.plusSeconds(3600));
        assertThat(small.total()).isEqualTo(10);
        assertThat(small.truncated()).isTrue();
    }

    @Test
    void healthSeesTheBacklogAndTheAgeOfTheOldestPendingEvent() {
        MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        JdbcIdempotencyStore store = store(db().dataSource(), db().newPrefix("health"), clock);
        WebhookHealth health = WebhookHealth.builder(store).clock(clock).backlogThreshold(3).build();
        assertThat(health.check().status()).isEqualTo(WebhookHealth.Status.UP);

        for (int i = 0; i < 3; i++) {
            store.enqueue(event("evt_wait_" + i, "invoice.paid", clock.instant()));
            clock.advance(Duration.ofSeconds(1));
        }
        store.claimDue("w", LEASE, 1);
        store.enqueue(event("evt_wait_3", "invoice.paid", clock.instant()));
        clock.advance(Duration.ofSeconds(42));

        WebhookHealth.HealthReport report = health.check();
        assertThat(report.status()).isEqualTo(WebhookHealth.Status.DEGRADED);
        assertThat(report.problems()).singleElement().asString().contains("backlog 3");
        assertThat(report.details()).containsEntry("backlog", 3L).containsEntry("processing", 1L)
                .containsEntry("oldestPendingAgeSeconds", 44L);
    }

    // ---------------------------------------------------------------- helpers

    /** One application instance: its store and asynchronous processor (and effect recorder, if any). */
    private record Node(JdbcIdempotencyStore store, WebhookProcessor processor, EffectRecorder effects) {}

    private Node node(String name, DataSource pool, String prefix, String effectsTable, CountDownLatch handled,
            Clock clock) {
        JdbcIdempotencyStore store = store(pool, prefix, clock);
        EffectRecorder effects = new EffectRecorder(pool, effectsTable, name);
        WebhookHandler handler = ctx -> {
            try {
                effects.handle(ctx);
            } finally {
                handled.countDown();
            }
        };
        return new Node(store, asyncProcessor(store, name, clock, handler), effects);
    }

    private Node node(String name, DataSource pool, String prefix, WebhookHandler handler, Clock clock) {
        JdbcIdempotencyStore store = store(pool, prefix, clock);
        return new Node(store, asyncProcessor(store, name, clock, handler), null);
    }

    private static JdbcIdempotencyStore store(DataSource pool, String prefix, Clock clock) {
        return JdbcIdempotencyStore.builder(pool).tablePrefix(prefix).createSchema(true).clock(clock).build();
    }

    private static WebhookProcessor asyncProcessor(IdempotencyStore store, String name, Clock clock,
            WebhookHandler handler) {
        return SignedEvents.processor(store, handler).mode(ProcessingMode.ASYNC).clock(clock).instanceId(name).build();
    }

    private static InboxWorker background(WebhookProcessor processor) {
        return InboxWorker.builder(processor).threads(WORKER_THREADS).batchSize(10)
                .pollInterval(Duration.ofMillis(10)).backoff(BACKOFF).build();
    }

    private static InboxWorker manual(WebhookProcessor processor, int maxAttempts) {
        return InboxWorker.builder(processor).maxAttempts(maxAttempts).backoff(BACKOFF).batchSize(50).build();
    }

    /** Delivers event {@code index} of this run to {@code node}, signed and created now; returns its id. */
    private String deliverOne(Node node, int index, Clock clock) {
        assertThat(deliver(node, index, clock).outcome()).isEqualTo(Outcome.QUEUED);
        return SignedEvents.id(run, index);
    }

    private WebhookResponse deliver(Node node, int index, Clock clock) {
        Instant now = clock.instant();
        return node.processor.process(SignedEvents.sign(SignedEvents.payload(run, index, now), now));
    }

    /** Delivers every request on a few threads; counts the outcomes (a delivery that throws fails the test). */
    private static Map<Outcome, Integer> deliver(WebhookProcessor processor, List<WebhookRequest> requests)
            throws Exception {
        AtomicInteger errors = new AtomicInteger();
        Map<Outcome, Integer> counts = Instance.deliver(processor, requests, DELIVERY_THREADS, errors);
        assertThat(errors.get()).as("deliveries that threw").isZero();
        return counts;
    }

    private static NewEvent event(String id, String type, Instant created) {
        return new NewEvent(id, type, created, false, null, null, EventSource.WEBHOOK, new byte[] {'{', '}'});
    }

    private static void completed(JdbcIdempotencyStore store, String id, String type, Duration took, Clock clock) {
        assertThat(store.claim(event(id, type, clock.instant()), "o", LEASE).isClaimed()).isTrue();
        store.complete(new ClaimToken(id, "o", 1), took);
    }

    private int count(String sql) throws SQLException {
        try (Connection c = db().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
