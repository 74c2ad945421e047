package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.inbox.Backoff;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.operations.EventRetention;
import dev.hookwise.core.recovery.ReconciliationScheduler;
import dev.hookwise.core.spi.Reconciler;
import dev.hookwise.spring.HookwiseProperties;
import dev.hookwise.spring.scheduling.DailyTask;
import dev.hookwise.spring.scheduling.InboxWorkerLifecycle;
import dev.hookwise.spring.scheduling.ReconciliationLifecycle;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Background work: the inbox worker pool in asynchronous mode ({@code hookwise.mode=async}), the
 * daily retention purge ({@code hookwise.retention.*}, on by default) and daily reconciliation
 * ({@code hookwise.reconciliation.*}, off by default). Both stop cleanly with
 * the context, after the web server.
 *
 * <p>With {@code hookwise.reconciliation.enabled=true}, the application's
 * {@link Reconciler} beans run once a day through the core's {@link ReconciliationScheduler}.
 */
@AutoConfiguration(after = HookwiseAutoConfiguration.class)
@ConditionalOnBean(WebhookProcessor.class)
public final class HookwiseSchedulingAutoConfiguration {

    /**
     * The inbox worker pool, started with the context when the processor runs asynchronously
     * ({@code hookwise.mode=async}, or unset on the JDBC event log); idle otherwise.
     */
    @Bean
    @ConditionalOnMissingBean
    public InboxWorkerLifecycle hookwiseInboxWorker(WebhookProcessor processor, HookwiseProperties properties) {
        if (processor.mode() != ProcessingMode.ASYNC) {
            return InboxWorkerLifecycle.idle();
        }
        HookwiseProperties.Worker w = properties.getWorker();
        InboxWorker.Builder builder = InboxWorker.builder(processor)
                .threads(w.getThreads())
                .pollInterval(w.getPollInterval())
                .batchSize(w.getBatchSize())
                .transactionBatchSize(w.getTransactionBatchSize())
                .prefetch(w.getPrefetch())
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

    /** The daily run of every {@link Reconciler} bean. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "hookwise.reconciliation", name = "enabled", havingValue = "true")
    public ReconciliationLifecycle hookwiseReconciliation(ObjectProvider<Reconciler> reconcilers, HookwiseProperties properties,
            ObjectProvider<Clock> clock) {
        List<Reconciler> all = reconcilers.orderedStream().toList();
        if (all.isEmpty()) {
            throw new HookwiseConfigurationException("hookwise.reconciliation.enabled=true, but the application defines no"
                    + " Reconciler bean: declare one (e.g. a StateStoreReconciler over your state machine) or remove the property");
        }
        HookwiseProperties.Reconciliation r = properties.getReconciliation();
        ReconciliationScheduler.Builder builder = ReconciliationScheduler.builder(all)
                .hourOfDay(r.getHourOfDay())
                .daysBack(r.getDaysBack())
                .zone(r.getZone())
                .clock(clock.getIfAvailable(Clock::systemUTC));
        return new ReconciliationLifecycle(builder::build);
    }
}
