package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.spring.WebhookProcessorCustomizer;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Micrometer observations of the webhook pipeline ({@code hookwise.receive}, {@code hookwise.enqueue},
 * {@code hookwise.process}) when the application has an {@link ObservationRegistry}, as Spring Boot's
 * observation auto-configuration provides with Actuator. With Micrometer Tracing on the classpath the
 * observations become spans, the delivery's trace context is stored with each queued event, and the
 * inbox worker's run continues that trace. {@code hookwise.observations.enabled=false} switches them off.
 */
@AutoConfiguration(after = HookwiseAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})
@ConditionalOnClass({ObservationRegistry.class, WebhookProcessor.class})
@ConditionalOnBean({ObservationRegistry.class, WebhookProcessor.class})
@ConditionalOnProperty(prefix = "hookwise.observations", name = "enabled", havingValue = "true", matchIfMissing = true)
public final class HookwiseObservationAutoConfiguration {

    /**
     * Gives the processor the application's {@link ObservationRegistry}. Ordered first, so an
     * application's own {@link WebhookProcessorCustomizer} can still set another registry.
     *
     * @param registry the application's observation registry
     * @return the customizer that sets it on the processor's builder
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public WebhookProcessorCustomizer hookwiseObservationCustomizer(ObservationRegistry registry) {
        return builder -> builder.observationRegistry(registry);
    }
}
