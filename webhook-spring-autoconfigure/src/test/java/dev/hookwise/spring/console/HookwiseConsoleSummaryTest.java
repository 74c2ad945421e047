package dev.hookwise.spring.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The figures behind the console page, on the in-memory store and a fixed clock: hourly buckets
 * aligned to the hour and covering exactly the last 24, nearest-rank percentiles per bucket, the
 * day's counts and failure rate, the failed and dead list, and the backlog's oldest age.
 */
class HookwiseConsoleSummaryTest {
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-10T12:30:00Z"));
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(clock);

    @Test
    @SuppressWarnings("unchecked")
    void summarisesTheLastDayPerHour() {
        for (int ms : new int[] {40, 10, 30, 20}) {
            completed("evt_now" + ms, "payment_intent.succeeded", "2026-01-10T12:05:00Z", ms);
        }
        completed("evt_ten", "invoice.paid", "2026-01-10T10:20:00Z", 100);
        completed("evt_first", "invoice.paid", "2026-01-09T13:00:00Z", 7);     // first instant of the window
        completed("evt_before", "invoice.paid", "2026-01-09T12:59:59Z", 5000); // one second before it
        store.markDead(claim("evt_dead", "charge.refunded", "2026-01-10T11:15:00Z"), "refund service down");
        store.retryAt(claim("evt_retry", "charge.refunded", "2026-01-10T12:10:00Z"), "timeout", Instant.parse("2026-01-10T13:00:00Z"));
        clock.advance(Duration.ofMinutes(5));

        Map<String, Object> summary = console().summary();

        Map<String, Object> backlog = (Map<String, Object>) summary.get("backlog");
        assertThat(backlog).containsEntry("pending", 1L).containsEntry("oldestPendingAgeSeconds", 300L);
        Map<String, Object> day = (Map<String, Object>) summary.get("last24h");
        assertThat(day).containsEntry("from", "2026-01-09T13:00:00Z").containsEntry("total", 8L);
        assertThat((Map<String, Long>) day.get("byStatus")).containsExactlyInAnyOrderEntriesOf(
                Map.of("completed", 6L, "dead", 1L, "failed", 1L));
        assertThat((Double) day.get("failureRate")).isEqualTo(2.0 / 8);
        assertThat((Map<String, Map<String, Long>>) day.get("countsByType")).containsEntry("invoice.paid", Map.of("completed", 2L))
                .containsEntry("charge.refunded", Map.of("dead", 1L, "failed", 1L));
        assertThat((Map<String, Long>) day.get("errors")).containsEntry("refund service down", 1L).containsEntry("timeout", 1L);

        List<Map<String, Object>> hours = (List<Map<String, Object>>) day.get("hours");
        assertThat(hours).hasSize(24);
        assertThat(hours.get(0)).containsEntry("from", "2026-01-09T13:00:00Z").containsEntry("completed", 1L).containsEntry("p99Ms", 7.0);
        assertThat(hours.get(1)).containsEntry("completed", 0L).containsEntry("p50Ms", null);
        assertThat(hours.get(21)).containsEntry("from", "2026-01-10T10:00:00Z").containsEntry("p50Ms", 100.0);
        assertThat(hours.get(23)).containsEntry("from", "2026-01-10T12:00:00Z").containsEntry("completed", 4L)
                .containsEntry("p50Ms", 20.0).containsEntry("p95Ms", 40.0).containsEntry("p99Ms", 40.0);

        Map<String, Object> failed = (Map<String, Object>) summary.get("failedEvents");
        assertThat((List<Map<String, Object>>) failed.get("events")).extracting(e -> e.get("id"), e -> e.get("status"), e -> e.get("lastError"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("evt_dead", "dead", "refund service down"),
                        org.assertj.core.groups.Tuple.tuple("evt_retry", "failed", "timeout"));
    }

    @Test
    void anEmptyLogHasNoFailureRateAndNoPercentiles() {
        Map<String, Object> summary = console().summary();
        @SuppressWarnings("unchecked")
        Map<String, Object> day = (Map<String, Object>) summary.get("last24h");
        assertThat(day).containsEntry("total", 0L).containsEntry("failureRate", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> backlog = (Map<String, Object>) summary.get("backlog");
        assertThat(backlog).containsEntry("pending", 0L).containsEntry("oldestPendingReceivedAt", null)
                .containsEntry("oldestPendingAgeSeconds", 0L);
        assertThat((List<?>) day.get("hours")).hasSize(24);
    }

    private HookwiseConsole console() {
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets("whsec_console_summary").store(store)
                .handlers(HandlerRegistry.builder().build()).clock(clock).build();
        return new HookwiseConsole(store, EventReplayer.of(processor), clock, "/hookwise");
    }

    private void completed(String id, String type, String created, int millis) {
        store.complete(claim(id, type, created), Duration.ofMillis(millis));
    }

    private ClaimToken claim(String id, String type, String created) {
        int attempt = store.claim(new NewEvent(id, type, Instant.parse(created), false, null, null, EventSource.WEBHOOK,
                new byte[0]), "test", Duration.ofMinutes(5)).attempt();
        return new ClaimToken(id, "test", attempt);
    }
}
