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
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts a {@link WebhookProcessor} to {@code com.sun.net.httpserver}: reads the raw body (up to
 * the size limit, then stops reading; a {@code Content-Length} over the limit is answered 413
 * before any of the body is read), passes the {@code Stripe-Signature} header, writes the
 * processor's answer. Only {@code POST} is accepted.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8080), 0);
 * server.createContext("/stripe/webhook", new JdkHttpWebhookHandler(processor, 1024 * 1024));
 * server.start();
 * }</pre>
 *
 * <p>Mounted this way the handler processes on the server's own thread. {@link WebhookServer}
 * instead reads the request on a connection thread and hands the processing to a bounded pool of
 * request threads, answering 503 {@code overloaded} when that pool's queue is full.
 */
public final class JdkHttpWebhookHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(JdkHttpWebhookHandler.class);
    private static final String INTERNAL_ERROR = "{\"outcome\":\"internal_error\"}";
    /** The largest buffer allocated for a body before its bytes arrive. */
    static final int MAX_PRESIZE_BYTES = 64 * 1024;

    private final WebhookProcessor processor;
    private final int maxPayloadBytes;
    private final @Nullable ExecutorService requestThreads;
    private final String retryAfterSeconds;

    /**
     * @param maxPayloadBytes the body limit; bodies larger are answered 413 without being read
     *     whole. Use the processor's limit.
     */
    public JdkHttpWebhookHandler(WebhookProcessor processor, int maxPayloadBytes) {
        this(processor, maxPayloadBytes, null, WebhookProcessor.DEFAULT_RETRY_AFTER);
    }

    /**
     * @param requestThreads where requests are processed once read, or null to process on the
     *     calling thread; a request it refuses is answered 503 overloaded with {@code retryAfter}
     */
    JdkHttpWebhookHandler(WebhookProcessor processor, int maxPayloadBytes, @Nullable ExecutorService requestThreads,
            Duration retryAfter) {
        this.processor = Objects.requireNonNull(processor, "processor");
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 1, but was " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.requestThreads = requestThreads;
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        boolean handedOver = false;
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                finishReading();
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, 405, "{\"outcome\":\"method_not_allowed\"}", Map.of());
                return;
            }
            long declared = declaredLength(exchange.getRequestHeaders().getFirst("Content-Length"));
            byte[] body = declared > maxPayloadBytes ? null
                    : readBounded(exchange.getRequestBody(), maxPayloadBytes, (int) Math.max(declared, 0));
            finishReading();
            if (body == null) {
                WebhookResponse tooLarge = WebhookResponse.rejected(Outcome.PAYLOAD_TOO_LARGE, null,
                        "body is larger than the limit of " + maxPayloadBytes + " bytes");
                send(exchange, tooLarge.status(), tooLarge.body(), tooLarge.headers());
                return;
            }
            String signature = exchange.getRequestHeaders().getFirst("Stripe-Signature");
            String remote = exchange.getRemoteAddress() == null ? null
                    : exchange.getRemoteAddress().getAddress().getHostAddress();
            WebhookRequest request = new WebhookRequest(body, signature, remote,
                    exchange.getRequestHeaders().getFirst("X-Forwarded-For"), EventSource.WEBHOOK);
            if (requestThreads == null) {
                answer(exchange, request);
                return;
            }
            try {
                requestThreads.execute(() -> answerAndClose(exchange, request));
                handedOver = true;
            } catch (RejectedExecutionException e) {
                WebhookResponse overloaded = overloaded(requestThreads.isShutdown()
                        ? "the server is stopping; deliver again later"
                        : "every request thread is busy and the request queue is full; deliver again later");
                log.debug("answered 503 overloaded to {}: {}", remote, overloaded.detail());
                send(exchange, overloaded.status(), overloaded.body(), overloaded.headers());
            }
        } finally {
            if (!handedOver) {
                exchange.close();
            }
        }
    }

    /**
     * Ends the read phase on a {@link WebhookServer} connection thread; throws if the connection
     * was closed meanwhile for being slow (read deadline, or its thread was needed for a new request).
     */
    private static void finishReading() throws IOException {
        if (!ConnectionThreads.finishedReading()) {
            throw new IOException("connection closed: its request was read too slowly");
        }
    }

    private WebhookResponse overloaded(String detail) {
        return new WebhookResponse(Outcome.OVERLOADED, null, detail, Map.of("Retry-After", retryAfterSeconds));
    }

    /** On a request thread: processes, answers, and always ends the exchange. */
    private void answerAndClose(HttpExchange exchange, WebhookRequest request) {
        try {
            answer(exchange, request);
        } catch (IOException e) {
            // The client went away, or the response deadline closed the connection.
            log.debug("could not write the answer: {}", e.toString());
        } finally {
            exchange.close();
        }
    }

    private void answer(HttpExchange exchange, WebhookRequest request) throws IOException {
        WebhookResponse response;
        try {
            response = processor.process(request);
        } catch (RuntimeException e) {
            // A bug of ours: answer 500 without details so that Stripe redelivers.
            log.error("webhook request failed unexpectedly", e);
            send(exchange, 500, INTERNAL_ERROR, Map.of());
            return;
        }
        send(exchange, response.status(), response.body(), response.headers());
    }

    /**
     * The request's declared body length, or -1 when absent (chunked) or unreadable; a body larger
     * than declared is still stopped by {@link #readBounded}.
     */
    static long declaredLength(@Nullable String contentLength) {
        if (contentLength == null) {
            return -1;
        }
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads at most {@code limit} bytes; returns null if the stream holds more. */
    static byte @Nullable [] readBounded(InputStream in, int limit) throws IOException {
        return readBounded(in, limit, 0);
    }

    /**
     * Reads at most {@code limit} bytes; returns null if the stream holds more.
     *
     * @param expected the declared length (a sizing hint only, at most {@code limit}), or 0
     */
    static byte @Nullable [] readBounded(InputStream in, int limit, int expected) throws IOException {
        // The hint is capped: a client that declares the limit and then stalls must not make each
        // connection thread reserve the whole limit before a byte arrived.
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(expected > 0 ? expected : 8192,
                Math.min(limit, MAX_PRESIZE_BYTES)));
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
