package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.Backoff;
import dev.hookwise.core.EventRetention;
import dev.hookwise.core.InboxWorker;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.spring.HookwiseProperties;
import dev.hookwise.spring.scheduling.DailyTask;
import dev.hookwise.spring.scheduling.InboxWorkerLifecycle;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Background work: the inbox worker pool in asynchronous mode ({@code hookwise.mode=async}) and
 * the daily retention purge ({@code hookwise.retention.*}, on by default). Both stop cleanly with
 * the context, after the web server.
 *
 * <p>Reconciliation against Stripe's events API is not scheduled by this version: the core's
 * scheduler for it is not released yet; {@code hookwise.reconciliation.enabled=true} fails start-up
 * with a message saying so rather than silently doing nothing.
 */
@AutoConfiguration(after = HookwiseAutoConfiguration.class)
@ConditionalOnBean(WebhookProcessor.class)
public final class HookwiseSchedulingAutoConfiguration {

    /** The inbox worker pool, started with the context. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "hookwise", name = "mode", havingValue = "async")
    public InboxWorkerLifecycle hookwiseInboxWorker(WebhookProcessor processor, HookwiseProperties properties) {
        HookwiseProperties.Worker w = properties.getWorker();
        InboxWorker.Builder builder = InboxWorker.builder(processor)
                .threads(w.getThreads())
                .pollInterval(w.getPollInterval())
                .batchSize(w.getBatchSize())
                .maxAttempts(w.getMaxAttempts())
                .backoff(Backoff.exponential(w.getBackoffInitial(), w.getBackoffMultiplier(), w.getBackoffMax(),
                        Backoff.DEFAULT_JITTER))
                .shutdownTimeout(w.getShutdownTimeout());
        builder.build(); // validate now, so that a bad setting stops start-up rather than the first start()
        return new InboxWorkerLifecycle(builder::build);
    }

    /** The daily purge of old completed and ignored events. */
    @Bean
    @ConditionalOnMissingBean(name = "hookwiseRetention")
    @ConditionalOnProperty(prefix = "hookwise.retention", name = "enabled", havingValue = "true", matchIfMissing = true)
    public DailyTask hookwiseRetention(WebhookProcessor processor, HookwiseProperties properties, ObjectProvider<Clock> clock) {
        Clock time = clock.getIfAvailable(Clock::systemUTC);
        EventRetention retention = EventRetention.builder(processor.store())
                .retention(properties.getRetention().getKeep())
                .clock(time)
                .build();
        return new DailyTask("retention", properties.getRetention().getHourOfDay(), retention::purge, time);
    }
}
