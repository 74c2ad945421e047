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

    @Test
    void everyWaitHasABoundByDefaultInTheDriversOwnUnits() {
        try (HikariDataSource pg = HikariDataSources.create("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                HikariDataSource maria = HikariDataSources.create("jdbc:mariadb://127.0.0.1:3306/test", "root", "")) {
            assertTimeouts(pg, 5_000, "5", "30");
            assertTimeouts(maria, 5_000, "5000", "30000");
        }
    }

    @Test
    void timeoutsCanBeChanged() {
        try (HikariDataSource pool = HikariDataSources.builder("jdbc:postgresql://127.0.0.1:5432/test")
                .username("postgres").maxPoolSize(3).connectionTimeout(Duration.ofMillis(1500))
                .connectTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofMinutes(2)).build()) {
            assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
            assertTimeouts(pool, 1_500, "2", "120");
        }
    }

    /** The pool's own wait for a connection (ms), and the driver's connect and socket timeouts in its units. */
    private static void assertTimeouts(HikariDataSource pool, long connectionTimeout, String connect, String socket) {
        assertThat(pool.getConnectionTimeout()).isEqualTo(connectionTimeout);
        assertThat(pool.getDataSourceProperties()).containsEntry("connectTimeout", connect)
                .containsEntry("socketTimeout", socket);
    }

    @Test
    void aTimeoutInTheUrlWins() {
        try (HikariDataSource pool = HikariDataSources.builder("jdbc:mariadb://127.0.0.1:3306/test?socketTimeout=90000")
                .username("root").build()) {
            assertThat(pool.getDataSourceProperties()).doesNotContainKey("socketTimeout")
                    .containsEntry("connectTimeout", "5000");
        }
    }

    @Test
    void otherDriversGetNoDriverTimeouts() {
        String url = "jdbc:h2:mem:hikari_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        try (HikariDataSource pool = HikariDataSources.create(url, "sa", "")) {
            assertThat(pool.getDataSourceProperties()).isEmpty();
            assertThat(pool.getConnectionTimeout()).isEqualTo(5_000);
        }
    }

    @Test
    void rejectsTimeoutsItCannotHonour() {
        HikariDataSources.Builder builder = HikariDataSources.builder("jdbc:postgresql://db/x");
        assertThatThrownBy(() -> builder.connectionTimeout(Duration.ofMillis(100)))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("connectionTimeout must be at least 250 ms (HikariCP's floor), but was PT0.1S");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ofMillis(1500)))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("connectTimeout must be a whole number of seconds, at least 1 s, but was PT1.5S");
        assertThatThrownBy(() -> builder.socketTimeout(Duration.ZERO))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("socketTimeout must be a whole number of seconds, at least 1 s, but was PT0S");
    }
}
