package dev.hookwise.core.http;

import static dev.hookwise.core.http.SignedDeliveries.await;
import static dev.hookwise.core.http.SignedDeliveries.deliver;
import static dev.hookwise.core.http.SignedDeliveries.readUntilClosed;
import static dev.hookwise.core.http.SignedDeliveries.deliverAsync;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.WebhookProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow-loris clients against the server. Runs in a JVM of its own (tag {@code own-jvm}): the JDK
 * reads the request deadline once per JVM, and this test needs its short one to be the first.
 */
@Tag("own-jvm")
class WebhookServerSlowClientTest {
    private static final int SLOW_CLIENTS = 64;
    private static final int THREADS = 4;
    private static final Duration REQUEST_DEADLINE = Duration.ofSeconds(2);
    private static final byte[] SLOW_REQUEST = ("POST /stripe/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final List<Socket> slowClients = new ArrayList<>();
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService clientThreads = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(clientThreads).build();
    private final AtomicInteger paid = new AtomicInteger();
    private final CountDownLatch allRequestThreadsBusy = new CountDownLatch(THREADS);
    private WebhookServer server;

    @AfterEach
    void stop() throws IOException {
        trickle.shutdownNow();
        for (Socket s : slowClients) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        clientThreads.shutdownNow();
    }

    @Test
    @Timeout(120)
    void slowClientsAreCutOffAtTheRequestDeadlineWithoutStoppingDeliveries() throws Exception {
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(SignedDeliveries.SECRET)
                .handlers(HandlerRegistry.builder()
                        .on("invoice.paid", ctx -> paid.incrementAndGet())
                        .on("invoice.finalized", ctx -> {
                            // Returns only once THREADS deliveries run at the same time: every request thread is free.
                            allRequestThreadsBusy.countDown();
                            allRequestThreadsBusy.await(60, TimeUnit.SECONDS);
                        })
                        .build())
                .build();
        server = WebhookServer.builder().processor(processor).address(new InetSocketAddress("127.0.0.1", 0))
                .threads(THREADS).queueCapacity(THREADS).requestDeadline(REQUEST_DEADLINE).start();
        assertThat(server.requestDeadline()).contains(REQUEST_DEADLINE);

        // Each slow client sends the first byte now and one more every 5 s, never finishing its headers.
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            s.getOutputStream().write(SLOW_REQUEST[0]);
            s.getOutputStream().flush();
            slowClients.add(s);
        }
        AtomicInteger sent = new AtomicInteger(1);
        trickle.scheduleAtFixedRate(() -> {
            int next = sent.getAndIncrement();
            for (Socket s : slowClients) {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(SLOW_REQUEST[next % SLOW_REQUEST.length]);
                    out.flush();
                } catch (IOException closedByServer) {
                    // expected once the deadline passed
                }
            }
        }, 5, 5, TimeUnit.SECONDS);
        await(() -> server.busyConnectionThreads() >= SLOW_CLIENTS);

        HttpResponse<String> normal = deliver(client, server.uri(), "evt_while_slow", "invoice.paid");

        assertThat(normal.statusCode()).isEqualTo(200);
        assertThat(normal.body()).isEqualTo("{\"outcome\":\"processed\",\"event_id\":\"evt_while_slow\"}");
        assertThat(paid).hasValue(1);

        // The server, not the test, ends every slow connection: a read sees the end of the stream (or a reset).
        for (Socket s : slowClients) {
            assertThat(readUntilClosed(s)).as("slow connection closed by the server").isTrue();
        }
        await(() -> server.busyConnectionThreads() == 0);

        // All threads are back: THREADS + 2 deliveries at once, the first THREADS of which wait for each other.
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < THREADS + 2; i++) {
            burst.add(deliverAsync(client, server.uri(), "evt_burst_" + i, "invoice.finalized"));
        }
        for (CompletableFuture<HttpResponse<String>> f : burst) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"outcome\":\"processed\"");
        }
        assertThat(allRequestThreadsBusy.getCount()).isZero();
    }
}
