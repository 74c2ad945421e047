package dev.hookwise.servlet;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.policy.SourceAddressFilter;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HookwiseServlet} over real HTTP in a servlet container: one small subclass per container
 * starts it on 127.0.0.1 and a random port, registering the servlet the container's own way.
 */
abstract class HookwiseServletTestBase {
    static final String PATH = "/stripe/webhook";
    static final int LIMIT = 8 * 1024;
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-01T10:00:00Z"));
    private final WebhookSigner signer = WebhookSigner.forSecret("whsec_servlet_test_0123456789").withClock(clock);
    private final StripeEventFactory events = StripeEventFactory.create(clock);
    private final AtomicInteger runs = new AtomicInteger();
    private final RequestRecorder recorder = new RequestRecorder();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(BOUND)
            .build();
    private @Nullable RunningContainer container;

    /**
     * Starts the container with {@code servlet} mounted at {@link #PATH} (when not null), then runs
     * {@code setup} as the context starts.
     */
    abstract RunningContainer start(@Nullable HookwiseServlet servlet, ServletContainerInitializer setup) throws Exception;

    @AfterEach
    void stopContainer() throws Exception {
        if (container != null) {
            container.stop();
        }
    }

    @Test
    void signedEventIsProcessedAndItsHandlerRunsOnce() throws Exception {
        serve(processor().build());
        TestEvent event = events.paymentIntentSucceeded().build();

        HttpResponse<String> response = post(event.bytes(), signer.sign(event));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"outcome\":\"processed\",\"event_id\":\"" + event.id() + "\"}");
        assertThat(runs).hasValue(1);
        assertThat(recorder.next().bytesRead()).isEqualTo(event.bytes().length);
    }

    @Test
    void secondDeliveryOfTheSameEventIsAnsweredDuplicateWithoutRunningTheHandler() throws Exception {
        serve(processor().build());
        TestEvent event = events.paymentIntentSucceeded().build();

        assertThat(post(event.bytes(), signer.sign(event)).body()).contains("\"processed\"");
        HttpResponse<String> again = post(event.bytes(), signer.sign(event));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"outcome\":\"duplicate\",\"event_id\":\"" + event.id() + "\"}");
        assertThat(runs).hasValue(1);
    }

    @Test
    void forgedOrMissingSignatureIsRejectedWith400() throws Exception {
        serve(processor().build());
        TestEvent event = events.paymentIntentSucceeded().build();

        HttpResponse<String> forged = post(event.bytes(), signer.sign(event, clock.instant(), WebhookSigner.Options.defaults().wrongSecret()));
        HttpResponse<String> unsigned = post(event.bytes(), null);

        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).startsWith("{\"outcome\":\"signature_no_match\"");
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(unsigned.body()).startsWith("{\"outcome\":\"signature_missing\"");
        assertThat(runs).hasValue(0);
    }

    @Test
    void everyMethodButPostIs405WithAllowPost() throws Exception {
        serve(processor().build());

        for (String method : new String[] {"GET", "PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> response = client.send(request().method(method, BodyPublishers.noBody()).build(),
                    BodyHandlers.ofString());

            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).as(method).hasValue("POST");
            assertThat(response.body()).as(method).startsWith("{\"outcome\":\"method_not_allowed\"");
        }
    }

    @Test
    void contentLengthOverTheLimitIsAnswered413BeforeAnyBodyByteIsSent() throws Exception {
        serve(processor().build());

        // Headers only: were the servlet to read the body it would wait for bytes that never come.
        try (Socket socket = connect()) {
            socket.getOutputStream().write(head("POST", "Content-Length: " + (100 * LIMIT)));
            socket.getOutputStream().flush();

            RawResponse response = RawResponse.read(socket.getInputStream());

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).startsWith("{\"outcome\":\"payload_too_large\"");
        }
        assertThat(recorder.next().bytesRead()).isZero();
    }

    @Test
    void oversizedBodyWithContentLengthIsNotRead() throws Exception {
        serve(processor().build());
        byte[] body = new byte[LIMIT + 1];

        HttpResponse<String> response = post(body, "t=1,v1=00");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("{\"outcome\":\"payload_too_large\",\"detail\":\"body is larger than the limit of "
                + LIMIT + " bytes\"}");
        assertThat(recorder.next().bytesRead()).isZero();
    }

    @Test
    void bodyOfExactlyTheLimitIsReadAndVerified() throws Exception {
        serve(processor().build());

        HttpResponse<String> response = post(new byte[LIMIT], "t=1,v1=00");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"outcome\":\"signature_");
        assertThat(recorder.next().bytesRead()).isEqualTo(LIMIT);
    }

    @Test
    void chunkedBodyOverTheLimitIs413AfterReadingOneByteMoreThanTheLimit() throws Exception {
        serve(processor().build());
        byte[] body = new byte[4 * LIMIT];

        // No length known in advance: the client sends the body chunked.
        HttpResponse<String> response = client.send(request()
                .header("Stripe-Signature", "t=1,v1=00")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).startsWith("{\"outcome\":\"payload_too_large\"");
        assertThat(recorder.next().bytesRead()).isEqualTo(LIMIT + 1);
        assertThat(runs).hasValue(0);
    }

    @Test
    void storeDownIs503WithRetryAfter() throws Exception {
        IdempotencyStore down = mock(IdempotencyStore.class);
        when(down.claim(any(), any(), any())).thenThrow(new StoreUnavailableException("connection refused by db-7"));
        serve(processor().store(down).build());
        TestEvent event = events.paymentIntentSucceeded().build();

        HttpResponse<String> response = post(event.bytes(), signer.sign(event));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(response.body()).startsWith("{\"outcome\":\"store_unavailable\"").doesNotContain("db-7");
        assertThat(runs).hasValue(0);
    }

    @Test
    void unexpectedFailureInThePipelineIs500WithoutDetails() throws Exception {
        IdempotencyStore broken = mock(IdempotencyStore.class);
        when(broken.claim(any(), any(), any())).thenThrow(new IllegalStateException("bug in store at row 42"));
        serve(processor().store(broken).build());
        TestEvent event = events.paymentIntentSucceeded().build();

        HttpResponse<String> response = post(event.bytes(), signer.sign(event));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"outcome\":\"internal_error\"}");
        assertThat(recorder.next().escaped()).as("what the servlet let escape to the container").isNull();
    }

    @Test
    void clientLeavingMidBodyIsAnswered400AndNothingEscapesToTheContainer() throws Exception {
        serve(processor().build());

        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", "Content-Length: 1000"));
            out.write(new byte[100]);
            out.flush();
        }

        RequestRecorder.Seen seen = recorder.next();
        assertThat(seen.escaped()).as("what the servlet let escape to the container").isNull();
        assertThat(seen.status()).isEqualTo(400);
        assertThat(runs).hasValue(0);
    }

    @Test
    void peerAddressAndForwardedForReachTheSourceFilter() throws Exception {
        serve(processor().sourceAddressFilter(SourceAddressFilter.builder()
                .allow("203.0.113.7").trustProxies("127.0.0.1").build()).build());
        TestEvent event = events.paymentIntentSucceeded().build();

        HttpResponse<String> direct = post(event.bytes(), signer.sign(event));
        HttpResponse<String> forwarded = client.send(request()
                .header("Stripe-Signature", signer.sign(event))
                .header("X-Forwarded-For", "203.0.113.7")
                .POST(BodyPublishers.ofByteArray(event.bytes()))
                .build(), BodyHandlers.ofString());

        assertThat(direct.statusCode()).isEqualTo(403);
        assertThat(direct.body()).startsWith("{\"outcome\":\"forbidden_source\"");
        assertThat(forwarded.statusCode()).isEqualTo(200);
        assertThat(forwarded.body()).contains("\"processed\"");
    }

    @Test
    void servletCreatedByTheContainerTakesTheProcessorFromTheServletContext() throws Exception {
        WebhookProcessor processor = processor().build();
        container = start(null, (classes, context) -> {
            context.setAttribute(HookwiseServlet.PROCESSOR_ATTRIBUTE, processor);
            context.addServlet("hookwise", HookwiseServlet.class).addMapping(PATH);
            record(context);
        });
        TestEvent event = events.paymentIntentSucceeded().build();

        HttpResponse<String> response = post(event.bytes(), signer.sign(event));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"processed\"");
        assertThat(runs).hasValue(1);
    }

    @Test
    void initParameterNamesTheAttributeOfAnotherEndpointsProcessor() throws Exception {
        WebhookProcessor processor = processor().build();
        container = start(null, (classes, context) -> {
            context.setAttribute("thin-events-processor", processor);
            var registration = context.addServlet("hookwise", HookwiseServlet.class);
            registration.setInitParameter(HookwiseServlet.PROCESSOR_ATTRIBUTE_PARAMETER, "thin-events-processor");
            registration.addMapping(PATH);
            record(context);
        });
        TestEvent event = events.paymentIntentSucceeded().build();

        assertThat(post(event.bytes(), signer.sign(event)).body()).contains("\"processed\"");
        assertThat(runs).hasValue(1);
    }

    @Test
    void servletWithoutAProcessorIsPermanentlyUnavailableAndAnswers404WithoutAStackTrace() throws Exception {
        container = start(null, (classes, context) -> context.addServlet("hookwise", HookwiseServlet.class).addMapping(PATH));
        TestEvent event = events.paymentIntentSucceeded().build();

        HttpResponse<String> response = post(event.bytes(), signer.sign(event));

        // The Servlet specification: a permanently unavailable servlet is answered 404 by the container.
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("at dev.hookwise").doesNotContain("Exception");
    }

    // --- helpers

    private WebhookProcessor.Builder processor() {
        return WebhookProcessor.builder()
                .signingSecrets(signer.secret())
                .clock(clock)
                .maxPayloadBytes(LIMIT)
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> runs.incrementAndGet()).build());
    }

    private void serve(WebhookProcessor processor) throws Exception {
        container = start(new HookwiseServlet(processor), (classes, context) -> record(context));
    }

    private void record(ServletContext context) {
        context.addFilter("recorder", recorder).addMappingForUrlPatterns(null, false, PATH);
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + PATH)).timeout(BOUND);
    }

    private HttpResponse<String> post(byte[] body, @Nullable String signature) throws IOException, InterruptedException {
        HttpRequest.Builder request = request().POST(BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }

    private int port() {
        assertThat(container).as("a started container").isNotNull();
        return container.port();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port());
        socket.setSoTimeout((int) BOUND.toMillis());
        return socket;
    }

    private byte[] head(String method, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(PATH).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port()).append("\r\n")
                .append("Stripe-Signature: t=1,v1=00\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(ISO_8859_1);
    }

    /** A response read off a raw socket: status line, headers, a body of {@code Content-Length} bytes. */
    record RawResponse(int status, Map<String, String> headers, String body) {

        static RawResponse read(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b == -1) {
                    throw new EOFException("the connection closed before the response headers ended: " + head);
                }
                head.append((char) b);
            }
            String[] lines = head.toString().split("\r\n");
            Map<String, String> headers = new HashMap<>();
            Arrays.stream(lines).skip(1).forEach(line -> {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            });
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(in.readNBytes(length), UTF_8));
        }
    }
}
