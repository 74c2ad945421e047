package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.core.operations.WebhookReports;
import dev.hookwise.spring.actuate.HookwiseEndpoint;
import dev.hookwise.spring.scheduling.DailyTask;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;

/** The daily task's timing and failure handling, and the endpoint's operations without HTTP. */
class SchedulingAndEndpointUnitTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void dailyTaskRunsNextAtTheHourInUtcWhateverTheZone() {
        ZonedDateTime noonUtcInSaoPaulo = NOW.atZone(ZoneId.of("America/Sao_Paulo"));
        assertThat(DailyTask.untilNext(noonUtcInSaoPaulo, 13)).isEqualTo(Duration.ofHours(1));
        assertThat(DailyTask.untilNext(noonUtcInSaoPaulo, 12)).isEqualTo(Duration.ofDays(1));
        assertThat(DailyTask.untilNext(noonUtcInSaoPaulo, 2)).isEqualTo(Duration.ofHours(14));
    }

    @Test
    void dailyTaskSurvivesAFailingRunAndStopsForAStoreThatCannotDoIt() {
        DailyTask failing = new DailyTask("test", 3, () -> {
            throw new IllegalStateException("database down");
        }, MutableClock.at(NOW));
        assertThat(failing.runNow()).isEqualTo(-1);
        DailyTask erring = new DailyTask("test", 3, () -> {
            throw new NoClassDefFoundError("com/example/Gone");
        }, MutableClock.at(NOW));
        assertThat(erring.runNow()).as("an Error is a failed run too, never an end of the schedule").isEqualTo(-1);

        DailyTask unsupported = new DailyTask("test", 3, () -> {
            throw new UnsupportedOperationException("no retention");
        }, MutableClock.at(NOW));
        unsupported.start();
        assertThat(unsupported.runNow()).isEqualTo(-1);
        unsupported.stop();
        assertThat(unsupported.isRunning()).isFalse();

        assertThatThrownBy(() -> new DailyTask("test", 24, () -> 0, MutableClock.at(NOW)))
                .hasMessageContaining("hourOfDay");
    }

    @Test
    void endpointListsFailedEventsReportsAWindowAndReplays() {
        MutableClock clock = MutableClock.at(NOW);
        AtomicBoolean down = new AtomicBoolean(true);
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets("whsec_endpoint_unit").clock(clock)
                .handlers(HandlerRegistry.builder().on("charge.refunded", ctx -> {
                    if (down.get()) {
                        throw new PermanentWebhookFailure("refunds down");
                    }
                }).build())
                .build();
        TestEvent event = StripeEventFactory.create(clock, 3).chargeRefunded().build();
        assertThat(processor.process(WebhookSigner.forSecret("whsec_endpoint_unit").request(event, NOW)).outcome())
                .isEqualTo(Outcome.FAILED_PERMANENT);
        HookwiseEndpoint endpoint = new HookwiseEndpoint(processor.store(), EventReplayer.of(processor),
                WebhookReports.of(processor.store()), clock);

        Map<String, Object> failed = endpoint.failed(null);
        assertThat(failed).containsEntry("count", 1);
        assertThat((List<?>) failed.get("events")).singleElement().asString().contains(event.id()).contains("refunds down");

        clock.advance(Duration.ofMinutes(1)); // the window's end is exclusive
        assertThat(endpoint.report("1h")).containsEntry("total", 1L);
        assertThat(endpoint.report("PT1H")).containsEntry("total", 1L);
        assertThatThrownBy(() -> endpoint.report("0h")).isInstanceOf(InvalidEndpointRequestException.class);
        assertThatThrownBy(() -> endpoint.report("tomorrow")).isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessageContaining("30m, 24h, 7d or PT30M");

        down.set(false);
        assertThat(endpoint.replay(event.id(), SecurityContext.NONE))
                .containsEntry("replayed", true).containsEntry("outcome", "processed");
        assertThat(endpoint.replay("evt_unknown", SecurityContext.NONE)).containsEntry("replayed", false);
        assertThatThrownBy(() -> endpoint.replay(event.id() + "\r\nFORGED", SecurityContext.NONE))
                .isInstanceOfSatisfying(InvalidEndpointRequestException.class, e -> assertThat(e.getReason()).isEqualTo("invalid_event_id"))
                .hasMessageContaining(event.id() + "\\u000d\\u000aFORGED").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> endpoint.report("1h\nFORGED")).isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessageContaining("1h\\u000aFORGED");
        assertThat(endpoint.failed(5)).containsEntry("count", 0);
    }
}
