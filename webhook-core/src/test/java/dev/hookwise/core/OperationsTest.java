package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.metrics.MicrometerWebhookMetrics;
import dev.hookwise.core.operations.EventRetention;
import dev.hookwise.core.operations.WebhookHealth;
import dev.hookwise.core.operations.WebhookReport;
import dev.hookwise.core.operations.WebhookReports;
import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.StoreUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Retention, health, reports, metrics and outage behaviour on the in-memory store. */
class OperationsTest {
    private final TestClock clock = new TestClock(NOW);
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(clock);

    private static NewEvent event(String id, String type, Instant created) {
        return new NewEvent(id, type, created, false, null, null, EventSource.WEBHOOK, new byte[] {'{', '}'});
    }

    private void completed(String id, String type, Duration took) {
        store.claim(event(id, type, clock.instant()), "o", Duration.ofMinutes(5));
        store.complete(new ClaimToken(id, "o", 1), took);
    }

    @Test
    void retentionPurgesOldCompletedAndIgnoredEventsOnly() {
        completed("evt_old_done", "invoice.paid", Duration.ofMillis(5));
        store.recordFinal(event("evt_old_ignored", "customer.created", NOW), EventStatus.IGNORED, "unhandled_type");
        store.recordFinal(event("evt_old_stale", "invoice.paid", NOW), EventStatus.SKIPPED_STALE, "stale");
        store.claim(event("evt_old_dead", "invoice.paid", NOW), "o", Duration.ofMinutes(5));
        store.markDead(new ClaimToken("evt_old_dead", "o", 1), "bug");
        store.claim(event("evt_old_failed", "invoice.paid", NOW), "o", Duration.ofMinutes(5));
        store.retryAt(new ClaimToken("evt_old_failed", "o", 1), "timeout", NOW.plusSeconds(60));
        store.enqueue(event("evt_old_queued", "invoice.paid", NOW));
        clock.advance(Duration.ofDays(91));
        completed("evt_recent", "invoice.paid", Duration.ofMillis(5));

        int deleted = EventRetention.builder(store).clock(clock).batchSize(1).build().purge();

        assertThat(deleted).isEqualTo(2);
        assertThat(store.find("evt_old_done")).isEmpty();
        assertThat(store.find("evt_old_ignored")).isEmpty();
        assertThat(store.find("evt_old_stale")).isPresent();
        assertThat(store.find("evt_old_dead")).isPresent();
        assertThat(store.find("evt_old_failed")).isPresent();
        assertThat(store.find("evt_old_queued")).isPresent();
        assertThat(store.find("evt_recent")).isPresent();
    }

    @Test
    void healthIsUpWhenQuietAndDegradedOnBacklogOrFailureRate() {
        WebhookHealth health = WebhookHealth.builder(store).clock(clock).backlogThreshold(3).build();
        assertThat(health.check().status()).isEqualTo(WebhookHealth.Status.UP);

        for (int i = 0; i < 3; i++) {
            store.enqueue(event("evt_wait_" + i, "invoice.paid", NOW));
        }
        WebhookHealth.HealthReport backlogged = health.check();
        assertThat(backlogged.status()).isEqualTo(WebhookHealth.Status.DEGRADED);
        assertThat(backlogged.problems()).singleElement().asString().contains("backlog 3");
        assertThat(backlogged.details()).containsEntry("backlog", 3L);

        WebhookHealth rates = WebhookHealth.builder(InMemoryIdempotencyStore.create(clock)).clock(clock).build();
        for (int i = 0; i < 999; i++) {
            rates.onHandled("invoice.paid", Outcome.PROCESSED, Duration.ofMillis(1), false);
        }
        rates.onHandled("invoice.paid", Outcome.FAILED_TRANSIENT, Duration.ofMillis(1), false);
        assertThat(rates.check().status()).as("0.1 %% is not above 0.1 %%").isEqualTo(WebhookHealth.Status.UP);
        rates.onHandled("invoice.paid", Outcome.FAILED_TRANSIENT, Duration.ofMillis(1), false);
        assertThat(rates.check().status()).isEqualTo(WebhookHealth.Status.DEGRADED);
        assertThat(rates.check().problems()).singleElement().asString().contains("failure rate");

        clock.advance(Duration.ofMinutes(16));
        assertThat(rates.check().status()).as("failures leave the window").isEqualTo(WebhookHealth.Status.UP);
    }

