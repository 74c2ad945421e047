package dev.hookwise.spring;

import static dev.hookwise.spring.HookwiseContexts.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.Reconciler;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.spring.scheduling.DailyTask;
import dev.hookwise.spring.scheduling.InboxWorkerLifecycle;
import dev.hookwise.spring.scheduling.ReconciliationLifecycle;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** One test per condition of {@code HookwiseSchedulingAutoConfiguration}: the inbox worker, reconciliation and retention. */
class HookwiseSchedulingAutoConfigurationTest {
    private final ApplicationContextRunner runner = HookwiseContexts.runner();
    private final ApplicationContextRunner withDataSource = HookwiseContexts.withDataSource();

    @Test
    void reconciliationIsOffByDefault() {
        runner.withBean(Reconciler.class, () -> new CountingReconciler()).run(context ->
                assertThat(context).doesNotHaveBean(ReconciliationLifecycle.class));
    }

    @Test
    void reconciliationRunsTheApplicationsReconcilersOverTheConfiguredDays() {
        CountingReconciler reconciler = new CountingReconciler();
        runner.withBean(Reconciler.class, () -> reconciler).withBean(Clock.class, () -> MutableClock.at(NOW))
                .withPropertyValues("hookwise.reconciliation.enabled=true", "hookwise.reconciliation.days-back=2",
                        "hookwise.reconciliation.hour-of-day=5")
                .run(context -> {
                    ReconciliationLifecycle lifecycle = context.getBean(ReconciliationLifecycle.class);
                    assertThat(lifecycle.isRunning()).isTrue();
                    assertThat(lifecycle.runNow()).hasSize(1);
                    assertThat(reconciler.windows).containsExactly(NOW.minus(java.time.Duration.ofDays(2)) + ".." + NOW);
                    assertThat(lifecycle.lastReports()).containsKey("counting");
                    lifecycle.stop();
                    assertThat(lifecycle.isRunning()).isFalse();
                });
    }

