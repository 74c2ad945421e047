package dev.hookwise.benchmarks.jmh;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.hookwise.benchmarks.Payloads;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.signature.SignatureVerifier;
import dev.hookwise.testkit.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Authenticating and reading one delivery: Hookwise's {@link SignatureVerifier#verify} plus
 * {@link EventEnvelope#parse}, against stripe-java's {@link Webhook#constructEvent}, which checks
 * the same signature and builds the whole {@link Event} with Gson. Same bytes, same header, same
 * secret, same run, on each of the captured-shape Stripe events of {@link Payloads#stripeEvents()}.
 *
 * <p>The side is a parameter rather than a second method so that JMH runs both sides of one body
 * back to back (it orders runs by parameter values, {@code body} before {@code side}): on a shared
 * machine a burst of someone else's load then lands on both sides of a ratio, not on one.
 *
 * <p>Sampled per operation ({@link Mode#SampleTime}), and compared at the median: on a machine shared with
 * other work, an operation of a few microseconds is rarely cut by the scheduler, so the median is the
 * cost of the code, while the mean also carries whatever else ran in the same seconds.
 *
 * <p>stripe-java takes the body as a {@code String}; the conversion is done once in the setup, so
 * stripe-java is not charged for it (an application usually has to do it per request).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class VerifyParseBenchmark {

    static final String SECRET = "whsec_benchmark_secret_0123456789abcdef";

    /** A body of {@link Payloads#stripeEvents()}, by name (type and API version). */
    @Param({
        "customer.created-2018-02-05",
        "charge.succeeded-2015-10-16",
        "checkout.session.completed-2022-11-15",
        "payment_intent.succeeded-2026-07-29.dahlia",
        "checkout.session.completed-2026-07-29.dahlia",
        "payment_intent.succeeded-2020-08-27",
        "charge.succeeded-2026-07-29.dahlia",
        "charge.refunded-2024-06-20",
        "customer.subscription.updated-2020-08-27",
        "invoice.paid-2024-06-20",
        "customer.subscription.updated-2026-07-29.dahlia",
        "invoice.payment_succeeded-2019-05-16",
        "invoice.paid-2026-07-29.dahlia",
    })
    public String body;

    /** {@code hookwise}: verify + parse; {@code constructEvent}: stripe-java's {@code Webhook.constructEvent}. */
    @Param({"hookwise", "constructEvent"})
    public String side;

    private boolean hookwise;
    private byte[] bytes;
    private String text;
    private String header;
    private SignatureVerifier verifier;

    @Setup(Level.Trial)
    public void setUp() throws SignatureVerificationException {
        hookwise = switch (side) {
            case "hookwise" -> true;
            case "constructEvent" -> false;
            default -> throw new IllegalArgumentException("side is hookwise or constructEvent, not " + side);
        };
        bytes = Payloads.stripeEvent(body);
        text = new String(bytes, StandardCharsets.UTF_8);
        // Signed now; a trial lasts far less than the 300 s tolerance both sides use.
        header = WebhookSigner.forSecret(SECRET).sign(bytes, Instant.now());
        verifier = SignatureVerifier.builder().secrets(SECRET).build();
        // Both must accept the delivery and agree on it, or the comparison means nothing.
        verifier.verify(bytes, header);
        EventEnvelope envelope = EventEnvelope.parse(bytes);
        Event event = Webhook.constructEvent(text, header, SECRET);
        if (!envelope.id().equals(event.getId()) || !envelope.type().equals(event.getType())) {
            throw new IllegalStateException(body + ": Hookwise read " + envelope + ", stripe-java " + event.getId());
        }
        System.out.println("# body bytes: " + bytes.length);
    }

    @Benchmark
    public Object verifyAndParse() throws SignatureVerificationException {
        if (hookwise) {
            verifier.verify(bytes, header);
            return EventEnvelope.parse(bytes);
        }
        return Webhook.constructEvent(text, header, SECRET);
    }
}
