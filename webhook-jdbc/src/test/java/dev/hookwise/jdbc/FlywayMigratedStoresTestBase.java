package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.jdbc.state.JdbcStateStore;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.contract.IdempotencyStoreContract;
import dev.hookwise.testkit.contract.InboxStoreContract;
import dev.hookwise.testkit.contract.StateStoreContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.assertj.core.groups.Tuple;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The schema files Hookwise ships, migrated by Flyway as a user would (copied or pointed at with
 * {@code locations}), give tables the stores accept with {@code createSchema(false)}: the
 * idempotency, inbox and state-store contracts run against them, one database per subclass.
 */
abstract class FlywayMigratedStoresTestBase {

    /** The class's Flyway-migrated database. */
    protected abstract FlywayDatabase db();

    @Test
    void flywayAppliesEveryShippedMigrationAndASecondRunIsANoOp() {
        assertThat(db().firstMigration().success).isTrue();
        assertThat(db().firstMigration().migrationsExecuted).isEqualTo(3);
        assertThat(db().flyway().info().applied()).extracting(m -> m.getVersion().getVersion(), MigrationInfo::getState)
                .containsExactly(Tuple.tuple("1", MigrationState.SUCCESS),
                        Tuple.tuple("2", MigrationState.SUCCESS),
                        Tuple.tuple("3", MigrationState.SUCCESS));

        assertThat(db().flyway().migrate().migrationsExecuted).isZero();
        assertThat(db().flyway().validateWithResult().validationSuccessful).isTrue();
    }

    @Test
    void theStoresFindTheDefaultTablesWithoutCreatingThem() {
        JdbcIdempotencyStore events = JdbcIdempotencyStore.builder(db().dataSource()).createSchema(false).build();
        JdbcStateStore states = JdbcStateStore.builder(db().dataSource()).createSchema(false).build();

        assertThat(events.dialect()).isEqualTo(db().database.dialect);
        assertThat(events.tableName()).isEqualTo("hookwise_event_log");
        assertThat(states.entityTableName()).isEqualTo("hookwise_entity_state");
        assertThat(states.historyTableName()).isEqualTo("hookwise_state_history");
    }

    /** The idempotency contract on the migrated {@code hookwise_event_log}. */
    @Nested
    class Idempotency extends IdempotencyStoreContract {
        @Override
        protected IdempotencyStore createStore(MutableClock clock) {
            return JdbcIdempotencyStore.builder(db().dataSource()).clock(clock).createSchema(false).build();
        }
    }

    /** The inbox contract on the migrated {@code hookwise_event_log}, emptied before each test. */
    @Nested
    class Inbox extends InboxStoreContract {
        @Override
        protected InboxStore createStore(MutableClock clock) {
            try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM hookwise_event_log");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot empty the event log before the test", e);
            }
            return JdbcIdempotencyStore.builder(db().dataSource()).clock(clock).createSchema(false).build();
        }
    }

    /** The state-store contract on the migrated {@code hookwise_entity_state} and {@code hookwise_state_history}. */
    @Nested
    class State extends StateStoreContract {
        @Override
        protected StateStore createStore(MutableClock clock) {
            return JdbcStateStore.builder(db().dataSource()).clock(clock).createSchema(false).build();
        }
    }
}
