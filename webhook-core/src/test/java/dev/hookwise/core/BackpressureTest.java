package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.policy.Backpressure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackpressureTest {
    private final TestClock clock = new TestClock(NOW);
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(clock);
    private final List<String> overloads = new ArrayList<>();
    private final WebhookListener counting = new WebhookListener() {
        @Override
        public void onOverload(String reason) {
            overloads.add(reason);
        }
    };

    private WebhookRequest signed(String id) {
        byte[] body = TestEvents.event(id, "payment_intent.succeeded", NOW);
        return WebhookRequest.of(body, header(SECRET, NOW, body));
    }

    @Test
    void deliveriesBeyondTheInFlightLimitAre503WithRetryAfter() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .backpressure(Backpressure.builder().maxInFlight(1).build()).listener(counting)
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
                    inHandler.countDown();
                    release.await(1, TimeUnit.MINUTES);
                }).build()).build();

        CompletableFuture<WebhookResponse> first = CompletableFuture.supplyAsync(() -> p.process(signed("evt_slow")));
        assertThat(inHandler.await(1, TimeUnit.MINUTES)).isTrue();
        WebhookResponse refused = p.process(signed("evt_next"));
        release.countDown();

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.outcome()).isEqualTo(Outcome.OVERLOADED);
        assertThat(refused.headers()).containsKey("Retry-After");
        assertThat(first.get(1, TimeUnit.MINUTES).outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(store.find("evt_next")).as("nothing recorded for the refused delivery").isEmpty();
        assertThat(overloads).containsExactly("in_flight");
        assertThat(p.process(signed("evt_next")).outcome()).as("accepted once the slot is free").isEqualTo(Outcome.PROCESSED);
    }

    @Test
    void asyncDeliveriesAboveTheBacklogLimitAre503() {
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .mode(ProcessingMode.ASYNC).allowInMemoryInbox(true).listener(counting)
                .backpressure(Backpressure.builder().maxBacklog(2).backlogRefresh(Duration.ZERO).build())
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {}).build()).build();

        assertThat(p.process(signed("evt_b1")).outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(p.process(signed("evt_b2")).outcome()).isEqualTo(Outcome.QUEUED);
        WebhookResponse third = p.process(signed("evt_b3"));

        assertThat(third.status()).isEqualTo(503);
        assertThat(third.outcome()).isEqualTo(Outcome.OVERLOADED);
        assertThat(overloads).containsExactly("backlog");

        InboxWorker.builder(p).build().drainOnce();
        assertThat(p.process(signed("evt_b3")).outcome()).isEqualTo(Outcome.QUEUED);
    }

    @Test
    void backlogFigureIsReadAtMostOncePerRefreshInterval() {
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .mode(ProcessingMode.ASYNC).allowInMemoryInbox(true)
                .backpressure(Backpressure.builder().maxBacklog(1).backlogRefresh(Duration.ofSeconds(5)).build())
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {}).build()).build();

        assertThat(p.process(signed("evt_r1")).outcome()).isEqualTo(Outcome.QUEUED);
        // The figure read before evt_r1 (0) is still fresh: one more is accepted.
        assertThat(p.process(signed("evt_r2")).outcome()).isEqualTo(Outcome.QUEUED);
        clock.advance(Duration.ofSeconds(6));
        assertThat(p.process(signed("evt_r3")).outcome()).isEqualTo(Outcome.OVERLOADED);
    }
}
