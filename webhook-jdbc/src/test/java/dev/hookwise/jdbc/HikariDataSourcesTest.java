package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.NewEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HikariDataSourcesTest {

    @Test
    void poolServesAStoreOnEmbeddedH2() {
        String url = "jdbc:h2:mem:hikari_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        try (HikariDataSource pool = HikariDataSources.create(url, "sa", "")) {
            JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).createSchema(true).build();

            NewEvent event = new NewEvent("evt_hikari", "invoice.paid", Instant.parse("2026-01-01T00:00:00Z"), false,
                    null, null, EventSource.WEBHOOK, null);
            assertThat(store.claim(event, "owner", Duration.ofMinutes(1)).isClaimed()).isTrue();
            assertThat(pool.getPoolName()).isEqualTo(HikariDataSources.POOL_NAME);
            assertThat(pool.getMaximumPoolSize()).isEqualTo(HikariDataSources.DEFAULT_MAX_POOL_SIZE);
        }
    }

    @Test
    void rejectsAUrlThatIsNotJdbcWithoutEchoingIt() {
        assertThatThrownBy(() -> HikariDataSources.create("postgres://app:hunter2@db/x", "app", "hunter2"))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("must start with 'jdbc:'")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void rejectsAnEmptyPool() {
        assertThatThrownBy(() -> HikariDataSources.create("jdbc:h2:mem:x", "sa", "", 0))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("maxPoolSize must be >= 1, but was 0");
    }
}
