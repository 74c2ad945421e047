package dev.hookwise.spring.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.jdbc.HikariDataSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Makes the application's HikariCP pools (Spring Boot's {@code spring.datasource} pool among them)
 * come back quickly after a database outage: see {@link HikariDataSources#reconnectOnOutage}.
 *
 * <p>The hazard it removes: HikariCP waits longer and longer between failed attempts to connect, up
 * to 5 s. After a database restart the pool, and with it the webhook endpoint (503 meanwhile) and
 * the inbox worker, came back up to 5 s after the database accepted connections again (measured by
 * the reliability suite's {@code database-restart-spring} scenario, about 3 poll intervals of the
 * worker). A pool that has started already, or that opens its connections through a
 * {@code DataSource} of its own, is left as it is.
 *
 * <p>On unless {@code hookwise.store.reconnect-on-outage=false}; needs webhook-jdbc and HikariCP on
 * the classpath.
 */
@AutoConfiguration
@ConditionalOnClass({HikariDataSource.class, HikariDataSources.class})
@ConditionalOnProperty(prefix = "hookwise.store", name = "reconnect-on-outage", havingValue = "true",
        matchIfMissing = true)
public final class HookwiseDataSourceAutoConfiguration {

    /**
     * Installs the retry in each HikariCP pool bean once Spring Boot has bound its
     * {@code spring.datasource.hikari.*} properties and before anything has asked it for a connection.
     * Static, so that registering it does not create this configuration early.
     */
    @Bean
    public static BeanPostProcessor hookwiseReconnectingPools() {
        return new ReconnectingPools();
    }

    private static final class ReconnectingPools implements BeanPostProcessor {
        private static final Logger log = LoggerFactory.getLogger(HookwiseDataSourceAutoConfiguration.class);

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof HikariDataSource pool) {
                if (HikariDataSources.reconnectOnOutage(pool)) {
                    log.debug("HikariCP pool '{}' retries a refused connection every 100 ms", beanName);
                } else {
                    log.debug("HikariCP pool '{}' left as it is (started already, or no JDBC URL)", beanName);
                }
            }
            return bean;
        }
    }
}
