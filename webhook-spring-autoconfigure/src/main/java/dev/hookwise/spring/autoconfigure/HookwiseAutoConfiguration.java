package dev.hookwise.spring.autoconfigure;

import com.stripe.StripeClient;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookListener;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.policy.Backpressure;
import dev.hookwise.core.policy.EventAgePolicy;
import dev.hookwise.core.policy.SourceAddressFilter;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.spring.HookwiseHandlerRegistration;
import dev.hookwise.spring.HookwiseProperties;
import dev.hookwise.spring.WebhookProcessorCustomizer;
import dev.hookwise.spring.internal.HandlerBeans;
import dev.hookwise.spring.internal.HandlerTransactions;
import dev.hookwise.spring.internal.PropertiesValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;

/**
 * The heart of the starter: validates {@code hookwise.*}, chooses the event store (JDBC when the
 * application has a {@code DataSource}, else memory), collects handler beans and
 * {@code @StripeWebhookHandler} methods, and builds the {@link WebhookProcessor}. Every bean backs
 * off when the application defines its own.
 *
 * <p>A {@link Clock} bean, when the application has one, is the processor's time source (tests use
 * the testkit's {@code MutableClock}); {@link WebhookListener} beans all hear every answer;
 * {@link WebhookProcessorCustomizer} beans adjust the builder last.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@ConditionalOnClass(WebhookProcessor.class)
@ConditionalOnProperty(prefix = "hookwise", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(HookwiseProperties.class)
@Import({StoreConfigurations.Jdbc.class, StoreConfigurations.Memory.class,
        HookwiseAutoConfiguration.HandlerTransactionsConfiguration.class})
public final class HookwiseAutoConfiguration {

    /**
     * What transactional handlers need on the classpath, by name (all optional dependencies):
     * spring-tx, spring-jdbc and webhook-jdbc.
     */
    static final String[] TRANSACTION_CLASSES = {
            "org.springframework.transaction.PlatformTransactionManager",
            "org.springframework.jdbc.datasource.DataSourceUtils",
            "dev.hookwise.jdbc.JdbcTransactionRunner"};

    /** Whether all of {@link #TRANSACTION_CLASSES} are visible to the application's class loader. */
    static boolean transactionsPresent(ConfigurableListableBeanFactory beans) {
        return Arrays.stream(TRANSACTION_CLASSES).allMatch(c -> ClassUtils.isPresent(c, beans.getBeanClassLoader()));
    }

    /**
     * Handlers from {@link HookwiseHandlerRegistration} beans, handler beans and annotated methods.
     * When some are transactional, checks that their writes can commit with the event (see
     * {@code StripeWebhookHandler#transactional}) and refuses to start otherwise.
     */
    @Bean
    @ConditionalOnMissingBean
    public HandlerRegistry hookwiseHandlerRegistry(ConfigurableListableBeanFactory beans,
            ObjectProvider<HookwiseHandlerRegistration> registrations, ObjectProvider<IdempotencyStore> store) {
        HandlerBeans.Found found = HandlerBeans.find(beans, registrations.orderedStream().toList(),
                transactionsPresent(beans) ? TransactionalHandlers.wrapper(beans) : (handler, description) -> {
                    throw new TransactionalHandlersException(description + " is transactional, but transactional"
                            + " handlers run in Spring transactions of the JDBC event log, and spring-jdbc, spring-tx or"
                            + " dev.hookwise:webhook-jdbc is not on the classpath: add spring-boot-starter-jdbc and"
                            + " webhook-jdbc, or make the handler plain");
                });
        if (!found.transactional().isEmpty()) {
            TransactionalHandlers.verify(found.transactional(), store.getObject(), beans);
        }
        return found.registry();
    }

    /** Which transaction manager runs transactional handlers' transactions; with spring-tx, spring-jdbc and webhook-jdbc. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {
            "org.springframework.transaction.PlatformTransactionManager",
            "org.springframework.jdbc.datasource.DataSourceUtils",
            "dev.hookwise.jdbc.JdbcTransactionRunner"}) // TRANSACTION_CLASSES
    static class HandlerTransactionsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        HandlerTransactions hookwiseHandlerTransactions(ListableBeanFactory beans) {
            return HandlerTransactions.find(beans);
        }
    }

    /** A stripe-java client when {@code hookwise.stripe.api-key} is set, for {@code EventContext.fetchLatest()}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "hookwise.stripe", name = "api-key")
    public StripeClient hookwiseStripeClient(HookwiseProperties properties) {
        HookwiseProperties.Stripe stripe = properties.getStripe();
        StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(stripe.getApiKey());
        if (stripe.getApiBase() != null) {
            builder.setApiBase(stripe.getApiBase());
        }
        return builder.build();
    }

    /** The pipeline, configured from {@code hookwise.*}. */
    @Bean
    @ConditionalOnMissingBean
    public WebhookProcessor hookwiseWebhookProcessor(HookwiseProperties properties, IdempotencyStore store,
            HandlerRegistry handlers, ObjectProvider<WebhookListener> listeners, ObjectProvider<StripeClient> stripeClient,
            ObjectProvider<Clock> clock, ObjectProvider<WebhookProcessorCustomizer> customizers) {
        PropertiesValidator.validate(properties);
        WebhookProcessor.Builder builder = WebhookProcessor.builder()
                .signingSecrets(properties.getStripe().getSigningSecrets())
                .tolerance(properties.getTolerance())
                .maxPayloadBytes((int) properties.getMaxPayloadSize().toBytes())
                .eventAgePolicy(agePolicy(properties.getMaxEventAge()))
                .retryPolicy(PropertiesValidator.retryPolicy(properties))
                .mode(PropertiesValidator.effectiveMode(properties, store))
                .leaseDuration(properties.getLeaseDuration())
                .maxAttempts(properties.getWorker().getMaxAttempts())
                .retryAfter(properties.getRetryAfter())
                .keepPayloads(properties.getStore().isKeepPayloads())
                .store(store)
                .handlers(handlers)
                .listener(WebhookListener.composite(listeners.orderedStream().toArray(WebhookListener[]::new)))
                .clock(clock.getIfAvailable(Clock::systemUTC));
        if (properties.getInstanceId() != null) {
            builder.instanceId(properties.getInstanceId());
        }
        if (properties.getHandlerTimeout() != null) {
            builder.handlerTimeout(properties.getHandlerTimeout());
        }
        HookwiseProperties.Sources sources = properties.getSources();
        if (!sources.getAllow().isEmpty()) {
            builder.sourceAddressFilter(SourceAddressFilter.builder()
                    .allow(sources.getAllow().toArray(String[]::new))
                    .trustProxies(sources.getTrustedProxies().toArray(String[]::new))
                    .build());
        }
        HookwiseProperties.Backpressure limits = properties.getBackpressure();
        if (limits.getMaxInFlight() != null || limits.getMaxBacklog() != null) {
            Backpressure.Builder b = Backpressure.builder();
            if (limits.getMaxInFlight() != null) {
                b.maxInFlight(limits.getMaxInFlight());
            }
            if (limits.getMaxBacklog() != null) {
                b.maxBacklog(limits.getMaxBacklog());
            }
            builder.backpressure(b.build());
        }
        stripeClient.ifAvailable(builder::stripeClient);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        try {
            return builder.build();
        } catch (HookwiseConfigurationException e) {
            if (properties.getMode() == ProcessingMode.ASYNC
                    && !(store instanceof InboxStore inbox && inbox.durable())) {
                // Say it in the starter's terms: the builder's message names builder methods.
                throw new HookwiseConfigurationException("hookwise.mode=async answers 200 before handlers run, so it"
                        + " needs a durable event log: add dev.hookwise:webhook-jdbc and a DataSource (the starter then"
                        + " uses JdbcIdempotencyStore), or set hookwise.mode=sync (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    private static EventAgePolicy agePolicy(Duration maxAge) {
        return maxAge.isZero() || maxAge.isNegative() ? EventAgePolicy.disabled() : EventAgePolicy.maxAge(maxAge);
    }
}
