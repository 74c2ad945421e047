package dev.hookwise.spring.tx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.TransactionalWebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.spring.HookwiseHandlerRegistration;
import dev.hookwise.spring.StripeWebhookHandler;
import dev.hookwise.spring.TransactionalStripeHandler;
import dev.hookwise.spring.autoconfigure.HookwiseAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseFailureAnalyzer;
import dev.hookwise.spring.autoconfigure.HookwiseSchedulingAutoConfiguration;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The start-up check for transactional handlers, one test per way the handlers' writes could miss
 * the event's transaction: each refuses to start with a message that names what to change, and the
 * set-ups that are right start.
 */
class TransactionalHandlersStartUpCheckTest {
    static final String SECRET = "whsec_transactional_start_up_check";

    /** The starter with Spring Boot's DataSource and its DataSourceTransactionManager, on H2. */
    private final ApplicationContextRunner jdbcApp = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HookwiseAutoConfiguration.class, HookwiseSchedulingAutoConfiguration.class,
                    DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class))
            .withPropertyValues("hookwise.stripe.signing-secrets=" + SECRET,
                    "spring.datasource.url=" + h2Url());

    /** The same without a transaction manager. */
    private final ApplicationContextRunner noTransactionManager = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HookwiseAutoConfiguration.class, DataSourceAutoConfiguration.class))
            .withPropertyValues("hookwise.stripe.signing-secrets=" + SECRET, "spring.datasource.url=" + h2Url());

    @Test
    void startsWhenTheTransactionManagerManagesTheEventLogsDataSource() {
        jdbcApp.withUserConfiguration(TransactionalMethod.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(HandlerRegistry.class).hasTransactionalHandlers()).isTrue();
            assertThat(context).hasSingleBean(WebhookProcessor.class);
        });
    }

    @Test
    void refusesWithoutATransactionManager() {
        noTransactionManager.withUserConfiguration(TransactionalMethod.class).run(context -> {
            HookwiseConfigurationException e = refusal(context);
            assertThat(e).hasMessageContaining("@StripeWebhookHandler method Ledger.paid(…)")
                    .hasMessageContaining("the application has no PlatformTransactionManager bean")
                    .hasMessageContaining("add spring-boot-starter-jdbc")
                    .hasMessageContaining("transactional = false");
            FailureAnalysis analysis = new HookwiseFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).startsWith("Hookwise cannot run transactional handlers:")
                    .contains("no PlatformTransactionManager");
            assertThat(analysis.getAction()).contains("must share one DataSource");
        });
    }

    @Test
    void plainHandlersNeedNoTransactionManager() {
        noTransactionManager.withUserConfiguration(PlainMethod.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void refusesATransactionManagerOfAnotherDataSource() {
        jdbcApp.withUserConfiguration(TwoDataSources.class, ReportingJdbcTransactionManager.class, TransactionalMethod.class)
                .run(context -> assertThat(refusal(context))
                        .hasMessageContaining("no PlatformTransactionManager manages DataSource 'appDataSource'")
                        .hasMessageContaining("'reportingTransactionManager' (JdbcTransactionManager) manages DataSource"
                                + " 'reportingDataSource'"));
    }

    @Test
    void refusesAJpaTransactionManagerOnAnotherDataSource() {
        jdbcApp.withUserConfiguration(TwoDataSources.class, ReportingJpa.class, TransactionalMethod.class)
                .run(context -> assertThat(refusal(context))
                        .hasMessageContaining("no PlatformTransactionManager manages DataSource 'appDataSource'")
                        .hasMessageContaining("'reportingTransactionManager' (JpaTransactionManager) manages DataSource"
                                + " 'reportingDataSource'"));
    }

    @Test
    void refusesAnEventLogOfItsOwnOnASeparateDataSource() {
        jdbcApp.withUserConfiguration(TwoDataSources.class, EventLogOnTheReportingDataSource.class, TransactionalMethod.class)
                .run(context -> assertThat(refusal(context))
                        .hasMessageContaining("the IdempotencyStore bean 'eventLog' runs its transactions outside a Spring"
                                + " transaction on DataSource 'appDataSource'")
                        .hasMessageContaining(".transactionRunner(new SpringTransactionRunner(transactionManager))"));
    }

    @Test
    void refusesAnEventLogOfItsOwnWithTheSpringRunnerOnADataSourceItsManagerDoesNotManage() {
        jdbcApp.withUserConfiguration(TwoDataSources.class, SpringRunnerOnTheReportingDataSource.class, TransactionalMethod.class)
                .run(context -> assertThat(refusal(context))
                        .hasMessageContaining("the IdempotencyStore bean 'eventLog' is on a DataSource its transaction"
                                + " manager does not manage"));
    }

    @Test
    void startsWithAnEventLogOfItsOwnBuiltWithTheSpringRunner() {
        jdbcApp.withUserConfiguration(SpringRunnerOnTheApplicationsDataSource.class, TransactionalMethod.class)
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void refusesTheInMemoryEventLog() {
        jdbcApp.withUserConfiguration(TransactionalMethod.class).withPropertyValues("hookwise.store.type=memory")
                .run(context -> assertThat(refusal(context))
                        .hasMessageContaining("the IdempotencyStore InMemoryIdempotencyStore has no transactions"));
    }

    @Test
    void refusesWithoutSpringJdbcOnTheClasspath() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HookwiseAutoConfiguration.class))
                .withPropertyValues("hookwise.stripe.signing-secrets=" + SECRET)
                .withClassLoader(new FilteredClassLoader(DataSourceUtils.class))
                .withUserConfiguration(TransactionalMethod.class)
                .run(context -> assertThat(refusal(context))
                        .hasMessageContaining("@StripeWebhookHandler method Ledger.paid(…) is transactional")
                        .hasMessageContaining("add spring-boot-starter-jdbc"));
    }

    @Test
    void aRegisteredTransactionalStripeHandlerIsTransactional() {
        noTransactionManager.withUserConfiguration(TransactionalRegistration.class).run(context ->
                assertThat(refusal(context)).hasMessageContaining("the TransactionalStripeHandler registered for [invoice.paid]"));
    }

    @Test
    void aTransactionalStripeHandlerBeanIsTransactional() {
        noTransactionManager.withUserConfiguration(TransactionalBean.class).run(context ->
                assertThat(refusal(context)).hasMessageContaining("bean 'ledgerBean'"));
    }

    @Test
    void aCoreTransactionalWebhookHandlerBeanWritesThroughTheStoresConnectionAndNeedsNoTransactionManager() {
        noTransactionManager.withUserConfiguration(CoreTransactionalBean.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(HandlerRegistry.class).hasTransactionalHandlers()).isTrue();
        });
    }

    @Test
    void transactionBatchSizeOutOfRangeStopsStartUp() {
        jdbcApp.withPropertyValues("hookwise.worker.transaction-batch-size=65").run(context ->
                assertThat(refusal(context)).hasMessageContaining("hookwise.worker.transaction-batch-size must be between"
                        + " 1 and 64, but was 65"));
    }

    @Test
    void transactionBatchSizeReachesTheWorker() {
        jdbcApp.withUserConfiguration(TransactionalMethod.class)
                .withPropertyValues("hookwise.mode=async", "hookwise.worker.transaction-batch-size=10",
                        "hookwise.worker.batch-size=40")
                .run(context -> assertThat(context).hasNotFailed());
    }

    private static HookwiseConfigurationException refusal(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable t = context.getStartupFailure();
        while (t != null && !(t instanceof HookwiseConfigurationException)) {
            t = t.getCause();
        }
        assertThat(t).as("a HookwiseConfigurationException in %s", context.getStartupFailure()).isNotNull();
        return (HookwiseConfigurationException) t;
    }

    private static String h2Url() {
        return "jdbc:h2:mem:hookwise-check-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    private static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(h2Url());
        return ds;
    }

    /** A transactional handler method. */
    @Configuration(proxyBeanMethods = false)
    static class TransactionalMethod {
        @Bean
        Ledger ledger() {
            return new Ledger();
        }
    }

    static class Ledger {
        @StripeWebhookHandler(value = "invoice.paid", transactional = true)
        void paid(EventContext context) {
        }
    }

    /** A plain handler method. */
    @Configuration(proxyBeanMethods = false)
    static class PlainMethod {
        @Bean
        Mailer mailer() {
            return new Mailer();
        }
    }

    static class Mailer {
        @StripeWebhookHandler("invoice.paid")
        void paid(EventContext context) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TransactionalRegistration {
        @Bean
        HookwiseHandlerRegistration ledgerRegistration() {
            return HookwiseHandlerRegistration.of("invoice.paid", (TransactionalStripeHandler) context -> { });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TransactionalBean {
        @Bean
        LedgerBean ledgerBean() {
            return new LedgerBean();
        }
    }

    @StripeWebhookHandler("invoice.paid")
    static class LedgerBean implements TransactionalStripeHandler {
        @Override
        public void handle(EventContext context) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CoreTransactionalBean {
        @Bean
        ConnectionLedger connectionLedger() {
            return new ConnectionLedger();
        }
    }

    @StripeWebhookHandler("invoice.paid")
    static class ConnectionLedger implements TransactionalWebhookHandler {
        @Override
        public void handle(EventContext context, StoreTransaction transaction) {
        }
    }

    /** The application's DataSource (primary, the event log's) and a reporting one. */
    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {
        @Bean
        @Primary
        DataSource appDataSource() {
            return h2();
        }

        @Bean(defaultCandidate = false)
        DataSource reportingDataSource() {
            return h2();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ReportingJdbcTransactionManager {
        @Bean
        PlatformTransactionManager reportingTransactionManager(@Qualifier("reportingDataSource") DataSource reporting) {
            return new JdbcTransactionManager(reporting);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ReportingJpa {
        @Bean
        LocalContainerEntityManagerFactoryBean reportingEntityManagerFactory(@Qualifier("reportingDataSource") DataSource reporting) {
            LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
            factory.setDataSource(reporting);
            factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
            factory.setPackagesToScan("dev.hookwise.spring.tx.reporting"); // no entities
            return factory;
        }

        @Bean
        PlatformTransactionManager reportingTransactionManager(jakarta.persistence.EntityManagerFactory factory) {
            return new JpaTransactionManager(factory);
        }
    }

    /** Hookwise's own event log on the reporting DataSource, with the default (plain) runner. */
    @Configuration(proxyBeanMethods = false)
    static class EventLogOnTheReportingDataSource {
        @Bean
        JdbcIdempotencyStore eventLog(@Qualifier("reportingDataSource") DataSource reporting) {
            return JdbcIdempotencyStore.builder(reporting).createSchema(true).build();
        }
    }

    /** The same, with the Spring runner of the application's transaction manager: it manages another DataSource. */
    @Configuration(proxyBeanMethods = false)
    static class SpringRunnerOnTheReportingDataSource {
        @Bean
        JdbcIdempotencyStore eventLog(@Qualifier("reportingDataSource") DataSource reporting,
                PlatformTransactionManager transactionManager) {
            return JdbcIdempotencyStore.builder(reporting).createSchema(true)
                    .transactionRunner(new SpringTransactionRunner(transactionManager)).build();
        }
    }

    /** An event log of the application's own, as SpringTransactionRunner's Javadoc shows it. */
    @Configuration(proxyBeanMethods = false)
    static class SpringRunnerOnTheApplicationsDataSource {
        @Bean
        JdbcIdempotencyStore eventLog(DataSource dataSource, PlatformTransactionManager transactionManager) {
            return JdbcIdempotencyStore.builder(dataSource).createSchema(true)
                    .transactionRunner(new SpringTransactionRunner(transactionManager)).build();
        }
    }
}
