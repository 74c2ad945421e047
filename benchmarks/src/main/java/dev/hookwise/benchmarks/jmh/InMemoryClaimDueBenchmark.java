package dev.hookwise.benchmarks.jmh;

import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.NewEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * The in-memory inbox poll as the log grows: {@code claimDue} of 10 events, and their release (so the
 * next poll finds them due again), with 100 queued events among {@code held} completed ones. The
 * store keeps an index by due time, so the cost should not follow {@code held}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class InMemoryClaimDueBenchmark {

    private static final Duration LEASE = Duration.ofMinutes(5);

    /** Completed events held besides the 100 queued ones. */
    @Param({"10000", "1000000"})
    public int held;

    private InMemoryIdempotencyStore store;

    @Setup(Level.Trial)
    public void fill() {
        store = InMemoryIdempotencyStore.create();
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        Instant created = Instant.now();
        for (int i = 0; i < held; i++) {
            NewEvent e = new NewEvent("evt_done_" + i, "invoice.paid", created, false, null, null, EventSource.WEBHOOK, payload);
            store.claim(e, "filler", LEASE);
            store.complete(new ClaimToken(e.id(), "filler", 1), Duration.ofMillis(1));
        }
        for (int i = 0; i < 100; i++) {
            store.enqueue(new NewEvent("evt_queued_" + i, "invoice.paid", created, false, null, null, EventSource.WEBHOOK, payload));
        }
    }

    @Benchmark
    public int claimDueTenAndRelease() {
        List<EventRecord> batch = store.claimDue("worker", LEASE, 10);
        for (EventRecord r : batch) {
            store.release(ClaimToken.of(r));
        }
        return batch.size();
    }
}
