package dev.hookwise.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.WebhookProcessor;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdkHttpWebhookHandlerTest {
    private static final String SECRET = SignedDeliveries.SECRET;

    private final AtomicInteger handled = new AtomicInteger();
    private WebhookServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(SECRET).maxPayloadBytes(2048)
                .handlers(HandlerRegistry.builder().on("invoice.paid", ctx -> handled.incrementAndGet()).build())
                .build();
        server = WebhookServer.builder().processor(processor).address(new InetSocketAddress("127.0.0.1", 0))
                .path("/stripe/webhook").threads(2).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(byte[] body, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri()).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("Stripe-Signature", signature);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(byte[] body) {
        return SignedDeliveries.sign(body);
    }

    private static byte[] invoicePaid(String id) {
        return SignedDeliveries.event(id, "invoice.paid");
    }

    @Test
    void answersSignedEventOverRealHttp() throws Exception {
        byte[] body = invoicePaid("evt_http_1");
        HttpResponse<String> r = post(body, sign(body));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).isEqualTo("{\"outcome\":\"processed\",\"event_id\":\"evt_http_1\"}");
        assertThat(handled).hasValue(1);
        assertThat(post(body, sign(body)).body()).contains("\"duplicate\"");
        assertThat(handled).hasValue(1);
    }

    @Test
    void rejectsMissingSignatureWith400() throws Exception {
        HttpResponse<String> r = post(invoicePaid("evt_http_2"), null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"outcome\":\"signature_missing\"");
    }

    @Test
    void rejectsOversizedBodyWith413() throws Exception {
        byte[] big = new byte[4096];
        HttpResponse<String> r = post(big, sign(big));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("payload_too_large");
    }

    @Test
    void answers413FromTheDeclaredLengthWithoutWaitingForTheBody() throws Exception {
        // Headers announce 10 MiB, and no body byte is ever sent: the answer can only come from the
        // Content-Length check (reading the body would wait for bytes that never arrive).
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000); // a safety bound for a regression, not a timing assertion
            OutputStream out = socket.getOutputStream();
            out.write(("POST /stripe/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Stripe-Signature: t=1,v1=00\r\nContent-Length: " + (10 * 1024 * 1024) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("HTTP/1.1 413");
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void rejectsOversizedChunkedBodyWith413() throws Exception {
        byte[] big = new byte[4096];
        HttpRequest request = HttpRequest.newBuilder(server.uri())
                .header("Stripe-Signature", sign(big))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))) // no length: chunked
                .build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("payload_too_large");
    }

    @Test
    void declaredLengthIgnoresWhatItCannotRead() {
        assertThat(JdkHttpWebhookHandler.declaredLength(null)).isEqualTo(-1);
        assertThat(JdkHttpWebhookHandler.declaredLength("abc")).isEqualTo(-1);
        assertThat(JdkHttpWebhookHandler.declaredLength(" 42 ")).isEqualTo(42);
    }

    @Test
    void rejectsGetWith405() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void boundedReadStopsAtTheLimit() throws Exception {
        assertThat(JdkHttpWebhookHandler.readBounded(new ByteArrayInputStream(new byte[10]), 10)).hasSize(10);
        assertThat(JdkHttpWebhookHandler.readBounded(new ByteArrayInputStream(new byte[11]), 10)).isNull();
    }

    @Test
    void uriNamesLoopbackAndPath() {
        assertThat(server.uri()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/stripe/webhook"));
    }
}