    @Test
    void reconciliationWithoutReconcilersStopsStartUp() {
        runner.withPropertyValues("hookwise.reconciliation.enabled=true").run(context ->
                assertThat(rootCause(context.getStartupFailure())).isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("no Reconciler bean"));
        runner.withBean(Reconciler.class, () -> new CountingReconciler())
                .withPropertyValues("hookwise.reconciliation.enabled=true", "hookwise.reconciliation.days-back=31")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("hookwise.reconciliation.days-back"));
    }

    @Test
    void asyncModeRunsTheWorkerWithTheContextAndStopsItCleanly() {
        runner.withUserConfiguration(Handlers.class).withBean(Clock.class, () -> MutableClock.at(NOW))
                .withBean(WebhookProcessorCustomizer.class, () -> b -> b.allowInMemoryInbox(true))
                .withPropertyValues("hookwise.mode=async", "hookwise.worker.threads=1").run(context -> {
                    InboxWorkerLifecycle lifecycle = context.getBean(InboxWorkerLifecycle.class);
                    assertThat(lifecycle.isRunning()).isTrue();
                    lifecycle.stop();
                    assertThat(lifecycle.isRunning()).isFalse();

                    WebhookProcessor processor = context.getBean(WebhookProcessor.class);
                    TestEvent event = StripeEventFactory.create(MutableClock.at(NOW), 2).paymentIntentSucceeded()
                            .metadata("order_id", "ord_2").build();
                    assertThat(processor.process(signer().request(event, NOW)).outcome()).isEqualTo(Outcome.QUEUED);
                    assertThat(context.getBean(Handlers.class).calls).isEmpty();

                    // What the stopped worker would have done, in this thread.
                    assertThat(dev.hookwise.core.inbox.InboxWorker.builder(processor).build().drainOnce()).isEqualTo(1);
                    assertThat(context.getBean(Handlers.class).calls).hasSize(4);
                    lifecycle.start();
                    assertThat(lifecycle.isRunning()).isTrue();
                });
    }

    @Test
    void asyncModeOnJdbcQueuesInTheDatabaseAndTheWorkerDrainsIt() {
        withDataSource.withUserConfiguration(Handlers.class).withBean(Clock.class, () -> MutableClock.at(NOW))
                .withPropertyValues("hookwise.mode=async").run(context -> {
                    assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(JdbcIdempotencyStore.class);
                    InboxWorkerLifecycle lifecycle = context.getBean(InboxWorkerLifecycle.class);
                    lifecycle.stop();
                    WebhookProcessor processor = context.getBean(WebhookProcessor.class);
                    TestEvent event = StripeEventFactory.create(MutableClock.at(NOW), 3).paymentIntentSucceeded()
                            .metadata("order_id", "ord_3").build();

                    assertThat(processor.process(signer().request(event, NOW)).outcome()).isEqualTo(Outcome.QUEUED);
                    assertThat(processor.process(signer().request(event, NOW)).outcome()).isEqualTo(Outcome.DUPLICATE);
                    assertThat(processor.store().find(event.id())).hasValueSatisfying(r ->
                            assertThat(r.status()).isEqualTo(dev.hookwise.core.spi.EventStatus.QUEUED));

                    assertThat(dev.hookwise.core.inbox.InboxWorker.builder(processor).build().drainOnce()).isEqualTo(1);
                    assertThat(context.getBean(Handlers.class).calls).hasSize(4);
                    assertThat(processor.store().find(event.id())).hasValueSatisfying(r ->
                            assertThat(r.status()).isEqualTo(dev.hookwise.core.spi.EventStatus.COMPLETED));
                });
    }

    @Test
    void closingTheContextStopsTheWorkerAndTheDailyTasks() {
        java.util.concurrent.atomic.AtomicReference<InboxWorkerLifecycle> worker = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<DailyTask> retention = new java.util.concurrent.atomic.AtomicReference<>();
        runner.withBean(WebhookProcessorCustomizer.class, () -> b -> b.allowInMemoryInbox(true))
                .withPropertyValues("hookwise.mode=async").run(context -> {
            worker.set(context.getBean(InboxWorkerLifecycle.class));
            retention.set(context.getBean("hookwiseRetention", DailyTask.class));
            assertThat(worker.get().isRunning()).isTrue();
            assertThat(retention.get().isRunning()).isTrue();
        });
        assertThat(worker.get().isRunning()).isFalse();
        assertThat(worker.get().worker()).isEmpty();
        assertThat(retention.get().isRunning()).isFalse();
    }

    @Test
    void syncModeHasNoRunningWorker() {
        runner.run(context -> {
            assertThat(context.getBean(WebhookProcessor.class).mode()).isEqualTo(ProcessingMode.SYNC);
            InboxWorkerLifecycle lifecycle = context.getBean(InboxWorkerLifecycle.class);
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(lifecycle.worker()).isEmpty();
        });
    }

    @Test
    void modeDefaultsToAsyncOnTheJdbcEventLogAndSyncInMemory() {
        withDataSource.run(context -> {
            assertThat(context.getBean(WebhookProcessor.class).mode()).isEqualTo(ProcessingMode.ASYNC);
            assertThat(context.getBean(InboxWorkerLifecycle.class).isRunning()).isTrue();
        });
        withDataSource.withPropertyValues("hookwise.store.keep-payloads=false")
                .run(context -> assertThat(context.getBean(WebhookProcessor.class).mode()).isEqualTo(ProcessingMode.SYNC));
        withDataSource.withPropertyValues("hookwise.mode=sync")
                .run(context -> assertThat(context.getBean(WebhookProcessor.class).mode()).isEqualTo(ProcessingMode.SYNC));
        runner.run(context -> assertThat(context.getBean(WebhookProcessor.class).mode()).isEqualTo(ProcessingMode.SYNC));
    }

    @Test
    void retentionRunsDailyUnlessDisabled() {
        runner.run(context -> {
            DailyTask retention = context.getBean("hookwiseRetention", DailyTask.class);
            assertThat(retention.isRunning()).isTrue();
            assertThat(retention.runNow()).isZero();
        });
        runner.withPropertyValues("hookwise.retention.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean("hookwiseRetention"));
        runner.withPropertyValues("hookwise.retention.hour-of-day=24").run(context ->
                assertThat(rootCause(context.getStartupFailure())).isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("hookwise.retention.hour-of-day"));
    }
}
