package dev.hookwise.core.http;

import static dev.hookwise.core.http.SignedDeliveries.await;
import static dev.hookwise.core.http.SignedDeliveries.deliver;
import static dev.hookwise.core.http.SignedDeliveries.readUntilClosed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.HookwiseConfigurationException;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More slow-loris connections than connection threads, over real sockets: deliveries are still
 * answered, and a stalled request (headers or body) loses its connection at the read deadline.
 */
class WebhookServerSlowLorisTest {
    private static final int CONNECTION_THREADS = 8;
    private static final int SLOW_CLIENTS = 8 * CONNECTION_THREADS;
    private static final byte[] STALLED_HEAD = "POST /stripe/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STALLED_BODY = ("POST /stripe/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Stripe-Signature: t=1,v1=00\r\nContent-Length: 100\r\n\r\n{\"id\":").getBytes(StandardCharsets.US_ASCII);

    private final List<Socket> slowClients = new ArrayList<>();
    private final ExecutorService clientThreads = Executors.newFixedThreadPool(2);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(clientThreads).build();
    private final AtomicInteger paid = new AtomicInteger();
    private WebhookServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : slowClients) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        clientThreads.shutdownNow();
    }

    private WebhookServer start(int connectionThreads, Duration readDeadline) throws IOException {
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(SignedDeliveries.SECRET)
                .handlers(HandlerRegistry.builder().on("invoice.paid", ctx -> paid.incrementAndGet()).build())
                .build();
        server = WebhookServer.builder().processor(processor).address(new InetSocketAddress("127.0.0.1", 0))
                .threads(2).connectionThreads(connectionThreads).readDeadline(readDeadline).start();
        return server;
    }

    private Socket stalled(byte[] partialRequest) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        OutputStream out = s.getOutputStream();
        out.write(partialRequest);
        out.flush();
        slowClients.add(s);
        return s;
    }

    @Test
    @Timeout(120)
    void answersDeliveriesWhileMoreStalledConnectionsThanConnectionThreadsAreOpen() throws Exception {
        // A read deadline far beyond the test: only making room can free a thread.
        start(CONNECTION_THREADS, Duration.ofHours(1));
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            stalled(STALLED_HEAD);
            // Every stalled request beyond the thread count closes the longest-reading one and takes its
            // thread. One at a time: a burst faster than cut threads unwind would fill the wait queue and
            // have the server refuse newcomers (a flood), which is not what this test is about.
            long cuts = Math.max(0, i + 1 - CONNECTION_THREADS);
            await(() -> server.connectionsClosedToMakeRoom() == cuts && server.waitingForConnectionThread() == 0);
        }
        await(() -> server.busyConnectionThreads() == CONNECTION_THREADS);

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> normal = deliver(client, server.uri(), "evt_among_slow_" + i, "invoice.paid");

            assertThat(normal.statusCode()).isEqualTo(200);
            assertThat(normal.body()).isEqualTo("{\"outcome\":\"processed\",\"event_id\":\"evt_among_slow_" + i + "\"}");
        }
        assertThat(paid).hasValue(3);
        // The first delivery took the thread of a stalled request (the ones after it may have found
        // that thread still free); no connection reached a deadline.
        assertThat(server.connectionsClosedToMakeRoom())
                .isBetween(SLOW_CLIENTS - CONNECTION_THREADS + 1L, SLOW_CLIENTS - CONNECTION_THREADS + 3L);
        assertThat(server.connectionsClosedPastReadDeadline()).isZero();
    }

    @Test
    @Timeout(120)
    void closesAConnectionStalledInItsHeadersOrBodyAtTheReadDeadline() throws Exception {
        start(1, Duration.ofMillis(200));

        Socket inHeaders = stalled(STALLED_HEAD);
        assertThat(readUntilClosed(inHeaders)).as("closed by the server").isTrue();
        await(() -> server.connectionsClosedPastReadDeadline() == 1);
        // The only connection thread is free again, and no interrupt was left on it for the next request.
        assertThat(deliver(client, server.uri(), "evt_after_head", "invoice.paid").statusCode()).isEqualTo(200);

        Socket inBody = stalled(STALLED_BODY);
        assertThat(readUntilClosed(inBody)).as("closed by the server").isTrue();
        await(() -> server.connectionsClosedPastReadDeadline() == 2);
        assertThat(deliver(client, server.uri(), "evt_after_body", "invoice.paid").statusCode()).isEqualTo(200);
        assertThat(paid).hasValue(2);
        assertThat(server.connectionsClosedToMakeRoom()).isZero();
    }

    @Test
    void rejectsAReadDeadlineBelow100Milliseconds() {
        assertThatThrownBy(() -> WebhookServer.builder().readDeadline(Duration.ofMillis(99)))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("readDeadline must be at least 100 ms, but was PT0.099S");
    }
}
