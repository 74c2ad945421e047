package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.jdbc.HikariDataSources;
import dev.hookwise.spring.autoconfigure.HookwiseDataSourceAutoConfiguration;
import java.sql.Connection;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Spring Boot's own HikariCP pool retries a refused connection (HookwiseDataSourceAutoConfiguration). */
class HookwiseDataSourceAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HookwiseDataSourceAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:hookwise-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "spring.datasource.hikari.data-source-properties.IGNORECASE=TRUE");

    @Test
    void bootsPoolOpensItsConnectionsThroughTheRetryWithItsOwnSettings() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            HikariDataSource pool = context.getBean(HikariDataSource.class);

            assertThat(pool.getDataSource()).isNotNull();
            assertThat(pool.getDataSource().getClass().getSimpleName()).isEqualTo("ReconnectingDataSource");
            try (Connection c = pool.getConnection(); var rs = c.createStatement().executeQuery(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'IGNORECASE'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("Boot's spring.datasource.hikari.* still applies").matches("(?i)1|true");
            }
        });
    }

    @Test
    void canBeSwitchedOff() {
        runner.withPropertyValues("hookwise.store.reconnect-on-outage=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(HikariDataSource.class).getDataSource()).isNull();
        });
    }

    @Test
    void withoutWebhookJdbcThePoolIsLeftAsItIs() {
        runner.withClassLoader(new FilteredClassLoader(HikariDataSources.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(HikariDataSource.class).getDataSource()).isNull();
        });
    }
}
