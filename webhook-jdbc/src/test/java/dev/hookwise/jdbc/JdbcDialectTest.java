package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HookwiseConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Dialect detection and the schema files, without a database. */
class JdbcDialectTest {

    @Test
    void detectsEachSupportedProductName() {
        assertThat(JdbcDialect.fromProductName("PostgreSQL")).isEqualTo(JdbcDialect.POSTGRESQL);
        assertThat(JdbcDialect.fromProductName("MySQL")).isEqualTo(JdbcDialect.MYSQL);
        assertThat(JdbcDialect.fromProductName("MariaDB")).isEqualTo(JdbcDialect.MYSQL);
        assertThat(JdbcDialect.fromProductName("H2")).isEqualTo(JdbcDialect.H2);
    }

    @Test
    void unknownDatabaseFailsSayingWhatToDo() {
        assertThatThrownBy(() -> JdbcDialect.fromProductName("Oracle"))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("'Oracle'")
                .hasMessageContaining("PostgreSQL, MySQL/MariaDB or H2")
                .hasMessageContaining("dialect(");
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void schemaFileShipsUnderAFlywayName(JdbcDialect dialect) {
        assertThat(dialect.schemaResource())
                .startsWith("dev/hookwise/jdbc/schema/")
                .endsWith("/V1__hookwise_event_log.sql");
        assertThat(getClass().getClassLoader().getResource(dialect.schemaResource())).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void schemaFileUsesTheDefaultTableAndEveryColumn(JdbcDialect dialect) {
        String script = dialect.schemaScript(JdbcIdempotencyStore.DEFAULT_TABLE_PREFIX);

        assertThat(script).contains("CREATE TABLE IF NOT EXISTS hookwise_event_log (");
        assertThat(script).contains("id ", "type ", "created ", "livemode ", "api_version ", "account ", "status ",
                "attempts ", "owner ", "lease_until ", "received_at ", "started_at ", "completed_at ",
                "processing_micros ", "last_error ", "next_attempt_at ", "source ", "payload ");
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void prefixReplacesTheDefaultNameEverywhere(JdbcDialect dialect) {
        String script = dialect.schemaScript("billing_");

        assertThat(script).doesNotContain("hookwise_event_log")
                .contains("billing_event_log (")
                .contains("billing_event_log_status_idx")
                .contains("billing_event_log_created_idx");
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void schemaSplitsIntoStatementsWithoutComments(JdbcDialect dialect) {
        List<String> statements = dev.hookwise.jdbc.internal.SqlScripts.statements(dialect.schemaScript("x_"));

        assertThat(statements).isNotEmpty().allSatisfy(s -> {
            assertThat(s).doesNotStartWith("--").doesNotEndWith(";");
            assertThat(s).startsWith("CREATE ");
        });
        assertThat(statements.get(0)).startsWith("CREATE TABLE IF NOT EXISTS x_event_log");
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void traceContextMigrationShipsAsV3AndAddsOneNullableColumnUnderThePrefix(JdbcDialect dialect) {
        assertThat(dialect.traceContextMigrationResource())
                .isEqualTo(dialect.schemaResource().replace("V1__hookwise_event_log.sql", "V3__hookwise_trace_context.sql"));
        assertThat(getClass().getClassLoader().getResource(dialect.traceContextMigrationResource())).isNotNull();

        List<String> statements = dev.hookwise.jdbc.internal.SqlScripts.statements(
                dialect.traceContextMigrationScript("billing_"));

        assertThat(statements).hasSize(1);
        assertThat(statements.get(0)).startsWith("ALTER TABLE billing_event_log ADD COLUMN ")
                .contains("trace_context VARCHAR(" + dev.hookwise.core.spi.NewEvent.MAX_TRACE_CONTEXT_LENGTH + ")")
                .doesNotContain("NOT NULL").doesNotContain("hookwise_");
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void aNewTableGetsTheTraceContextColumnInItsCreateStatementAsV3DefinesIt(JdbcDialect dialect) {
        List<String> v1 = dev.hookwise.jdbc.internal.SqlScripts.statements(dialect.schemaScript("x_"));
        List<String> current = dev.hookwise.jdbc.internal.SqlScripts.statements(dialect.currentSchemaScript("x_"));
        String v3 = dev.hookwise.jdbc.internal.SqlScripts.statements(dialect.traceContextMigrationScript("x_")).get(0);
        String definition = v3.substring(v3.indexOf("trace_context"));

        assertThat(current).hasSameSizeAs(v1);
        assertThat(current.get(0)).startsWith("CREATE TABLE IF NOT EXISTS x_event_log")
                .containsPattern("payload +[A-Z]+,\n +" + java.util.regex.Pattern.quote(definition) + ",\n")
                .isEqualTo(v1.get(0).replaceFirst("(payload +[A-Z]+,)", "$1\n    " + definition + ","));
        assertThat(current.subList(1, current.size())).isEqualTo(v1.subList(1, v1.size()));
    }

    @Test
    void schemaScriptRejectsAnUnsafePrefix() {
        assertThatThrownBy(() -> JdbcDialect.POSTGRESQL.schemaScript("x; DROP TABLE users; --"))
                .isInstanceOf(HookwiseConfigurationException.class);
    }
}
