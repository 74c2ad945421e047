package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.operations.WebhookHealth.HealthReport;
import dev.hookwise.core.operations.WebhookHealth.Status;
import dev.hookwise.core.operations.WebhookHealth;
import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.StoreUnavailableException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The three levels of {@link WebhookHealth}: DOWN only for an unreachable store, DEGRADED for
 * everything an operator must look at while events are still received, each with its figures.
 */
class WebhookHealthTest {
    private final TestClock clock = new TestClock(NOW);
    private final AtomicReference<Backlog> backlog = new AtomicReference<>(Backlog.EMPTY);
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final IdempotencyStore store = (IdempotencyStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {IdempotencyStore.class}, (proxy, method, args) -> {
                if (storeDown.get()) {
                    throw new StoreUnavailableException("connection refused");
                }
                if (method.getName().equals("backlog")) {
                    return backlog.get();
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private WebhookHealth.Builder health() {
        return WebhookHealth.builder(store).clock(clock);
    }

    private void pending(long count) {
        backlog.set(new Backlog(count, 0, count == 0 ? null : clock.instant()));
    }

    @Test
    void upWhenEveryCheckPasses() {
        WebhookHealth health = health().stuckHandlers(() -> 0).build();
        health.onHandled("invoice.paid", Outcome.PROCESSED, Duration.ofMillis(3), false);
        HealthReport report = health.check();
        assertThat(report.status()).isEqualTo(Status.UP);
        assertThat(report.problems()).isEmpty();
        assertThat(report.details()).containsEntry("store", "reachable").containsEntry("backlog", 0L)
                .containsEntry("handledInWindow", 1L).containsEntry("deadInWindow", 0L).containsEntry("stuckHandlers", 0);
    }

    @Test
    void anUnreachableStoreIsDownEvenWhenOtherChecksAlsoFail() {
        WebhookHealth health = health().build();
        health.onHandled("invoice.paid", Outcome.FAILED_PERMANENT, Duration.ofMillis(3), true);
        storeDown.set(true);
        HealthReport report = health.check();
        assertThat(report.status()).isEqualTo(Status.DOWN);
        assertThat(report.details()).containsEntry("store", "unreachable");
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("event store unreachable"))
                .anySatisfy(p -> assertThat(p).contains("became dead"));

        storeDown.set(false);
        assertThat(health.check().status()).as("store back, the dead event still needs an operator").isEqualTo(Status.DEGRADED);
    }

    @Test
    void aFailureRateAboveTheThresholdIsDegradedWithTheFigures() {
        WebhookHealth health = health().failureRateThreshold(0.05).build();
        for (int i = 0; i < 95; i++) {
            health.onHandled("invoice.paid", Outcome.PROCESSED, Duration.ofMillis(1), false);
        }
        for (int i = 0; i < 5; i++) {
            health.onHandled("invoice.paid", Outcome.FAILED_TRANSIENT, Duration.ofMillis(1), false);
        }
        assertThat(health.check().status()).as("5 %% is not above 5 %%").isEqualTo(Status.UP);

        health.onHandled("invoice.paid", Outcome.FAILED_TRANSIENT, Duration.ofMillis(1), false);
        HealthReport report = health.check();
        assertThat(report.status()).isEqualTo(Status.DEGRADED);
        assertThat(report.problems()).singleElement().asString().contains("failure rate 0.0594").contains("above 0.0500");
        assertThat(report.details()).containsEntry("handledInWindow", 101L).containsEntry("failedInWindow", 6L);
    }

    @Test
    void aRecentDeadEventIsDegradedUntilItLeavesTheWindow() {
        WebhookHealth health = health().failureRateThreshold(1.0).window(Duration.ofMinutes(10)).build();
        health.onHandled("invoice.paid", Outcome.FAILED_PERMANENT, Duration.ofMillis(1), true);
        HealthReport report = health.check();
        assertThat(report.status()).isEqualTo(Status.DEGRADED);
        assertThat(report.problems()).singleElement().asString().contains("1 event(s) became dead").contains("replay");
        assertThat(report.details()).containsEntry("deadInWindow", 1L);

        clock.advance(Duration.ofMinutes(11));
        assertThat(health.check().status()).isEqualTo(Status.UP);
    }

    @Test
    void aBacklogAtTheThresholdIsDegraded() {
        WebhookHealth health = health().backlogThreshold(50).build();
        pending(49);
        assertThat(health.check().status()).isEqualTo(Status.UP);
        pending(50);
        HealthReport report = health.check();
        assertThat(report.status()).isEqualTo(Status.DEGRADED);
        assertThat(report.problems()).singleElement().asString().contains("backlog 50 is at or above 50");
        assertThat(report.details()).containsEntry("backlog", 50L);
    }

    @Test
    void aBacklogThatOnlyRoseForTheGrowthPeriodIsDegraded() {
        WebhookHealth health = health().backlogGrowthPeriod(Duration.ofMinutes(5)).build();
        for (long p = 3; p <= 8; p++) { // 3 at 0 min … 8 at 5 min, never falling
            pending(p);
            HealthReport report = health.check();
            if (p < 8) {
                assertThat(report.status()).as("after %d min", p - 3).isEqualTo(Status.UP);
            } else {
                assertThat(report.status()).isEqualTo(Status.DEGRADED);
                assertThat(report.problems()).singleElement().asString().contains("backlog grew from 3 to 8 over PT5M");
                assertThat(report.details()).containsEntry("backlogGrowth", "3 -> 8 in 300 s");
            }
            clock.advance(Duration.ofMinutes(1));
        }
        pending(7);
        assertThat(health.check().status()).as("the backlog fell: workers drain it").isEqualTo(Status.UP);
    }

    @Test
    void aBacklogThatFallsOrEmptiesOrStaysFlatIsNotGrowing() {
        WebhookHealth health = health().backlogGrowthPeriod(Duration.ofMinutes(5)).build();
        long[] figures = {0, 0, 1, 1, 0, 4, 6, 5, 6, 7, 9, 11, 0, 2, 3, 5};
        for (long p : figures) {
            pending(p);
            assertThat(health.check().status()).as("backlog %d", p).isEqualTo(Status.UP);
            clock.advance(Duration.ofMinutes(1));
        }
        WebhookHealth flat = health().backlogGrowthPeriod(Duration.ofMinutes(5)).build();
        pending(5);
        for (int minute = 0; minute <= 10; minute++) {
            assertThat(flat.check().status()).as("flat at minute %d", minute).isEqualTo(Status.UP);
            clock.advance(Duration.ofMinutes(1));
        }
    }

    @Test
    void anOldestPendingEventOlderThanTheLimitIsDegraded() {
        WebhookHealth health = health().maxOldestPendingAge(Duration.ofMinutes(30)).build();
        backlog.set(new Backlog(1, 0, NOW));
        clock.advance(Duration.ofMinutes(30));
        assertThat(health.check().status()).isEqualTo(Status.UP);
        clock.advance(Duration.ofSeconds(1));
        HealthReport report = health.check();
        assertThat(report.status()).isEqualTo(Status.DEGRADED);
        assertThat(report.problems()).singleElement().asString().contains("waited 1801 s, longer than PT30M");
        assertThat(report.details()).containsEntry("oldestPendingAgeSeconds", 1801L);
    }

    @Test
    void stuckHandlerRunsAreDegraded() {
        AtomicInteger stuck = new AtomicInteger(2);
        HealthReport report = health().stuckHandlers(stuck::get).build().check();
        assertThat(report.status()).isEqualTo(Status.DEGRADED);
        assertThat(report.problems()).singleElement().asString().contains("2 handler run(s) past handlerTimeout");
        assertThat(report.details()).containsEntry("stuckHandlers", 2);
    }

    @Test
    void aLastSuccessOlderThanTheLimitIsDegraded() {
        WebhookHealth health = health().maxSinceLastSuccess(Duration.ofHours(1)).build();
        health.onHandled("invoice.paid", Outcome.PROCESSED, Duration.ofMillis(1), false);
        clock.advance(Duration.ofHours(1));
        assertThat(health.check().status()).isEqualTo(Status.UP);
        clock.advance(Duration.ofSeconds(1));
        assertThat(health.check().status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void rejectsBadThresholdsNamingTheValue() {
        assertThatThrownBy(() -> health().backlogGrowthPeriod(Duration.ofSeconds(59)))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("at least 1 minute, but was PT59S");
        assertThatThrownBy(() -> health().maxOldestPendingAge(Duration.ZERO))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("must be positive, but was PT0S");
    }
}
