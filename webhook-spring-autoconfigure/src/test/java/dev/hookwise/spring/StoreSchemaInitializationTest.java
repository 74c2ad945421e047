package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.jdbc.JdbcDialect;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.spring.autoconfigure.HookwiseAutoConfiguration;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code hookwise.store.initialize-schema}: unset, the JDBC store creates its tables unless a
 * Flyway (or Liquibase) bean manages the database; an explicit true or false wins either way.
 */
class StoreSchemaInitializationTest {

    private final String url = "jdbc:h2:mem:hookwise-schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HookwiseAutoConfiguration.class))
            .withPropertyValues("hookwise.stripe.signing-secrets=whsec_schema_test_secret", "spring.datasource.url=" + url);

    /** A Flyway bean that has not migrated anything: the tables are missing. */
    private Flyway idleFlyway() {
        return Flyway.configure().dataSource(url, "sa", "").load();
    }

    @Test
    void withoutAMigrationToolTheStoreCreatesItsTables() {
        runner.withClassLoader(new FilteredClassLoader(Flyway.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(IdempotencyStore.class).find("evt_none")).isEmpty();
        });
    }

    @Test
    void flywayOnTheClasspathButNoFlywayBeanStillCreatesTheTables() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(IdempotencyStore.class).find("evt_none")).isEmpty();
        });
    }

    @Test
    void aFlywayBeanLeavesTheTablesToItSoAMissingTableStopsStartUpWithTheStoresMessage() {
        runner.withBean(Flyway.class, this::idleFlyway).run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("the event log table hookwise_event_log cannot be read"));
    }

    @Test
    void aFlywayBeanThatMigratedTheShippedFilesGivesTheStoreItsTables() {
        String folder = JdbcDialect.H2.schemaResource().substring(0, JdbcDialect.H2.schemaResource().lastIndexOf('/'));
        runner.withBean(Flyway.class, () -> {
            Flyway flyway = Flyway.configure().dataSource(url, "sa", "").locations("classpath:" + folder).load();
            flyway.migrate();
            return flyway;
        }).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(((JdbcIdempotencyStore) context.getBean(IdempotencyStore.class)).tableName())
                    .isEqualTo("hookwise_event_log");
            assertThat(context.getBean(Flyway.class).info().applied()).hasSize(3); // V1 event log, V2 state, V3 trace_context
        });
    }

    @Test
    void explicitTrueWinsOverAFlywayBean() {
        runner.withBean(Flyway.class, this::idleFlyway).withPropertyValues("hookwise.store.initialize-schema=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(IdempotencyStore.class).find("evt_none")).isEmpty();
                });
    }

    @Test
    void explicitFalseWithoutAMigrationToolLeavesTheTablesMissing() {
        runner.withPropertyValues("hookwise.store.initialize-schema=false").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("the event log table hookwise_event_log cannot be read"));
    }
}
