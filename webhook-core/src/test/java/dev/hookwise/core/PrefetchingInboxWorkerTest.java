package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The inbox worker's claiming ahead of its threads, on the in-memory store (the JDBC stores have their own tests). */
class PrefetchingInboxWorkerTest {
    private final TestClock clock = new TestClock(NOW);
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(clock);

    private WebhookProcessor async(WebhookHandler handler, Duration lease) {
        return WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", handler).build())
                .mode(ProcessingMode.ASYNC).allowInMemoryInbox(true).leaseDuration(lease).build();
    }

    private List<String> deliver(WebhookProcessor p, int events) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String id = "evt_pf_" + (1000 + i); // sorts in delivery order
            byte[] body = TestEvents.event(id, "payment_intent.succeeded", clock.instant());
            assertThat(p.process(WebhookRequest.of(body, header(SECRET, clock.instant(), body))).outcome())
                    .isEqualTo(Outcome.QUEUED);
            ids.add(id);
        }
        return ids;
    }

    @Test
    void prefetchIsBoundedAndNamesTheBadValue() {
        WebhookProcessor p = async(ctx -> { }, Duration.ofMinutes(5));
        assertThatThrownBy(() -> InboxWorker.builder(p).prefetch(-1))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("but was -1");
        assertThatThrownBy(() -> InboxWorker.builder(p).prefetch(InboxWorker.MAX_PREFETCH + 1))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("between 0 and 1000");
        assertThat(InboxWorker.builder(p).prefetch(0).build()).isNotNull();
    }

    @Test
    void manyEventsDrainThroughAPrefetchingWorkerExactlyOnce() throws Exception {
        int events = 2_000;
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        CountDownLatch handled = new CountDownLatch(events);
        WebhookProcessor p = async(ctx -> {
            runs.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet();
            handled.countDown();
        }, Duration.ofMinutes(5));
        deliver(p, events);

        try (InboxWorker w = InboxWorker.builder(p).threads(4).prefetch(40).batchSize(25)
                .pollInterval(Duration.ofMillis(10)).build().start()) {
            assertThat(handled.await(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(runs).hasSize(events);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(store.backlog().pending()).isZero();
        assertThat(store.search(dev.hookwise.core.spi.EventQuery.builder().statuses(EventStatus.PROCESSING).build()))
                .as("claims left behind").isEmpty();
    }

    @Test
    void queuedEventWhoseLeaseMayHaveRunOutIsGivenBackNotStarted() throws Exception {
        Duration lease = Duration.ofMinutes(5); // no heartbeat round within the test
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        WebhookProcessor p = async(ctx -> {
            if (first.getCount() > 0) {
                first.countDown();
                assertThat(release.await(1, TimeUnit.MINUTES)).isTrue();
            }
            runs.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet();
        }, lease);
        List<String> ids = deliver(p, 4);

        try (InboxWorker w = InboxWorker.builder(p).threads(1).prefetch(3).batchSize(10)
                .pollInterval(Duration.ofMillis(10)).build().start()) {
            assertThat(first.await(1, TimeUnit.MINUTES)).isTrue();
            assertThat(w.queuedEvents()).isEqualTo(3);
            clock.advance(lease.plusSeconds(1)); // no renewal could have kept them: they may be taken over
            List<EventRecord> takenOver = store.claimDue("other-worker", lease, 10);
            assertThat(takenOver).hasSize(4);
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (w.queuedEvents() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertThat(w.queuedEvents()).isZero();
        }
        assertThat(runs).as("only the event that had started ran").containsOnlyKeys(ids.get(0));
        for (String id : ids) {
            assertThat(store.find(id).orElseThrow().owner()).as(id).isEqualTo("other-worker");
        }
    }
}
