package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HookwiseConfigurationException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Builder validation, without a database (the dialect is set, the schema left alone). */
class JdbcIdempotencyStoreBuilderTest {

    private final JdbcDataSource neverConnected = new JdbcDataSource();

    @ParameterizedTest
    @ValueSource(strings = {"", "Hookwise_", "1abc", "_x", "a-b", "x;drop table t;--", "a b", "\"q\"",
            "abcdefghijklmnopqrstuvwxyz0123456"})
    void rejectsAPrefixThatIsNotLowerCaseIdentifierCharacters(String prefix) {
        assertThatThrownBy(() -> JdbcIdempotencyStore.builder(neverConnected).tablePrefix(prefix))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("table prefix '" + prefix + "' is not valid")
                .hasMessageContaining(JdbcIdempotencyStore.TABLE_PREFIX_PATTERN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hookwise_", "billing_", "a", "x1_y2_", "abcdefghijklmnopqrstuvwxyz01234"})
    void acceptsALowerCaseIdentifierPrefix(String prefix) {
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(neverConnected)
                .dialect(JdbcDialect.H2).tablePrefix(prefix).build();

        assertThat(store.tableName()).isEqualTo(prefix + "event_log");
    }

    @Test
    void defaultTableIsHookwiseEventLog() {
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(neverConnected).dialect(JdbcDialect.MYSQL).build();

        assertThat(store.tableName()).isEqualTo(JdbcDialect.DEFAULT_TABLE);
        assertThat(store.dialect()).isEqualTo(JdbcDialect.MYSQL);
        assertThat(store.toString()).isEqualTo("JdbcIdempotencyStore[MySQL/MariaDB, table=hookwise_event_log]");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 15, 4001})
    void rejectsAnErrorBoundOutsideTheColumn(int length) {
        assertThatThrownBy(() -> JdbcIdempotencyStore.builder(neverConnected).maxErrorLength(length))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("maxErrorLength must be between 16 and 4000, but was " + length);
    }

    @Test
    void rejectsANullDataSource() {
        assertThatThrownBy(() -> JdbcIdempotencyStore.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dataSource");
    }
}
