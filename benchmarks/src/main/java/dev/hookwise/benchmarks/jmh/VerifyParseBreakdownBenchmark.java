package dev.hookwise.benchmarks.jmh;

import dev.hookwise.benchmarks.Payloads;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.SignatureVerifier;
import dev.hookwise.testkit.TestEvent;
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
 * Where {@link VerifyParseBenchmark#hookwiseVerifyAndParse} spends its time on the larger bodies:
 * the signature check alone (an HMAC-SHA256 over every byte, which {@code constructEvent} computes
 * too) and the envelope parse alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class VerifyParseBreakdownBenchmark {

    @Param({"4096", "32768"})
    public int size;

    private byte[] body;
    private String header;
    private SignatureVerifier verifier;

    @Setup(Level.Trial)
    public void setUp() {
        TestEvent event = Payloads.ofSize(size, "evt_1PbenchVerifyParse0000001");
        body = event.bytes();
        header = WebhookSigner.forSecret(VerifyParseBenchmark.SECRET).sign(body, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        verifier = SignatureVerifier.builder().secrets(VerifyParseBenchmark.SECRET).build();
        verifier.verify(body, header);
    }

    @Benchmark
    public Instant verifyOnly() {
        return verifier.verify(body, header);
    }

    @Benchmark
    public EventEnvelope parseOnly() {
        return EventEnvelope.parse(body);
    }
}
