package dev.hookwise.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.WebhookProcessor;
import java.io.ByteArrayInputStream;
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
        server = WebhookServer.start(processor, new InetSocketAddress("127.0.0.1", 0), "/stripe/webhook", 2);
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
