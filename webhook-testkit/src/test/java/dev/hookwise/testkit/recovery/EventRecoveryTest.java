package dev.hookwise.testkit.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.recovery.EventRecovery;
import dev.hookwise.core.recovery.RecoveryReport;
import dev.hookwise.core.recovery.StripeApiRetry;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.testkit.FakeStripeApi;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Missed-event recovery against the fake Stripe API, with stripe-java doing the HTTP. */
class EventRecoveryTest {
    private static final String SECRET = "whsec_recovery_test";

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-20T12:00:00Z"));
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(clock);
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final List<String> sources = new ArrayList<>();
    private FakeStripeApi stripe;
    private WebhookProcessor processor;

    @BeforeEach
    void start() {
        stripe = FakeStripeApi.start();
        processor = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .handlers(HandlerRegistry.builder().onAny(ctx -> {
                    handled.add(ctx.eventId());
                    synchronized (sources) {
                        sources.add(ctx.source().name());
                    }
                }).build())
                .build();
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    private EventRecovery.Builder recovery() {
        return EventRecovery.builder(processor, stripe.client()).clock(clock)
                .retry(StripeApiRetry.of(5, Duration.ofMillis(1)));
    }

    /** 1,000 events over the last two days; all are in the fake API, all but {@code dropped} were delivered. */
    private Set<String> deliverAllBut(int total, int every) {
        StripeEventFactory events = StripeEventFactory.create(clock, 42);
        WebhookSigner signer = WebhookSigner.forSecret(SECRET);
        Set<String> dropped = new HashSet<>();
        for (int i = 0; i < total; i++) {
            TestEvent e = events.paymentIntentSucceeded()
                    .created(clock.instant().minus(Duration.ofHours(48)).plusSeconds(i * 60L))
                    .metadata("order_id", "ord_" + i).build();
            stripe.addEvent(e);
            if (i % every == 0) {
                dropped.add(e.id());
            } else {
                assertThat(processor.process(signer.request(e, clock.instant())).status()).isEqualTo(200);
            }
        }
        return dropped;
    }

    @Test
    void recoversExactlyTheDroppedEventsAndNothingOnASecondRun() {
        Set<String> dropped = deliverAllBut(1000, 20);
        assertThat(dropped).hasSize(50);
        handled.clear();
        sources.clear();

        RecoveryReport first = recovery().build().run();

        assertThat(first.complete()).isTrue();
        assertThat(first.listed()).isEqualTo(1000);
        assertThat(first.alreadyKnown()).isEqualTo(950);
        assertThat(first.recovered()).isEqualTo(50);
        assertThat(first.failed()).isZero();
        assertThat(first.items()).extracting(RecoveryReport.Item::eventId).containsExactlyInAnyOrderElementsOf(dropped);
        assertThat(handled).isEqualTo(dropped);
        assertThat(sources).containsOnly("RECOVERY");
        assertThat(stripe.requests("/v1/events").size()).as("pages of 100").isGreaterThanOrEqualTo(10);
        assertThat(dropped).allSatisfy(id -> {
            EventRecord row = store.find(id).orElseThrow();
            assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
            assertThat(row.source()).isEqualTo(EventSource.RECOVERY);
        });

        RecoveryReport second = recovery().build().run();
        assertThat(second.recovered()).isZero();
        assertThat(second.alreadyKnown()).isEqualTo(1000);
        assertThat(handled).hasSize(50);
    }

    @Test
    void dryRunReportsWithoutProcessing() {
        Set<String> dropped = deliverAllBut(120, 10);
        handled.clear();

        RecoveryReport report = recovery().dryRun(true).build().run();

        assertThat(report.dryRun()).isTrue();
        assertThat(report.recovered()).isEqualTo(dropped.size());
        assertThat(report.items()).allSatisfy(i -> assertThat(i.result()).isEqualTo("missing"));
        assertThat(handled).isEmpty();
        assertThat(dropped).allSatisfy(id -> assertThat(store.find(id)).isEmpty());
    }

    @Test
    void completesThoughStripeAnswers429ThreeTimes() {
        Set<String> dropped = deliverAllBut(30, 3);
        stripe.failNext(3, 429);

        RecoveryReport report = recovery().build().run();

        assertThat(report.complete()).isTrue();
        assertThat(report.recovered()).isEqualTo(dropped.size());
        assertThat(stripe.requests("/v1/events").stream().filter(r -> r.status() == 429).count()).isEqualTo(3);
    }

    @Test
    void invalidApiKeyIsAClearErrorAndChangesNothing() {
        deliverAllBut(10, 2);
        int before = store.size();
        com.stripe.StripeClient wrongKey = com.stripe.StripeClient.builder().setApiKey("sk_live_wrong")
                .setApiBase(stripe.baseUrl()).setMaxNetworkRetries(0).build();

        RecoveryReport report = EventRecovery.builder(processor, wrongKey).clock(clock)
                .retry(StripeApiRetry.of(3, Duration.ofMillis(1))).build().run();

        assertThat(report.complete()).isFalse();
        assertThat(report.error()).contains("refused the API key").doesNotContain("sk_live_wrong");
        assertThat(report.recovered()).isZero();
        assertThat(store.size()).isEqualTo(before);
        assertThat(stripe.requests("/v1/events")).as("a refusal is not retried").hasSize(1);
    }

    @Test
    void recoversAnEventThatWasRecordedAsStale() {
        StripeEventFactory events = StripeEventFactory.create(clock, 7);
        TestEvent old = events.paymentIntentSucceeded().created(clock.instant().minus(Duration.ofHours(70))).build();
        stripe.addEvent(old);
        WebhookProcessor strict = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .eventAgePolicy(dev.hookwise.core.policy.EventAgePolicy.maxAge(Duration.ofHours(1)))
                .handlers(HandlerRegistry.builder().onAny(ctx -> handled.add(ctx.eventId())).build()).build();
        strict.process(WebhookSigner.forSecret(SECRET).request(old, clock.instant()));
        assertThat(store.find(old.id()).orElseThrow().status()).isEqualTo(EventStatus.SKIPPED_STALE);

        RecoveryReport report = EventRecovery.builder(strict, stripe.client()).clock(clock).build().run();

        assertThat(report.recovered()).isEqualTo(1);
        assertThat(handled).containsExactly(old.id());
        assertThat(store.find(old.id()).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
    }

    @Test
    void onlyEventsInsideTheLookbackAreListed() {
        deliverAllBut(100, 1); // all dropped, created 48h ago .. 46h20m ago
        RecoveryReport report = recovery().lookback(Duration.ofHours(47)).build().run();
        List<String> types = report.items().stream().map(RecoveryReport.Item::type).distinct().collect(Collectors.toList());
        assertThat(report.listed()).isBetween(1, 99);
        assertThat(types).containsExactly("payment_intent.succeeded");
        assertThat(store.search(EventQuery.builder().limit(1000).build())).hasSize(report.listed());
    }
}
