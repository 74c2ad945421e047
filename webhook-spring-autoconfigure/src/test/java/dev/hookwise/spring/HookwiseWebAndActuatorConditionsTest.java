package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.metrics.MicrometerWebhookMetrics;
import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.core.operations.WebhookHealth;
import dev.hookwise.spring.actuate.HookwiseEndpoint;
import dev.hookwise.spring.actuate.HookwiseEndpointWebExtension;
import dev.hookwise.spring.actuate.HookwiseHealthIndicator;
import dev.hookwise.spring.autoconfigure.HookwiseAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseEndpointAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseHealthAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseMetricsAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseWebFluxAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseWebMvcAutoConfiguration;
import dev.hookwise.spring.web.HookwiseReactiveEndpoint;
import dev.hookwise.spring.web.HookwiseServletEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/** The web and Actuator conditions: MVC vs WebFlux vs no web, health, metrics and the endpoint, each with and without its classes. */
class HookwiseWebAndActuatorConditionsTest {
    private static final AutoConfigurations ALL = AutoConfigurations.of(HookwiseAutoConfiguration.class,
            HookwiseWebMvcAutoConfiguration.class, HookwiseWebFluxAutoConfiguration.class,
            HookwiseHealthAutoConfiguration.class, HookwiseMetricsAutoConfiguration.class,
            HookwiseEndpointAutoConfiguration.class);
    private static final String SECRET = "hookwise.stripe.signing-secrets=whsec_conditions_test";

    private final ApplicationContextRunner plain = new ApplicationContextRunner()
            .withConfiguration(ALL).withPropertyValues(SECRET);

    @Test
    void servletApplicationGetsTheMvcEndpoint() {
        new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(SECRET).run(context -> {
            assertThat(context).hasSingleBean(HookwiseServletEndpoint.class);
            assertThat(context).hasBean("hookwiseWebhookRoute");
            assertThat(context).doesNotHaveBean(HookwiseReactiveEndpoint.class);
        });
    }

    @Test
    void reactiveApplicationGetsTheWebFluxEndpoint() {
        new ReactiveWebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(SECRET).run(context -> {
            assertThat(context).hasSingleBean(HookwiseReactiveEndpoint.class);
            assertThat(context).hasBean("hookwiseWebhookRoute");
            assertThat(context).doesNotHaveBean(HookwiseServletEndpoint.class);
        });
    }

    @Test
    void nonWebApplicationGetsNoEndpoint() {
        plain.run(context -> {
            assertThat(context).doesNotHaveBean(HookwiseServletEndpoint.class);
            assertThat(context).doesNotHaveBean(HookwiseReactiveEndpoint.class);
            assertThat(context).doesNotHaveBean("hookwiseWebhookRoute");
        });
    }

    @Test
    void ownRouteReplacesTheStarters() {
        new WebApplicationContextRunner().withConfiguration(ALL).withPropertyValues(SECRET)
                .withBean("hookwiseWebhookRoute", String.class, () -> "mine")
                .run(context -> assertThat(context.getBean("hookwiseWebhookRoute")).isEqualTo("mine"));
    }

    @Test
    void healthIndicatorWhenHealthIsOnTheClasspath() {
        plain.run(context -> {
            assertThat(context).hasSingleBean(HookwiseHealthIndicator.class);
            assertThat(context).hasSingleBean(WebhookHealth.class);
            assertThat(context.getBean(HookwiseHealthIndicator.class).health().getStatus().getCode()).isEqualTo("UP");
        });
    }

    @Test
    void noHealthIndicatorWithoutActuator() {
        plain.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(HookwiseHealthIndicator.class);
            assertThat(context).doesNotHaveBean(WebhookHealth.class);
        });
    }

    @Test
    void healthIndicatorCanBeSwitchedOff() {
        plain.withPropertyValues("management.health.hookwise.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(HookwiseHealthIndicator.class));
    }

    @Test
    void endpointIsNotAvailableUnlessExposed() {
        plain.run(context -> {
            assertThat(context).doesNotHaveBean(HookwiseEndpoint.class);
            assertThat(context).doesNotHaveBean(EventReplayer.class);
        });
        plain.withPropertyValues("management.endpoints.web.exposure.include=hookwise").run(context ->
                assertThat(context).hasSingleBean(HookwiseEndpoint.class));
    }

    @Test
    void exposedEndpointIsReadOnlyUntilAccessIsGranted() {
        WebApplicationContextRunner actuator = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
                .withConfiguration(ALL)
                .withPropertyValues(SECRET, "management.endpoints.web.exposure.include=hookwise");
        actuator.run(context -> {
            assertThat(context).hasSingleBean(HookwiseEndpointWebExtension.class);
            assertThat(hookwiseOperations(context)).containsExactlyInAnyOrder(OperationType.READ, OperationType.READ);
        });
        // Upper case here: the runner's Environment lacks Boot's lenient enum conversion that a real
        // application has (the over-HTTP tests use the documented lower-case spelling).
        actuator.withPropertyValues("management.endpoint.hookwise.access=UNRESTRICTED").run(context ->
                assertThat(hookwiseOperations(context))
                        .containsExactlyInAnyOrder(OperationType.READ, OperationType.READ, OperationType.WRITE));
        // Boot's cap wins over the endpoint's own setting.
        actuator.withPropertyValues("management.endpoint.hookwise.access=UNRESTRICTED",
                "management.endpoints.access.max-permitted=READ_ONLY").run(context ->
                assertThat(hookwiseOperations(context)).doesNotContain(OperationType.WRITE));
        actuator.withPropertyValues("management.endpoint.hookwise.access=NONE").run(context -> {
            assertThat(context).doesNotHaveBean(HookwiseEndpoint.class);
            assertThat(context).doesNotHaveBean(HookwiseEndpointWebExtension.class);
        });
    }

    private static List<OperationType> hookwiseOperations(ApplicationContext context) {
        return context.getBean(WebEndpointsSupplier.class).getEndpoints().stream()
                .filter(e -> e.getEndpointId().toString().equals("hookwise"))
                .flatMap(e -> e.getOperations().stream()).map(WebOperation::getType).toList();
    }

    @Test
    void noEndpointWithoutActuator() {
        plain.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .withPropertyValues("management.endpoints.web.exposure.include=hookwise")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(HookwiseEndpoint.class);
                });
    }

    @Test
    void metricsWhenTheApplicationHasAMeterRegistry() {
        plain.run(context -> assertThat(context).doesNotHaveBean(MicrometerWebhookMetrics.class));
        plain.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context ->
                assertThat(context).hasSingleBean(MicrometerWebhookMetrics.class));
        plain.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).doesNotHaveBean(MicrometerWebhookMetrics.class));
    }

    @Test
    void userActuatorBeansReplaceTheStarters() {
        WebhookHealth own = WebhookHealth.builder(dev.hookwise.core.InMemoryIdempotencyStore.create()).build();
        plain.withBean(WebhookHealth.class, () -> own).run(context ->
                assertThat(context.getBean(WebhookHealth.class)).isSameAs(own));
    }
}
