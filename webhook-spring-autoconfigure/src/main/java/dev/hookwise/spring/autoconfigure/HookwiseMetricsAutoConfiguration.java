package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.metrics.MicrometerWebhookMetrics;
import dev.hookwise.core.spi.IdempotencyStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics ({@code hookwise.*} meters: answers by outcome, handler timings, backlog
 * gauges) when the application has a {@link MeterRegistry}, as every Actuator application does.
 */
@AutoConfiguration(after = HookwiseAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, WebhookProcessor.class})
public final class HookwiseMetricsAutoConfiguration {

    /**
     * The listener that records every answer, handler run and handler timeout; also binds the
     * backlog gauges and the running/stuck handler gauges.
     */
    @Bean
    @ConditionalOnMissingBean
    public MicrometerWebhookMetrics hookwiseMetrics(MeterRegistry registry, IdempotencyStore store, ObjectProvider<Clock> clock,
            ObjectProvider<WebhookProcessor> processor) {
        // The processor takes this bean as a listener, so its gauges read it lazily, at scrape time.
        MicrometerWebhookMetrics.bindHandlerGauges(registry, processor::getObject);
        return MicrometerWebhookMetrics.bind(registry, store, clock.getIfAvailable(Clock::systemUTC));
    }
}
