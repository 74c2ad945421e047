package dev.hookwise.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookRequest;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.spi.EventSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts a {@link WebhookProcessor} to {@code com.sun.net.httpserver}: reads the raw body (up to
 * the size limit, then stops reading), passes the {@code Stripe-Signature} header, writes the
 * processor's answer. Only {@code POST} is accepted.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8080), 0);
 * server.createContext("/stripe/webhook", new JdkHttpWebhookHandler(processor, 1024 * 1024));
 * server.start();
 * }</pre>
 */
public final class JdkHttpWebhookHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(JdkHttpWebhookHandler.class);

    private final WebhookProcessor processor;
    private final int maxPayloadBytes;

    /**
     * @param maxPayloadBytes the body limit; bodies larger are answered 413 without being read
     *     whole. Use the processor's limit.
     */
    public JdkHttpWebhookHandler(WebhookProcessor processor, int maxPayloadBytes) {
        this.processor = Objects.requireNonNull(processor, "processor");
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 1, but was " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, 405, "{\"outcome\":\"method_not_allowed\"}", Map.of());
                return;
            }
            byte[] body = readBounded(exchange.getRequestBody(), maxPayloadBytes);
            if (body == null) {
                WebhookResponse tooLarge = WebhookResponse.rejected(Outcome.PAYLOAD_TOO_LARGE, null,
                        "body is larger than the limit of " + maxPayloadBytes + " bytes");
                send(exchange, tooLarge.status(), tooLarge.body(), tooLarge.headers());
                return;
            }
            String signature = exchange.getRequestHeaders().getFirst("Stripe-Signature");
            String remote = exchange.getRemoteAddress() == null ? null
                    : exchange.getRemoteAddress().getAddress().getHostAddress();
            WebhookResponse response = processor.process(new WebhookRequest(body, signature, remote,
                    exchange.getRequestHeaders().getFirst("X-Forwarded-For"), EventSource.WEBHOOK));
            send(exchange, response.status(), response.body(), response.headers());
        } catch (RuntimeException e) {
            // A bug of ours: answer 500 without details so that Stripe redelivers.
            log.error("webhook request failed unexpectedly", e);
            send(exchange, 500, "{\"outcome\":\"internal_error\"}", Map.of());
        }
    }

    /** Reads at most {@code limit} bytes; returns null if the stream holds more. */
    static byte[] readBounded(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 8192));
        byte[] buffer = new byte[8192];
        int total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static void send(HttpExchange exchange, int status, String json, Map<String, String> headers)
            throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }
}
