package dev.hookwise.core.http;

import static dev.hookwise.core.http.SignedDeliveries.await;
import static dev.hookwise.core.http.SignedDeliveries.deliver;
import static dev.hookwise.core.http.SignedDeliveries.deliverAsync;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.WebhookProcessor;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WebhookServerOverloadTest {
    private static final int THREADS = 2;
    private static final int QUEUE = 2;

    private final CountDownLatch entered = new CountDownLatch(THREADS);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger handled = new AtomicInteger();
    private final ExecutorService clientThreads = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(clientThreads).build();
    private WebhookServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
        clientThreads.shutdownNow();
    }

    private WebhookServer start() throws Exception {
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(SignedDeliveries.SECRET)
                .handlers(HandlerRegistry.builder().on("invoice.paid", ctx -> {
                    entered.countDown();
                    // Bounded like every wait; the test releases long before.
                    release.await(60, TimeUnit.SECONDS);
                    handled.incrementAndGet();
                }).build())
                .build();
        return WebhookServer.builder().processor(processor).address(new InetSocketAddress("127.0.0.1", 0))
                .threads(THREADS).queueCapacity(QUEUE).retryAfter(Duration.ofSeconds(7)).start();
    }

    @Test
    @Timeout(60)
    void fullQueueIsAnswered503OverloadedAndQueuedDeliveriesAreAnsweredOnceThreadsFree() throws Exception {
        server = start();
        List<CompletableFuture<HttpResponse<String>>> accepted = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            accepted.add(deliverAsync(client, server.uri(), "evt_running_" + i, "invoice.paid"));
        }
        entered.await();
        for (int i = 0; i < QUEUE; i++) {
            accepted.add(deliverAsync(client, server.uri(), "evt_queued_" + i, "invoice.paid"));
        }
        await(() -> server.queuedRequests() == QUEUE);

        HttpResponse<String> refused = deliver(client, server.uri(), "evt_refused", "invoice.paid");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("7");
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(refused.body()).startsWith("{\"outcome\":\"overloaded\",\"detail\":\"")
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("evt_refused");
        assertThat(handled).hasValue(0);

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> f : accepted) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"outcome\":\"processed\"");
        }
        assertThat(handled).hasValue(THREADS + QUEUE);
        assertThat(server.queuedRequests()).isZero();
    }

    @Test
    @Timeout(60)
    void refusedDeliveryIsAcceptedOnceTheQueueHasRoom() throws Exception {
        server = start();
        List<CompletableFuture<HttpResponse<String>>> accepted = new ArrayList<>();
        for (int i = 0; i < THREADS + QUEUE; i++) {
            accepted.add(deliverAsync(client, server.uri(), "evt_fill_" + i, "invoice.paid"));
        }
        entered.await();
        await(() -> server.queuedRequests() == QUEUE);
        assertThat(deliver(client, server.uri(), "evt_again", "invoice.paid").statusCode()).isEqualTo(503);

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> f : accepted) {
            assertThat(f.get().statusCode()).isEqualTo(200);
        }
        // Stripe's redelivery of the refused event: nothing was recorded for it, so it is processed now.
        HttpResponse<String> again = deliver(client, server.uri(), "evt_again", "invoice.paid");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"outcome\":\"processed\",\"event_id\":\"evt_again\"}");
    }
}
