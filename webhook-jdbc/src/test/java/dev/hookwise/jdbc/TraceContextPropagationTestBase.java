package dev.hookwise.jdbc;

import static dev.hookwise.core.metrics.WebhookObservations.ATTEMPT;
import static dev.hookwise.core.metrics.WebhookObservations.EVENT_ID;
import static dev.hookwise.core.metrics.WebhookObservations.OUTCOME;
import static dev.hookwise.core.metrics.WebhookObservations.PROCESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.inbox.Backoff;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.jdbc.multi.SignedEvents;
import dev.hookwise.testkit.MutableClock;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.ReceiverContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous mode over the JDBC event log, observed with Micrometer's test registry: the trace
 * context a propagating handler writes at enqueue is stored in {@code trace_context}, and the
 * worker's process observation (in another call, on a fresh read of the row) is given exactly that
 * context, on every attempt. One database per subclass.
 */
abstract class TraceContextPropagationTestBase {

    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1), 0);

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Test
    void theWorkersRunContinuesTheTraceStoredWithTheQueuedEventOnEveryAttempt() throws SQLException {
        MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        JdbcIdempotencyStore store = db().emptiedEventLog(clock);
        TestObservationRegistry registry = TestObservationRegistry.create();
        FakeTracePropagation propagation = new FakeTracePropagation();
        registry.observationConfig().observationHandler(propagation);
        AtomicInteger firstEventRuns = new AtomicInteger();
        String flaky = SignedEvents.id(run, 0);
        WebhookProcessor processor = WebhookProcessor.builder()
                .signingSecrets(SignedEvents.SECRET)
                .clock(clock)
                .store(store)
                .mode(ProcessingMode.ASYNC)
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
                    if (ctx.eventId().equals(flaky) && firstEventRuns.incrementAndGet() == 1) {
                        throw new IllegalStateException("ledger unavailable");
                    }
                }).build())
                .observationRegistry(registry)
                .build();
        InboxWorker worker = InboxWorker.builder(processor).backoff(BACKOFF).batchSize(10).build();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(SignedEvents.id(run, i));
            String payload = SignedEvents.payload(run, i, clock.instant());
            assertThat(processor.process(SignedEvents.sign(payload, clock.instant())).outcome()).isEqualTo(Outcome.QUEUED);
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(propagation.written).hasSize(3).doesNotHaveDuplicates();
        for (int i = 0; i < 3; i++) {
            assertThat(storedTraceContext(store.tableName(), ids.get(i)))
                    .as("the trace_context column of %s", ids.get(i))
                    .isEqualTo("traceparent=" + propagation.written.get(i) + "\ntracestate=hookwise=test");
        }

        assertThat(worker.drainOnce()).isEqualTo(3);
        assertThat(propagation.read).as("each run continues its own delivery's trace")
                .containsExactlyElementsOf(propagation.written);
        assertThat(store.find(flaky).orElseThrow().status()).isEqualTo(EventStatus.FAILED);

        clock.advance(Duration.ofMinutes(2));
        assertThat(worker.drainOnce()).isEqualTo(1);

        assertThat(store.find(flaky).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(propagation.read).as("the retry continues the same trace").hasSize(4)
                .last().isEqualTo(propagation.written.get(0));
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(PROCESS, 4)
                .hasAnObservation(o -> o.hasNameEqualTo(PROCESS).hasHighCardinalityKeyValue(EVENT_ID, flaky)
                        .hasHighCardinalityKeyValue(ATTEMPT, "2").hasLowCardinalityKeyValue(OUTCOME, "processed"))
                .hasHandledContextsThatSatisfy(contexts -> assertThat(contexts)
                        .filteredOn(ctx -> PROCESS.equals(ctx.getName()))
                        .allSatisfy(ctx -> assertThat(ctx).isInstanceOf(ReceiverContext.class))
                        .extracting(ctx -> (Object) ((ReceiverContext<?>) ctx).getCarrier())
                        .contains(Map.of("traceparent", propagation.written.get(0), "tracestate", "hookwise=test")));
    }

    private String storedTraceContext(String table, String id) throws SQLException {
        try (Connection c = db().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT trace_context FROM " + table + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
