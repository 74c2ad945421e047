package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.operations.WebhookHealth;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.spring.HookwiseProperties;
import dev.hookwise.spring.actuate.HookwiseHealthIndicator;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code hookwise} health indicator, when Spring Boot's health support is on the classpath
 * (it comes with {@code spring-boot-starter-actuator}); off with
 * {@code management.health.hookwise.enabled=false}. The {@link WebhookHealth} bean is also a
 * {@code WebhookListener}, so the processor feeds it every handler run.
 */
@AutoConfiguration(after = HookwiseAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(WebhookProcessor.class)
@ConditionalOnEnabledHealthIndicator("hookwise")
public final class HookwiseHealthAutoConfiguration {

    /** The health checks over the event store and recent handler runs. */
    @Bean
    @ConditionalOnMissingBean
    public WebhookHealth hookwiseWebhookHealth(IdempotencyStore store, HookwiseProperties properties, ObjectProvider<Clock> clock,
            ObjectProvider<WebhookProcessor> processor) {
        HookwiseProperties.Health h = properties.getHealth();
        WebhookHealth.Builder builder = WebhookHealth.builder(store)
                // Read lazily: the processor takes this bean as one of its listeners.
                .stuckHandlers(() -> {
                    WebhookProcessor p = processor.getIfAvailable();
                    return p == null ? 0 : p.stuckHandlers();
                })
                .backlogThreshold(h.getBacklogThreshold())
                .failureRateThreshold(h.getFailureRateThreshold())
                .window(h.getWindow())
                .backlogGrowthPeriod(h.getBacklogGrowthPeriod())
                .clock(clock.getIfAvailable(Clock::systemUTC));
        if (h.getMaxOldestPendingAge() != null) {
            builder.maxOldestPendingAge(h.getMaxOldestPendingAge());
        }
        return builder.build();
    }

    /** The Actuator indicator, named {@code hookwise} after its bean name. */
    @Bean
    @ConditionalOnMissingBean(name = "hookwiseHealthIndicator")
    public HookwiseHealthIndicator hookwiseHealthIndicator(WebhookHealth health) {
        return new HookwiseHealthIndicator(health);
    }
}
