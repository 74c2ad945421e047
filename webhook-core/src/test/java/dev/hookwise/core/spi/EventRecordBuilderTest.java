package dev.hookwise.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventRecordBuilderTest {

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-01-02T00:00:00Z");

    @Test
    void unsetValuesStartEmpty() {
        EventRecord r = EventRecord.builder("evt_1", "invoice.paid", CREATED, EventStatus.QUEUED, NOW, EventSource.WEBHOOK)
                .build();
        assertThat(r).isEqualTo(new EventRecord("evt_1", "invoice.paid", CREATED, false, null, null, EventStatus.QUEUED, 0,
                null, null, NOW, null, null, null, null, null, EventSource.WEBHOOK, null, null));
    }

    @Test
    void aNewEventGivesItsValues() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        NewEvent event = new NewEvent("evt_2", "charge.refunded", CREATED, true, "2024-06-20", "acct_1",
                EventSource.REPLAY, body, "00-trace");
        EventRecord r = EventRecord.builder(event, EventStatus.PROCESSING, NOW).attempts(1).owner("a-1").build();
        assertThat(r.id()).isEqualTo("evt_2");
        assertThat(r.livemode()).isTrue();
        assertThat(r.apiVersion()).isEqualTo("2024-06-20");
        assertThat(r.account()).isEqualTo("acct_1");
        assertThat(r.source()).isEqualTo(EventSource.REPLAY);
        assertThat(r.payload()).isEqualTo(body);
        assertThat(r.traceContext()).isEqualTo("00-trace");
        assertThat(r.status()).isEqualTo(EventStatus.PROCESSING);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.owner()).isEqualTo("a-1");
        assertThat(r.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void toBuilderKeepsEveryValueItDoesNotChange() {
        EventRecord r = new EventRecord("evt_3", "invoice.paid", CREATED, true, "v", "acct", EventStatus.FAILED, 2, "o",
                NOW, NOW, NOW, null, Duration.ofMillis(5), "boom", NOW.plusSeconds(30), EventSource.WEBHOOK,
                new byte[] {1}, "tc");
        assertThat(r.toBuilder().build()).isEqualTo(r);
        EventRecord done = r.toBuilder().status(EventStatus.COMPLETED).completedAt(NOW).build();
        assertThat(done.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(done.completedAt()).isEqualTo(NOW);
        assertThat(done.lastError()).isEqualTo("boom");
        assertThat(done.traceContext()).isEqualTo("tc");
    }
}
