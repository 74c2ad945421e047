package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.metrics.WebhookObservations;
import dev.hookwise.spring.autoconfigure.HookwiseAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseObservationAutoConfiguration;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/** The processor reports observations to the application's ObservationRegistry, unless switched off or absent. */
class HookwiseObservationAutoConfigurationTest {
    private static final String SECRET = "whsec_observation_test_secret";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HookwiseAutoConfiguration.class,
                    HookwiseObservationAutoConfiguration.class))
            .withPropertyValues("hookwise.stripe.signing-secrets=" + SECRET, "hookwise.store.type=memory")
            .withBean(Clock.class, () -> MutableClock.at(NOW))
            .withBean(HandlerRegistry.class, () -> HandlerRegistry.builder()
                    .on("payment_intent.succeeded", ctx -> { }).build());

    private static Outcome deliver(ApplicationContext context, int seed) {
        TestEvent event = StripeEventFactory.create(MutableClock.at(NOW), seed).paymentIntentSucceeded().build();
        return context.getBean(WebhookProcessor.class)
                .process(WebhookSigner.forSecret(SECRET).request(event, NOW)).outcome();
    }

    @Test
    void anObservationRegistryBeanGetsTheReceiveAndProcessObservations() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            assertThat(context).hasBean("hookwiseObservationCustomizer");

            assertThat(deliver(context, 1)).isEqualTo(Outcome.PROCESSED);

            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo(WebhookObservations.RECEIVE, 1)
                    .hasObservationWithNameEqualTo(WebhookObservations.PROCESS).that()
                    .hasLowCardinalityKeyValue(WebhookObservations.OUTCOME, "processed")
                    .hasLowCardinalityKeyValue(WebhookObservations.EVENT_TYPE, "payment_intent.succeeded");
        });
    }

    @Test
    void bootsOwnObservationAutoConfigurationIsPickedUp() {
        runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class)).run(context -> {
            assertThat(context).hasSingleBean(ObservationRegistry.class).hasBean("hookwiseObservationCustomizer");
            assertThat(deliver(context, 2)).isEqualTo(Outcome.PROCESSED);
        });
    }

    @Test
    void thePropertySwitchesThemOff() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> registry)
                .withPropertyValues("hookwise.observations.enabled=false").run(context -> {
                    assertThat(context).doesNotHaveBean("hookwiseObservationCustomizer");
                    assertThat(deliver(context, 3)).isEqualTo(Outcome.PROCESSED);
                    TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
                });
    }

    @Test
    void withoutARegistryBeanOrWithoutMicrometerTheProcessorRunsUnobserved() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("hookwiseObservationCustomizer");
            assertThat(deliver(context, 4)).isEqualTo(Outcome.PROCESSED);
        });
        runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("hookwiseObservationCustomizer");
            assertThat(deliver(context, 5)).isEqualTo(Outcome.PROCESSED);
        });
    }

    @Test
    void anApplicationCustomizerCanSetAnotherRegistry() {
        TestObservationRegistry bean = TestObservationRegistry.create();
        TestObservationRegistry own = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> bean)
                .withBean(WebhookProcessorCustomizer.class, () -> builder -> builder.observationRegistry(own))
                .run(context -> {
                    deliver(context, 6);
                    TestObservationRegistryAssert.assertThat(bean).doesNotHaveAnyObservation();
                    TestObservationRegistryAssert.assertThat(own)
                            .hasNumberOfObservationsWithNameEqualTo(WebhookObservations.RECEIVE, 1);
                });
    }
}