    @Test
    void healthReportsAnUnreachableStore() {
        WebhookHealth health = WebhookHealth.builder(failingStore(new AtomicBoolean(true))).clock(clock).build();
        WebhookHealth.HealthReport report = health.check();
        assertThat(report.status()).isEqualTo(WebhookHealth.Status.DOWN);
        assertThat(report.details()).containsEntry("store", "unreachable");
    }

    @Test
    void reportFiguresMatchKnownInputs() {
        for (int i = 1; i <= 100; i++) {
            completed("evt_ok_" + i, i % 2 == 0 ? "invoice.paid" : "charge.refunded", Duration.ofMillis(i));
        }
        for (int i = 0; i < 3; i++) {
            store.claim(event("evt_dead_" + i, "invoice.paid", NOW), "o", Duration.ofMinutes(5));
            store.markDead(new ClaimToken("evt_dead_" + i, "o", 1), "java.lang.IllegalStateException: no order\n\tat x");
        }
        store.claim(event("evt_retry", "invoice.paid", NOW), "o", Duration.ofMinutes(5));
        store.retryAt(new ClaimToken("evt_retry", "o", 1), "java.net.SocketTimeoutException: read timed out", NOW.plusSeconds(30));
        store.recordFinal(event("evt_outside", "invoice.paid", NOW.minus(Duration.ofDays(2))), EventStatus.IGNORED, "x");

        WebhookReport r = WebhookReports.of(store).report(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(1)));

        assertThat(r.total()).isEqualTo(104);
        assertThat(r.countsByType().get("invoice.paid")).containsEntry("completed", 50L).containsEntry("dead", 3L)
                .containsEntry("failed", 1L);
        assertThat(r.countsByType().get("charge.refunded")).containsEntry("completed", 50L);
        assertThat(r.processingTime().count()).isEqualTo(100);
        assertThat(r.processingTime().p50()).isEqualTo(Duration.ofMillis(50));
        assertThat(r.processingTime().p95()).isEqualTo(Duration.ofMillis(95));
        assertThat(r.processingTime().p99()).isEqualTo(Duration.ofMillis(99));
        assertThat(r.processingTime().max()).isEqualTo(Duration.ofMillis(100));
        assertThat(r.errors()).containsEntry("java.lang.IllegalStateException: no order", 3L)
                .containsEntry("java.net.SocketTimeoutException: read timed out", 1L);
        assertThat(r.failedEvents()).hasSize(4);
        assertThat(r.truncated()).isFalse();
        assertThat(r.toJson()).contains("\"total\":104").contains("\"p95\":95.0").contains("\"dead\":3");

