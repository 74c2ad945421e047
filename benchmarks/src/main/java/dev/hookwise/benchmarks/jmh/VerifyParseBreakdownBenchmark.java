package dev.hookwise.benchmarks.jmh;

import dev.hookwise.benchmarks.Payloads;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.signature.SignatureVerifier;
import dev.hookwise.testkit.WebhookSigner;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Where {@link VerifyParseBenchmark}'s Hookwise side spends its time, on the smallest, a middle and
 * the largest of the Stripe events: the signature check alone (an HMAC-SHA256 over every byte,
 * which {@code constructEvent} computes too, so it is the floor for both) and the envelope parse
 * alone. Sampled per operation and read at the median, like {@link VerifyParseBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class VerifyParseBreakdownBenchmark {

    @Param({"customer.created-2018-02-05", "charge.succeeded-2026-07-29.dahlia", "invoice.paid-2026-07-29.dahlia"})
    public String body;

    private byte[] bytes;
    private String header;
    private SignatureVerifier verifier;

    @Setup(Level.Trial)
    public void setUp() {
        bytes = Payloads.stripeEvent(body);
        header = WebhookSigner.forSecret(VerifyParseBenchmark.SECRET).sign(bytes, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        verifier = SignatureVerifier.builder().secrets(VerifyParseBenchmark.SECRET).build();
        verifier.verify(bytes, header);
    }

    @Benchmark
    public Instant verifyOnly() {
        return verifier.verify(bytes, header);
    }

    @Benchmark
    public EventEnvelope parseOnly() {
        return EventEnvelope.parse(bytes);
    }
}
