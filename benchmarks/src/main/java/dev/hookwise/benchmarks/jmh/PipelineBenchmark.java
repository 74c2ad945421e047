package dev.hookwise.benchmarks.jmh;

import com.stripe.model.PaymentIntent;
import dev.hookwise.benchmarks.Payloads;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookRequest;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.testkit.WebhookSigner;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One delivery through the whole synchronous pipeline on the in-memory store, in one thread:
 * signature, envelope, filter, age policy, claim, a typed {@code PaymentIntent} handler (so
 * stripe-java deserialises {@code data.object}, as in the quickstart), complete, answer.
 *
 * <ul>
 *   <li>{@code processed}: every operation is a new event (a ~2 KB {@code payment_intent.succeeded}). The bodies are prepared
 *       and signed before each iteration, so the measurement holds no signing; each iteration
 *       starts from an empty store.</li>
 *   <li>{@code duplicate}: the same event again, already completed: verified, parsed and answered
 *       {@code duplicate} without running the handler.</li>
 * </ul>
 *
 * <p>Logging is SLF4J-simple at WARN (see {@code simplelogger.properties}): the per-event INFO line
 * is built but not written, as in an application that logs at WARN.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class PipelineBenchmark {

    static final String SECRET = VerifyParseBenchmark.SECRET;
    /** Events prepared per iteration; more than one thread can process in a 2 s iteration. */
    static final int EVENTS_PER_ITERATION = 150_000;

    static WebhookProcessor newProcessor(LongAdder handled) {
        HandlerRegistry handlers = HandlerRegistry.builder()
                .on("payment_intent.succeeded", PaymentIntent.class, (pi, ctx) -> {
                    if (pi.getAmount() != null) {
                        handled.increment();
                    }
                })
                .build();
        return WebhookProcessor.builder()
                .signingSecrets(SECRET)
                .store(InMemoryIdempotencyStore.create())
                .handlers(handlers)
                .build();
    }

    /** Fresh events for every operation. */
    @State(Scope.Thread)
    public static class NewEvents {
        final LongAdder handled = new LongAdder();
        WebhookProcessor processor;
        WebhookRequest[] requests;
        int next;
        long wrapped;
        long notProcessed;

        @Setup(Level.Trial)
        public void prepare() {
            byte[] template = Payloads.template();
            int offset = Payloads.idOffset(template);
            WebhookSigner signer = WebhookSigner.forSecret(SECRET);
            Instant now = Instant.now();
            requests = new WebhookRequest[EVENTS_PER_ITERATION];
            for (int i = 0; i < requests.length; i++) {
                byte[] body = Payloads.withId(template, offset, i);
                requests[i] = WebhookRequest.of(body, signer.sign(body, now));
            }
        }

        @Setup(Level.Iteration)
        public void emptyStore() {
            processor = newProcessor(handled);
            next = 0;
        }

        @TearDown(Level.Iteration)
        public void check() {
            if (next >= requests.length) {
                wrapped++;
            }
        }

        @TearDown(Level.Trial)
        public void report() {
            // A wrapped iteration measured some duplicates too: say so instead of hiding it.
            System.out.println("# handled " + handled.sum() + ", not processed " + notProcessed
                    + (wrapped > 0 ? ", WARNING: " + wrapped + " iterations ran out of fresh events" : ""));
        }

        WebhookRequest take() {
            WebhookRequest r = requests[next % requests.length];
            next++;
            return r;
        }
    }

    /** One event, already processed. */
    @State(Scope.Benchmark)
    public static class SeenEvent {
        WebhookProcessor processor;
        WebhookRequest request;

        @Setup(Level.Trial)
        public void prepare() {
            byte[] template = Payloads.template();
            byte[] body = Payloads.withId(template, Payloads.idOffset(template), 7);
            request = WebhookRequest.of(body, WebhookSigner.forSecret(SECRET).sign(body, Instant.now()));
            processor = newProcessor(new LongAdder());
            Outcome first = processor.process(request).outcome();
            Outcome second = processor.process(request).outcome();
            if (first != Outcome.PROCESSED || second != Outcome.DUPLICATE) {
                throw new IllegalStateException("expected processed then duplicate, got " + first + ", " + second);
            }
        }
    }

    @Benchmark
    public WebhookResponse processed(NewEvents s) {
        WebhookResponse response = s.processor.process(s.take());
        if (response.outcome() != Outcome.PROCESSED) {
            s.notProcessed++;
        }
        return response;
    }

    @Benchmark
    public WebhookResponse duplicate(SeenEvent s) {
        return s.processor.process(s.request);
    }

    /**
     * The baseline: what an application writes with stripe-java alone. {@code Webhook.constructEvent}
     * on the same bytes, an in-process "seen" set ({@code ConcurrentHashMap.putIfAbsent}: no lease,
     * no record of failures, nothing durable), then the same typed handler through
     * {@code getDataObjectDeserializer()}.
     */
    @State(Scope.Thread)
    public static class StripeOnly {
        final LongAdder handled = new LongAdder();
        String[] bodies;
        String[] headers;
        java.util.concurrent.ConcurrentHashMap<String, Boolean> seen;
        int next;

        @Setup(Level.Trial)
        public void prepare() {
            NewEvents events = new NewEvents();
            events.prepare();
            bodies = new String[events.requests.length];
            headers = new String[events.requests.length];
            for (int i = 0; i < bodies.length; i++) {
                bodies[i] = new String(events.requests[i].body(), java.nio.charset.StandardCharsets.UTF_8);
                headers[i] = events.requests[i].signatureHeader();
            }
        }

        @Setup(Level.Iteration)
        public void emptySet() {
            seen = new java.util.concurrent.ConcurrentHashMap<>();
            next = 0;
        }

        Object handle(int i) throws com.stripe.exception.SignatureVerificationException {
            com.stripe.model.Event event = com.stripe.net.Webhook.constructEvent(bodies[i], headers[i], SECRET);
            if (seen.putIfAbsent(event.getId(), Boolean.TRUE) != null) {
                return event;
            }
            PaymentIntent pi = (PaymentIntent) event.getDataObjectDeserializer().getObject().orElseThrow();
            if (pi.getAmount() != null) {
                handled.increment();
            }
            return pi;
        }
    }

    @Benchmark
    public Object stripeJavaProcessed(StripeOnly s) throws com.stripe.exception.SignatureVerificationException {
        return s.handle(s.next++ % s.bodies.length);
    }

    /** The baseline's duplicate: one event, already seen. */
    @State(Scope.Benchmark)
    public static class StripeSeen {
        final StripeOnly stripe = new StripeOnly();

        @Setup(Level.Trial)
        public void prepare() throws com.stripe.exception.SignatureVerificationException {
            SeenEvent one = new SeenEvent();
            one.prepare();
            stripe.bodies = new String[] {new String(one.request.body(), java.nio.charset.StandardCharsets.UTF_8)};
            stripe.headers = new String[] {one.request.signatureHeader()};
            stripe.emptySet();
            stripe.handle(0);
        }
    }

    @Benchmark
    public Object stripeJavaDuplicate(StripeSeen s) throws com.stripe.exception.SignatureVerificationException {
        return s.stripe.handle(0);
    }
}
