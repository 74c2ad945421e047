package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.inbox.Backoff;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncInboxTest {
    private final TestClock clock = new TestClock(NOW);
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(clock);
    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0.2);

    private WebhookProcessor async(HandlerRegistry handlers) {
        return WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store).handlers(handlers)
                .mode(ProcessingMode.ASYNC).allowInMemoryInbox(true).build();
    }

    private WebhookRequest signed(String id) {
        byte[] body = TestEvents.event(id, "payment_intent.succeeded", clock.instant());
        return WebhookRequest.of(body, header(SECRET, clock.instant(), body));
    }

    private InboxWorker worker(WebhookProcessor p, int maxAttempts) {
        return InboxWorker.builder(p).maxAttempts(maxAttempts).backoff(BACKOFF).batchSize(50).build();
    }

    @Test
    void acknowledgesAtOnceAndTheWorkerProcessesLater() {
        AtomicInteger runs = new AtomicInteger();
        WebhookProcessor p = async(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> runs.incrementAndGet()).build());

        WebhookResponse first = p.process(signed("evt_q1"));
        WebhookResponse again = p.process(signed("evt_q1"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(runs).hasValue(0);
        assertThat(store.find("evt_q1").orElseThrow().status()).isEqualTo(EventStatus.QUEUED);
        assertThat(store.backlog().pending()).isEqualTo(1);

        assertThat(worker(p, 5).drainOnce()).isEqualTo(1);

        assertThat(runs).hasValue(1);
        EventRecord row = store.find("evt_q1").orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(store.backlog().pending()).isZero();
        assertThat(worker(p, 5).drainOnce()).isZero();
    }

    @Test
    void handlerFailingTwiceCompletesOnAttemptThreeWithBackoffInStoredTimes() {
        AtomicInteger calls = new AtomicInteger();
        WebhookProcessor p = async(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("ledger unavailable (" + calls.get() + ")");
            }
        }).build());
        InboxWorker w = worker(p, 5);
        p.process(signed("evt_flaky"));

        assertThat(w.drainOnce()).isEqualTo(1);
        EventRecord afterFirst = store.find("evt_flaky").orElseThrow();
        assertThat(afterFirst.status()).isEqualTo(EventStatus.FAILED);
        assertThat(afterFirst.lastError()).contains("ledger unavailable (1)");
        assertBackoff(afterFirst.nextAttemptAt(), NOW, Duration.ofSeconds(10));

        assertThat(w.drainOnce()).as("not due yet").isZero();
        clock.set(afterFirst.nextAttemptAt());
        assertThat(w.drainOnce()).isEqualTo(1);
        EventRecord afterSecond = store.find("evt_flaky").orElseThrow();
        assertThat(afterSecond.attempts()).isEqualTo(2);
        assertBackoff(afterSecond.nextAttemptAt(), afterFirst.nextAttemptAt(), Duration.ofSeconds(20));

        clock.set(afterSecond.nextAttemptAt());
        assertThat(w.drainOnce()).isEqualTo(1);
        EventRecord done = store.find("evt_flaky").orElseThrow();
        assertThat(done.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(calls).hasValue(3);
    }

    private static void assertBackoff(Instant next, Instant failedAt, Duration base) {
        assertThat(next).isBetween(failedAt.plusMillis((long) (base.toMillis() * 0.8)),
                failedAt.plusMillis((long) (base.toMillis() * 1.2)));
    }

    @Test
    void alwaysFailingHandlerIsDeadAfterMaxAttemptsAndReplayCompletesItOnceFixed() {
        AtomicBoolean broken = new AtomicBoolean(true);
        AtomicInteger successes = new AtomicInteger();
        WebhookProcessor p = async(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
            if (broken.get()) {
                throw new IllegalStateException("bug #42");
            }
            successes.incrementAndGet();
        }).build());
        InboxWorker w = worker(p, 3);
        p.process(signed("evt_doomed"));

        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(w.drainOnce()).as("attempt %d", attempt).isEqualTo(1);
            clock.advance(Duration.ofMinutes(15));
        }
        EventRecord dead = store.find("evt_doomed").orElseThrow();
        assertThat(dead.status()).isEqualTo(EventStatus.DEAD);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.lastError()).contains("gave up after 3 attempts").contains("bug #42");
        assertThat(w.drainOnce()).isZero();

        broken.set(false);
        EventReplayer.ReplayResult replay = EventReplayer.of(p).replay("evt_doomed", "ops@example.com");
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(w.drainOnce()).isEqualTo(1);

        EventRecord replayed = store.find("evt_doomed").orElseThrow();
        assertThat(replayed.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(replayed.source()).isEqualTo(EventSource.REPLAY);
        assertThat(replayed.attempts()).isEqualTo(1);
        assertThat(successes).hasValue(1);
    }

    @Test
    void permanentFailureInTheWorkerIsDeadAtOnce() {
        WebhookProcessor p = async(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
            throw new PermanentWebhookFailure("no such order");
        }).build());
        p.process(signed("evt_perm_async"));

        worker(p, 8).drainOnce();

        EventRecord row = store.find("evt_perm_async").orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.DEAD);
        assertThat(row.attempts()).isEqualTo(1);
    }

    @Test
    void expiredClaimOfACrashedWorkerIsTakenByAnother() {
        AtomicInteger runs = new AtomicInteger();
        WebhookProcessor p = async(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> runs.incrementAndGet()).build());
        p.process(signed("evt_crash"));
        List<EventRecord> grabbed = store.claimDue("crashed-worker", p.leaseDuration(), 10);
        assertThat(grabbed).hasSize(1);
        assertThat(worker(p, 5).drainOnce()).as("lease still held").isZero();

        clock.advance(p.leaseDuration().plusSeconds(1));
        assertThat(worker(p, 5).drainOnce()).isEqualTo(1);

        assertThat(runs).hasValue(1);
        assertThat(store.find("evt_crash").orElseThrow().attempts()).isEqualTo(2);
        assertThat(store.complete(new ClaimToken("evt_crash", "crashed-worker", 1), Duration.ofSeconds(1)))
                .isEqualTo(dev.hookwise.core.spi.UpdateResult.LEASE_LOST);
    }

    @Test
    void replayAllReplaysOnlyFailedAndDeadEventsMatchingTheFilter() {
        AtomicBoolean broken = new AtomicBoolean(true);
        WebhookProcessor sync = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .retryPolicy(RetryPolicy.none())
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
                    if (broken.get()) {
                        throw new PermanentWebhookFailure("broken");
                    }
                }).build()).build();
        for (int i = 0; i < 5; i++) {
            sync.process(signed("evt_bulk_" + i));
        }
        broken.set(false);
        sync.process(signed("evt_fine"));

        List<EventReplayer.ReplayResult> results = EventReplayer.of(sync)
                .replayAll(EventQuery.builder().errorContains("broken").build(), "ops", 100);

        assertThat(results).hasSize(5).allSatisfy(r -> {
            assertThat(r.replayed()).isTrue();
            assertThat(r.outcome()).isEqualTo(Outcome.PROCESSED);
        });
        assertThat(store.search(EventQuery.builder().statuses(EventStatus.DEAD).build())).isEmpty();
        assertThat(EventReplayer.of(sync).replay("evt_fine", "ops").replayed()).as("completed: not replayed").isFalse();
        assertThat(EventReplayer.of(sync).replay("evt_unknown", "ops").replayed()).isFalse();
    }

    @Test
    void backgroundWorkerDrainsTheInboxAndShutsDownCleanly() throws Exception {
        int events = 200;
        CountDownLatch done = new CountDownLatch(events);
        Map<String, AtomicInteger> effects = new ConcurrentHashMap<>();
        WebhookProcessor p = async(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
            effects.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet();
            done.countDown();
        }).build());
        for (int i = 0; i < events; i++) {
            p.process(signed("evt_bg_" + i));
        }

        try (InboxWorker w = InboxWorker.builder(p).threads(4).pollInterval(Duration.ofMillis(20)).build().start()) {
            assertThat(done.await(1, TimeUnit.MINUTES)).isTrue();
            assertThat(w.isRunning()).isTrue();
        }

        assertThat(effects).hasSize(events);
        assertThat(effects.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        assertThat(store.search(EventQuery.builder().statuses(EventStatus.COMPLETED).limit(1000).build())).hasSize(events);
    }

    @Test
    void closeFinishesTheRunningEventAndLeavesNoneProcessing() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebhookProcessor p = async(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
            started.countDown();
            release.await(1, TimeUnit.MINUTES);
        }).build());
        for (int i = 0; i < 3; i++) {
            p.process(signed("evt_shutdown_" + i));
        }
        InboxWorker w = InboxWorker.builder(p).threads(1).shutdownTimeout(Duration.ofMinutes(1)).build().start();
        assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();

        Thread closer = new Thread(w::close);
        closer.start();
        // Let the running handler finish only once close() has begun: nothing new may start after that.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (w.isRunning() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(w.isRunning()).isFalse();
        release.countDown();
        closer.join(TimeUnit.MINUTES.toMillis(1));

        List<EventStatus> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(store.find("evt_shutdown_" + i).orElseThrow().status());
        }
        assertThat(statuses).filteredOn(s -> s == EventStatus.COMPLETED).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == EventStatus.QUEUED).hasSize(2);
        assertThat(statuses).doesNotContain(EventStatus.PROCESSING);
    }

    @Test
    void closeReturnsWithinItsShutdownTimeoutWhenAHandlerNeverFinishes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebhookProcessor p = async(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
            started.countDown();
            while (release.getCount() > 0) { // ignores interrupts, as a stuck library call would
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // keep waiting
                }
            }
        }).build());
        p.process(signed("evt_never_done"));
        InboxWorker w = InboxWorker.builder(p).threads(1).shutdownTimeout(Duration.ofMillis(200)).build().start();
        assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
        try {
            Thread closer = new Thread(w::close);
            closer.start();
            closer.join(TimeUnit.MINUTES.toMillis(1));
            assertThat(closer.isAlive()).as("close() returned although the handler still runs").isFalse();
            assertThat(store.find("evt_never_done").orElseThrow().status()).isEqualTo(EventStatus.PROCESSING);
        } finally {
            release.countDown();
        }
    }

    @Test
    void asyncModeNeedsStoredPayloads() {
        assertThatThrownBy(() -> WebhookProcessor.builder().signingSecrets(SECRET).mode(ProcessingMode.ASYNC).allowInMemoryInbox(true)
                .keepPayloads(false).build())
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("keepPayloads");
    }

    @Test
    void backoffGrowsAndIsCapped() {
        Backoff b = Backoff.exponential(Duration.ofSeconds(1), 3.0, Duration.ofSeconds(20), 0.0);
        assertThat(b.delay(1, 0.99)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(2, 0.5)).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.delay(3, 0.5)).isEqualTo(Duration.ofSeconds(9));
        assertThat(b.delay(4, 0.5)).isEqualTo(Duration.ofSeconds(20));
        assertThat(Backoff.defaults().delay(1, 0.0)).isEqualTo(Duration.ofSeconds(24));
        assertThat(Backoff.defaults().delay(1, 1.0)).isEqualTo(Duration.ofSeconds(36));
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, 2, Duration.ofSeconds(1), 0))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("initial must be positive");
    }
}
