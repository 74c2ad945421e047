package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.spring.HookwiseProperties;
import dev.hookwise.spring.HookwiseProperties.StoreType;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * The event store choices, imported in order: JDBC first (webhook-jdbc on the classpath, one
 * {@code DataSource}, {@code hookwise.store.type} not {@code memory}), memory otherwise.
 */
final class StoreConfigurations {

    private static final Logger log = LoggerFactory.getLogger(StoreConfigurations.class);

    /** Bean types that mean a migration tool owns the database, by name: neither is a dependency. */
    private static final List<String> MIGRATION_TOOLS =
            List.of("org.flywaydb.core.Flyway", "liquibase.integration.spring.SpringLiquibase");

    private StoreConfigurations() {}

    /** {@link JdbcIdempotencyStore} on the application's {@code DataSource}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcIdempotencyStore.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    @Conditional(NotMemoryCondition.class)
    static class Jdbc {

        @Bean
        @ConditionalOnMissingBean(IdempotencyStore.class)
        @DependsOnDatabaseInitialization // built after Flyway or Liquibase has migrated
        JdbcIdempotencyStore hookwiseIdempotencyStore(DataSource dataSource, HookwiseProperties properties,
                ObjectProvider<Clock> clock, ConfigurableListableBeanFactory beans) {
            HookwiseProperties.Store store = properties.getStore();
            JdbcIdempotencyStore.Builder builder = JdbcIdempotencyStore.builder(dataSource)
                    .tablePrefix(store.getTablePrefix())
                    .createSchema(initializeSchema(store, beans))
                    .keepPayloads(store.isKeepPayloads());
            // A Clock bean (tests) is used as it is; without one, leases follow the database's time,
            // so instances whose clocks drift apart still agree on when a lease expires.
            Clock given = clock.getIfAvailable();
            if (given != null) {
                builder.clock(given);
            }
            return builder.build();
        }
    }

    /**
     * {@code hookwise.store.initialize-schema} as set; unset (auto) means create the tables unless a
     * Flyway or Liquibase bean manages the database, whose migrations then own them.
     */
    static boolean initializeSchema(HookwiseProperties.Store store, ConfigurableListableBeanFactory beans) {
        Boolean explicit = store.getInitializeSchema();
        if (explicit != null) {
            return explicit;
        }
        ClassLoader loader = beans.getBeanClassLoader();
        for (String tool : MIGRATION_TOOLS) {
            if (ClassUtils.isPresent(tool, loader)
                    && beans.getBeanNamesForType(ClassUtils.resolveClassName(tool, loader), true, false).length > 0) {
                log.info("Hookwise leaves its tables to the {} bean (hookwise.store.initialize-schema=true"
                        + " makes it create them itself)", ClassUtils.getShortName(tool));
                return false;
            }
        }
        return true;
    }

    /** {@link InMemoryIdempotencyStore}: when no other store applies, or {@code hookwise.store.type=memory}. */
    @Configuration(proxyBeanMethods = false)
    static class Memory {
        private static final Logger log = LoggerFactory.getLogger(Memory.class);

        @Bean
        @ConditionalOnMissingBean(IdempotencyStore.class)
        InMemoryIdempotencyStore hookwiseIdempotencyStore(HookwiseProperties properties, ObjectProvider<Clock> clock) {
            if (properties.getStore().getType() == StoreType.JDBC) {
                // The JDBC configuration did not apply: say why instead of losing events on restart.
                throw new HookwiseConfigurationException("hookwise.store.type=jdbc, but "
                        + (isPresent("dev.hookwise.jdbc.JdbcIdempotencyStore")
                                ? "the application has no single DataSource: add spring-boot-starter-jdbc and spring.datasource.url"
                                : "dev.hookwise:webhook-jdbc is not on the classpath: add it")
                        + ", or set hookwise.store.type=memory");
            }
            log.info("Hookwise keeps events in memory: they are lost on restart; add a DataSource and"
                    + " dev.hookwise:webhook-jdbc for a durable event log");
            return InMemoryIdempotencyStore.create(clock.getIfAvailable(Clock::systemUTC));
        }

        private static boolean isPresent(String className) {
            return org.springframework.util.ClassUtils.isPresent(className, Memory.class.getClassLoader());
        }
    }

    /** Matches unless {@code hookwise.store.type=memory}. */
    static final class NotMemoryCondition extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String type = context.getEnvironment().getProperty("hookwise.store.type", "auto");
            return "memory".equalsIgnoreCase(type.trim())
                    ? ConditionOutcome.noMatch("hookwise.store.type is memory")
                    : ConditionOutcome.match("hookwise.store.type is " + type);
        }
    }
}
