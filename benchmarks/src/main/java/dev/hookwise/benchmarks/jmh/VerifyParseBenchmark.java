package dev.hookwise.benchmarks.jmh;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.hookwise.benchmarks.Payloads;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.SignatureVerifier;
import dev.hookwise.testkit.TestEvent;
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
 * secret, same run.
 *
 * <p>stripe-java takes the body as a {@code String}; the conversion is done once in the setup, so
 * stripe-java is not charged for it (an application usually has to do it per request).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class VerifyParseBenchmark {

    static final String SECRET = "whsec_benchmark_secret_0123456789abcdef";

    /** Target body size in bytes: about 1 KB, 4 KB and 32 KB. */
    @Param({"1024", "4096", "32768"})
    public int size;

    private byte[] body;
    private String bodyText;
    private String header;
    private SignatureVerifier verifier;

    @Setup(Level.Trial)
    public void setUp() throws SignatureVerificationException {
        TestEvent event = Payloads.ofSize(size, "evt_1PbenchVerifyParse0000001");
        body = event.bytes();
        bodyText = new String(body, StandardCharsets.UTF_8);
        // Signed now; a trial lasts far less than the 300 s tolerance both sides use.
        header = WebhookSigner.forSecret(SECRET).sign(body, Instant.now());
        verifier = SignatureVerifier.builder().secrets(SECRET).build();
        // Both must accept the delivery, or the comparison means nothing.
        verifier.verify(body, header);
        EventEnvelope.parse(body);
        Webhook.constructEvent(bodyText, header, SECRET);
        System.out.println("# body bytes: " + body.length);
    }

    @Benchmark
    public EventEnvelope hookwiseVerifyAndParse() {
        verifier.verify(body, header);
        return EventEnvelope.parse(body);
    }

    @Benchmark
    public Event stripeConstructEvent() throws SignatureVerificationException {
        return Webhook.constructEvent(bodyText, header, SECRET);
    }
}
