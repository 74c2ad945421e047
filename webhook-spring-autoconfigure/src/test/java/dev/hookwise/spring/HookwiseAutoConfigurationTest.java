package dev.hookwise.spring;

import static dev.hookwise.spring.HookwiseContexts.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.spring.autoconfigure.HookwiseAutoConfiguration;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** One test per condition of {@code HookwiseAutoConfiguration}: the processor, its overrides, fail-fast settings and handlers. */
class HookwiseAutoConfigurationTest {
    private final ApplicationContextRunner runner = HookwiseContexts.runner();

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
                .isEqualTo(dev.hookwise.core.inbox.InboxWorker.DEFAULT_PREFETCH));
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
    void clockBeanIsTheProcessorsTimeSource() {
        MutableClock clock = MutableClock.at(NOW);
        runner.withBean(Clock.class, () -> clock).run(context ->
                assertThat(context.getBean(WebhookProcessor.class).clock()).isSameAs(clock));
    }
}
