package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** 32 threads deliver the same event at once: the handler runs exactly once. */
class ConcurrentDeliveryTest {
    private static final int THREADS = 32;

    @Test
    void handlerRunsOnceWhileOthersAreToldInProgress() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch othersAnswered = new CountDownLatch(THREADS - 1);
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
                    runs.incrementAndGet();
                    // Hold the claim until every other delivery has been answered.
                    othersAnswered.await(1, TimeUnit.MINUTES);
                }).build())
                .build();
        byte[] body = TestEvents.event("evt_race", "payment_intent.succeeded", NOW);
        WebhookRequest request = WebhookRequest.of(body, header(SECRET, NOW, body));

        List<WebhookResponse> responses = deliverConcurrently(THREADS, () -> {
            WebhookResponse r = p.process(request);
            if (r.outcome() != Outcome.PROCESSED) {
                othersAnswered.countDown();
            }
            return r;
        });

        assertThat(runs).hasValue(1);
        Map<Outcome, Integer> counts = count(responses);
        assertThat(counts).containsEntry(Outcome.PROCESSED, 1).containsEntry(Outcome.IN_PROGRESS, THREADS - 1);
        assertThat(responses).filteredOn(r -> r.outcome() == Outcome.IN_PROGRESS)
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(409));
    }

    @Test
    void manyEventsDeliveredConcurrentlyRunEachHandlerOnce() throws Exception {
        Map<String, AtomicInteger> effects = new ConcurrentHashMap<>();
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded",
                        ctx -> effects.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet()).build())
                .build();
        int events = 300;
        List<WebhookRequest> requests = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            byte[] body = TestEvents.event("evt_many_" + i, "payment_intent.succeeded", NOW);
            requests.add(WebhookRequest.of(body, header(SECRET, NOW, body)));
        }

        List<List<WebhookResponse>> all = deliverConcurrently(THREADS, () -> {
            List<WebhookResponse> out = new ArrayList<>();
            for (WebhookRequest r : requests) {
                out.add(p.process(r));
            }
            return out;
        });

        assertThat(effects).hasSize(events);
        assertThat(effects.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        Map<Outcome, Integer> counts = count(all.stream().flatMap(List::stream).toList());
        assertThat(counts.get(Outcome.PROCESSED)).isEqualTo(events);
        assertThat(counts.keySet()).isSubsetOf(Outcome.PROCESSED, Outcome.DUPLICATE, Outcome.IN_PROGRESS);
    }

    private static Map<Outcome, Integer> count(List<WebhookResponse> responses) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        responses.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        return counts;
    }

    private static <T> List<T> deliverConcurrently(int threads, java.util.concurrent.Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(2, TimeUnit.MINUTES));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
