package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import dev.hookwise.core.EventContext;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.Reconciler;
import dev.hookwise.core.spi.ReconciliationReport;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.spring.autoconfigure.HookwiseAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseSchedulingAutoConfiguration;
import dev.hookwise.spring.scheduling.DailyTask;
import dev.hookwise.spring.scheduling.InboxWorkerLifecycle;
import dev.hookwise.spring.scheduling.ReconciliationLifecycle;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One test per condition of the core auto-configuration: store choice, overrides, fail-fast, handlers, scheduling. */
class HookwiseAutoConfigurationTest {
    static final String SECRET = "whsec_autoconfig_test_secret";
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HookwiseAutoConfiguration.class, HookwiseSchedulingAutoConfiguration.class))
            .withPropertyValues("hookwise.stripe.signing-secrets=" + SECRET);

    private final ApplicationContextRunner withDataSource = runner
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:hookwise-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void withoutDataSourceEventsAreKeptInMemory() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(WebhookProcessor.class);
            assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(InMemoryIdempotencyStore.class);
        });
    }

    @Test
    void withDataSourceEventsGoToJdbc() {
        withDataSource.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(JdbcIdempotencyStore.class);
            assertThat(((JdbcIdempotencyStore) context.getBean(IdempotencyStore.class)).tableName()).startsWith("hookwise_");
        });
    }

    @Test
    void tablePrefixIsApplied() {
        withDataSource.withPropertyValues("hookwise.store.table-prefix=shop_hooks_").run(context ->
                assertThat(((JdbcIdempotencyStore) context.getBean(IdempotencyStore.class)).tableName()).startsWith("shop_hooks_"));
    }

    @Test
    void storeTypeMemoryWinsOverADataSource() {
        withDataSource.withPropertyValues("hookwise.store.type=memory").run(context ->
                assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(InMemoryIdempotencyStore.class));
    }

    @Test
    void withoutWebhookJdbcOnTheClasspathADataSourceStillMeansMemory() {
        withDataSource.withClassLoader(new FilteredClassLoader(JdbcIdempotencyStore.class)).run(context ->
                assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(InMemoryIdempotencyStore.class));
    }

    @Test
    void storeTypeJdbcWithoutDataSourceStopsStartUp() {
        runner.withPropertyValues("hookwise.store.type=jdbc").run(context ->
                assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("hookwise.store.type=jdbc")
                        .hasMessageContaining("no single DataSource"));
    }

    @Test
    void missingSecretStopsStartUpWithTheProperty() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HookwiseAutoConfiguration.class))
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("no signing secret configured")
                        .hasMessageContaining("hookwise.stripe.signing-secrets"));
    }

    @Test
    void secretThatIsNotWhsecStopsStartUpWithoutRepeatingIt() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HookwiseAutoConfiguration.class))
                .withPropertyValues("hookwise.stripe.signing-secrets=" + SECRET + ",sk_test_looks_like_an_api_key")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("hookwise.stripe.signing-secrets[1] does not start with whsec_")
                        .hasMessageNotContaining("sk_test_looks_like_an_api_key"));
    }

    @Test
    void asyncModeWithoutPayloadsIsContradictory() {
        runner.withPropertyValues("hookwise.mode=async", "hookwise.store.keep-payloads=false").run(context ->
                assertThat(rootCause(context.getStartupFailure())).isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("hookwise.mode=async"));
    }

    @Test
    void workerPrefetchOutOfRangeStopsStartUpNamingTheProperty() {
        runner.withPropertyValues("hookwise.mode=async", "hookwise.worker.prefetch=1001").run(context ->
                assertThat(rootCause(context.getStartupFailure())).isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("hookwise.worker.prefetch must be between 0 and 1000, but was 1001"));
    }

    @Test
    void workerPrefetchIsBoundToTheProperties() {
        runner.withPropertyValues("hookwise.worker.prefetch=0").run(context ->
                assertThat(context.getBean(HookwiseProperties.class).getWorker().getPrefetch()).isZero());
        runner.run(context -> assertThat(context.getBean(HookwiseProperties.class).getWorker().getPrefetch())
                .isEqualTo(dev.hookwise.core.InboxWorker.DEFAULT_PREFETCH));
    }

    @Test
    void trustedProxiesWithoutAllowListAreContradictory() {
        runner.withPropertyValues("hookwise.sources.trusted-proxies=10.0.0.0/8").run(context ->
                assertThat(rootCause(context.getStartupFailure())).isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("hookwise.sources.allow"));
    }

    @Test
    void leaseShorterThanRetriesIsContradictory() {
        runner.withPropertyValues("hookwise.lease-duration=1s", "hookwise.retry.max-attempts=5",
                "hookwise.retry.initial-interval=1s").run(context ->
                assertThat(rootCause(context.getStartupFailure())).isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("hookwise.lease-duration"));
    }

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

    /** Records the windows it was asked to reconcile. */
    static final class CountingReconciler implements Reconciler {
        final List<String> windows = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public ReconciliationReport reconcile(Instant from, Instant to) {
            windows.add(from + ".." + to);
            return new ReconciliationReport(name(), from, to, 0, 0, 0, List.of(), to);
        }
    }

    @Test
    void disabledStarterDefinesNothing() {
        runner.withPropertyValues("hookwise.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(WebhookProcessor.class);
            assertThat(context).doesNotHaveBean(IdempotencyStore.class);
        });
    }

    @Test
    void userBeansReplaceTheStarters() {
        runner.withUserConfiguration(OwnBeans.class).withPropertyValues("hookwise.stripe.api-key=sk_test_x").run(context -> {
            assertThat(context).getBean(IdempotencyStore.class).isSameAs(OwnBeans.STORE);
            assertThat(context).getBean(HandlerRegistry.class).isSameAs(OwnBeans.HANDLERS);
            assertThat(context).getBean(StripeClient.class).isSameAs(OwnBeans.CLIENT);
            assertThat(context).hasSingleBean(WebhookProcessor.class);
        });
        runner.withUserConfiguration(OwnProcessor.class).run(context ->
                assertThat(context).getBean(WebhookProcessor.class).isSameAs(OwnProcessor.PROCESSOR));
    }

    @Test
    void apiKeyGivesAStripeClient() {
        runner.run(context -> assertThat(context).doesNotHaveBean(StripeClient.class));
        runner.withPropertyValues("hookwise.stripe.api-key=sk_test_123", "hookwise.stripe.api-base=http://127.0.0.1:1")
                .run(context -> assertThat(context).hasSingleBean(StripeClient.class));
    }

    @Test
    void apiBaseWithoutKeyIsContradictory() {
        runner.withPropertyValues("hookwise.stripe.api-base=http://127.0.0.1:1").run(context ->
                assertThat(rootCause(context.getStartupFailure())).isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("hookwise.stripe.api-key"));
    }

    @Test
    void asyncModeWithoutADurableEventLogStopsStartUpSayingWhatToDo() {
        runner.withPropertyValues("hookwise.mode=async").run(context ->
                assertThat(context.getStartupFailure()).hasStackTraceContaining(HookwiseConfigurationException.class.getName()
                        + ": hookwise.mode=async answers 200 before handlers run")
                        .hasStackTraceContaining("add dev.hookwise:webhook-jdbc and a DataSource")
                        .hasStackTraceContaining("or set hookwise.mode=sync"));
    }

    @Test
    void handlerTimeoutAndMaxAttemptsReachTheProcessor() {
        runner.withPropertyValues("hookwise.handler-timeout=2m", "hookwise.worker.max-attempts=5").run(context -> {
            WebhookProcessor processor = context.getBean(WebhookProcessor.class);
            assertThat(processor.handlerTimeout()).contains(java.time.Duration.ofMinutes(2));
            assertThat(processor.maxAttempts()).isEqualTo(5);
        });
        runner.run(context -> assertThat(context.getBean(WebhookProcessor.class).handlerTimeout()).isEmpty());
        runner.withPropertyValues("hookwise.handler-timeout=-1s").run(context ->
                assertThat(rootCause(context.getStartupFailure())).isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("hookwise.handler-timeout"));
    }

    @Test
    void customizersRunLast() {
        runner.withBean(WebhookProcessorCustomizer.class, () -> b -> b.mode(ProcessingMode.ASYNC).allowInMemoryInbox(true)).run(context ->
                assertThat(context.getBean(WebhookProcessor.class).mode()).isEqualTo(ProcessingMode.ASYNC));
    }

    @Test
    void annotatedMethodsGetTheirTypedParameters() {
        runner.withUserConfiguration(Handlers.class).withBean(Clock.class, () -> MutableClock.at(NOW)).run(context -> {
            WebhookProcessor processor = context.getBean(WebhookProcessor.class);
            Handlers handlers = context.getBean(Handlers.class);
            TestEvent event = StripeEventFactory.create(MutableClock.at(NOW), 1).paymentIntentSucceeded()
                    .metadata("order_id", "ord_1").build();

            assertThat(processor.process(signer().request(event, NOW)).outcome()).isEqualTo(Outcome.PROCESSED);
            assertThat(processor.process(signer().request(event, NOW)).outcome()).isEqualTo(Outcome.DUPLICATE);

            assertThat(handlers.calls).containsExactly(
                    "registration:" + event.id(),
                    "bean:" + event.id(),
                    "method:ord_1:" + event.id() + ":" + event.id(),
                    "wildcard:payment_intent.succeeded");
        });
    }

    @Test
    void handlerBeanWithoutEventTypesStopsStartUp() {
        runner.withBean("mystery", WebhookHandler.class, () -> ctx -> { }).run(context ->
                assertThat(rootCause(context.getStartupFailure())).isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("bean 'mystery'")
                        .hasMessageContaining("@StripeWebhookHandler"));
    }

    @Test
    void annotatedMethodWithAParameterHookwiseCannotSupplyStopsStartUp() {
        runner.withUserConfiguration(BadHandler.class).run(context ->
                assertThat(rootCause(context.getStartupFailure())).isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("BadHandler.wrong(…)")
                        .hasMessageContaining("java.lang.String"));
    }

    @Test
    void invalidPatternStopsStartUp() {
        runner.withBean(HookwiseHandlerRegistration.class, () -> HookwiseHandlerRegistration.of("payment_*", ctx -> { }))
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("payment_*"));
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
                    assertThat(dev.hookwise.core.InboxWorker.builder(processor).build().drainOnce()).isEqualTo(1);
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

                    assertThat(dev.hookwise.core.InboxWorker.builder(processor).build().drainOnce()).isEqualTo(1);
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

    @Test
    void clockBeanIsTheProcessorsTimeSource() {
        MutableClock clock = MutableClock.at(NOW);
        runner.withBean(Clock.class, () -> clock).run(context ->
                assertThat(context.getBean(WebhookProcessor.class).clock()).isSameAs(clock));
    }

    static WebhookSigner signer() {
        return WebhookSigner.forSecret(SECRET);
    }

    static Throwable rootCause(Throwable t) {
        assertThat(t).as("start-up failure").isNotNull();
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final IdempotencyStore STORE = InMemoryIdempotencyStore.create();
        static final HandlerRegistry HANDLERS = HandlerRegistry.empty();
        static final StripeClient CLIENT = new StripeClient("sk_test_own");

        @Bean
        IdempotencyStore myStore() {
            return STORE;
        }

        @Bean
        HandlerRegistry myHandlers() {
            return HANDLERS;
        }

        @Bean
        StripeClient myClient() {
            return CLIENT;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnProcessor {
        static final WebhookProcessor PROCESSOR = WebhookProcessor.builder().signingSecrets(SECRET).build();

        @Bean
        WebhookProcessor myProcessor() {
            return PROCESSOR;
        }
    }

    /** Every handler style at once, recording calls in order. */
    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        HookwiseHandlerRegistration registration() {
            return HookwiseHandlerRegistration.of("payment_intent.succeeded", ctx -> calls.add("registration:" + ctx.eventId()));
        }

        @Bean
        AnnotatedBean annotatedBean() {
            return new AnnotatedBean(calls);
        }

        @StripeWebhookHandler("payment_intent.succeeded")
        void onPaid(PaymentIntent intent, EventContext context, Event event) {
            calls.add("method:" + intent.getMetadata().get("order_id") + ":" + context.eventId() + ":" + event.getId());
        }

        @StripeWebhookHandler("payment_intent.*")
        void wildcard(EventContext context) {
            calls.add("wildcard:" + context.eventType());
        }
    }

    @StripeWebhookHandler("payment_intent.succeeded")
    static final class AnnotatedBean implements WebhookHandler {
        private final List<String> calls;

        AnnotatedBean(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public void handle(EventContext context) {
            calls.add("bean:" + context.eventId());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadHandler {
        @StripeWebhookHandler("charge.refunded")
        void wrong(String what) {
        }
    }
}