        WebhookReport small = WebhookReports.of(store).withMaxEvents(10).report(NOW.minus(Duration.ofHours(1)), NOW.plusSeconds(3600));
        assertThat(small.total()).isEqualTo(10);
        assertThat(small.truncated()).isTrue();
    }

    @Test
    void micrometerCountsOutcomesAndTimesHandlers() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerWebhookMetrics metrics = MicrometerWebhookMetrics.bind(registry, store, clock);
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store).listener(metrics)
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {}).build()).build();
        byte[] body = TestEvents.event("evt_m1", "payment_intent.succeeded", NOW);

        p.process(WebhookRequest.of(body, header(SECRET, NOW, body)));
        p.process(WebhookRequest.of(body, header(SECRET, NOW, body)));
        p.process(WebhookRequest.of(body, "t=1,v1=00"));
        store.enqueue(event("evt_pending", "invoice.paid", NOW));
        clock.advance(Duration.ofSeconds(42));

        assertThat(registry.get("hookwise.webhook.responses").tag("outcome", "processed").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("hookwise.webhook.responses").tag("outcome", "duplicate").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("hookwise.webhook.responses").tag("outcome", "signature_no_match").tag("type", "unknown")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("hookwise.webhook.signature.failures").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("hookwise.webhook.processing").tag("type", "payment_intent.succeeded").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("hookwise.inbox.backlog").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("hookwise.inbox.oldest.pending.age").gauge().value()).isEqualTo(42.0);
    }

    @Test
    void listenerFailureNeverReachesThePipeline() {
        WebhookListener broken = new WebhookListener() {
            @Override
            public void onResponse(WebhookResponse response, String eventType) {
                throw new IllegalStateException("listener bug");
            }
        };
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store).listener(broken)
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {}).build()).build();
        byte[] body = TestEvents.event("evt_l", "payment_intent.succeeded", NOW);
        assertThat(p.process(WebhookRequest.of(body, header(SECRET, NOW, body))).outcome()).isEqualTo(Outcome.PROCESSED);
    }

    @Test
    void outageGives503sAndNothingIsLostAfterwards() {
        AtomicBoolean down = new AtomicBoolean(false);
        IdempotencyStore flaky = failingStore(down);
        java.util.Set<String> handled = java.util.concurrent.ConcurrentHashMap.newKeySet();
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(flaky)
                .mode(ProcessingMode.ASYNC).allowInMemoryInbox(true)
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> handled.add(ctx.eventId())).build())
                .build();
        InboxWorker worker = InboxWorker.builder(p).build();
        java.util.List<String> acknowledged = new java.util.ArrayList<>();
        java.util.List<String> refused = new java.util.ArrayList<>();

        for (int i = 0; i < 30; i++) {
            down.set(i >= 10 && i < 20); // the database goes away for deliveries 10..19
            String id = "evt_outage_" + i;
            byte[] body = TestEvents.event(id, "payment_intent.succeeded", NOW);
            WebhookResponse r = p.process(WebhookRequest.of(body, header(SECRET, NOW, body)));
            (r.status() == 200 ? acknowledged : refused).add(id);
            if (r.status() != 200) {
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.body()).doesNotContain("Exception").doesNotContain("at ");
            }
        }
        down.set(true);
        org.assertj.core.api.Assertions.assertThatThrownBy(worker::drainOnce).isInstanceOf(StoreUnavailableException.class);
        down.set(false);
        // Stripe redelivers what was refused.
        for (String id : refused) {
            byte[] body = TestEvents.event(id, "payment_intent.succeeded", NOW);
            assertThat(p.process(WebhookRequest.of(body, header(SECRET, NOW, body))).status()).isEqualTo(200);
        }
        worker.drainAll(100);

        assertThat(refused).hasSize(10);
        assertThat(handled).hasSize(30);
        assertThat(store.search(dev.hookwise.core.spi.EventQuery.builder().statuses(EventStatus.COMPLETED).build())).hasSize(30);
    }

    /** The in-memory store behind a switch that makes every call fail as an unreachable database would. */
    private dev.hookwise.core.spi.InboxStore failingStore(AtomicBoolean down) {
        return (dev.hookwise.core.spi.InboxStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {dev.hookwise.core.spi.InboxStore.class},
                (proxy, method, args) -> {
                    if (down.get()) {
                        throw new StoreUnavailableException("connection refused");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void backlogAgeIsZeroWhenEmpty() {
        assertThat(Backlog.EMPTY.oldestPendingAge(NOW)).isZero();
        assertThat(new Backlog(1, 0, NOW.plusSeconds(5)).oldestPendingAge(NOW)).as("clock skew").isZero();
    }
}
