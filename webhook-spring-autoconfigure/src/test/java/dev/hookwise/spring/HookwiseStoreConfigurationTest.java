package dev.hookwise.spring;

import static dev.hookwise.spring.HookwiseContexts.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** One test per condition of the store choice ({@code StoreConfigurations}): memory, JDBC, and what each mode needs. */
class HookwiseStoreConfigurationTest {
    private final ApplicationContextRunner runner = HookwiseContexts.runner();
    private final ApplicationContextRunner withDataSource = HookwiseContexts.withDataSource();

    @Test
    void withoutDataSourceEventsAreKeptInMemory() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(WebhookProcessor.class);
            assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(InMemoryIdempotencyStore.class);
        });
    }

    @Test
    void withDataSourceEventsGoToJdbc() {
        withDataSource.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(JdbcIdempotencyStore.class);
            assertThat(((JdbcIdempotencyStore) context.getBean(IdempotencyStore.class)).tableName()).startsWith("hookwise_");
        });
    }

    @Test
    void tablePrefixIsApplied() {
        withDataSource.withPropertyValues("hookwise.store.table-prefix=shop_hooks_").run(context ->
                assertThat(((JdbcIdempotencyStore) context.getBean(IdempotencyStore.class)).tableName()).startsWith("shop_hooks_"));
    }

    @Test
    void storeTypeMemoryWinsOverADataSource() {
        withDataSource.withPropertyValues("hookwise.store.type=memory").run(context ->
                assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(InMemoryIdempotencyStore.class));
    }

    @Test
    void withoutWebhookJdbcOnTheClasspathADataSourceStillMeansMemory() {
        withDataSource.withClassLoader(new FilteredClassLoader(JdbcIdempotencyStore.class)).run(context ->
                assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(InMemoryIdempotencyStore.class));
    }

    @Test
    void storeTypeJdbcWithoutDataSourceStopsStartUp() {
        runner.withPropertyValues("hookwise.store.type=jdbc").run(context ->
                assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(HookwiseConfigurationException.class)
                        .hasMessageContaining("hookwise.store.type=jdbc")
                        .hasMessageContaining("no single DataSource"));
    }

    @Test
    void asyncModeWithoutADurableEventLogStopsStartUpSayingWhatToDo() {
        runner.withPropertyValues("hookwise.mode=async").run(context ->
                assertThat(context.getStartupFailure()).hasStackTraceContaining(HookwiseConfigurationException.class.getName()
                        + ": hookwise.mode=async answers 200 before handlers run")
                        .hasStackTraceContaining("add dev.hookwise:webhook-jdbc and a DataSource")
                        .hasStackTraceContaining("or set hookwise.mode=sync"));
    }
}
