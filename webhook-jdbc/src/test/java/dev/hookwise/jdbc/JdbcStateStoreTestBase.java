package dev.hookwise.jdbc;

import static dev.hookwise.testkit.orders.OrderState.PENDING;
import static dev.hookwise.testkit.orders.OrderState.PENDING_PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.spi.state.TransitionResult.Status;
import dev.hookwise.core.state.UnknownStateException;
import dev.hookwise.jdbc.state.JdbcStateStore;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.contract.StateStoreContract;
import dev.hookwise.testkit.orders.OrderState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * The state-store contract (including 16 threads racing paid against cancelled over 1,000
 * orders) plus what only a database can get wrong, against one database per subclass. The
 * tables use the class's own random prefix and are dropped after the class.
 */
abstract class JdbcStateStoreTestBase extends StateStoreContract {

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Override
    protected StateStore createStore(MutableClock clock) {
        db().table("entity_state");
        db().table("state_history");
        return builder().clock(clock).createSchema(true).build();
    }

    private JdbcStateStore.Builder builder() {
        return JdbcStateStore.builder(db().dataSource()).tablePrefix(db().prefix());
    }

    private JdbcStateStore jdbc() {
        return (JdbcStateStore) store;
    }

    @Test
    void detectsTheDialectAndNamesItsTables() {
        assertThat(jdbc().dialect()).isEqualTo(db().database.dialect);
        assertThat(jdbc().entityTableName()).isEqualTo(db().prefix() + "entity_state");
        assertThat(jdbc().historyTableName()).isEqualTo(db().prefix() + "state_history");
        assertThat(JdbcStateStore.schemaResource(db().database.dialect)).endsWith("/V2__hookwise_state.sql");
        assertThat(JdbcStateStore.schemaScript(db().database.dialect, "billing_"))
                .contains("billing_entity_state").contains("billing_state_history").doesNotContain("TABLE IF NOT EXISTS hookwise_");
    }

    @Test
    void creatingTheSchemaTwiceIsHarmless() {
        assertThat(builder().createSchema(true).build().find(type, id("x"), OrderState.class)).isEmpty();
        assertThat(builder().createSchema(false).build().find(type, id("x"), OrderState.class)).isEmpty();
    }

    @Test
    void missingTablesAreAConfigurationErrorThatSaysWhatToDo() {
        String prefix = db().newPrefix("missing");

        assertThatThrownBy(() -> JdbcStateStore.builder(db().dataSource()).tablePrefix(prefix).build())
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining(prefix + "entity_state cannot be read")
                .hasMessageContaining("createSchema(true)")
                .hasMessageContaining("V2__hookwise_state.sql");
    }

    @Test
    void invalidTablePrefixIsRejected() {
        assertThatThrownBy(() -> JdbcStateStore.builder(db().dataSource()).tablePrefix("x; DROP TABLE y; --"))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("table prefix");
    }

    @Test
    void stateNameWrittenByAnotherApplicationIsATypedErrorAndRollsBack() throws SQLException {
        String order = id("sql-legacy");
        store.create(type, order, PENDING);
        execute("UPDATE " + jdbc().entityTableName() + " SET state = 'on_hold' WHERE entity_type = ? AND id = ?", type, order);

        assertThatThrownBy(() -> store.transition(type, order, EnumSet.of(PENDING), PENDING_PAYMENT, "evt_1",
                T0, EventSource.WEBHOOK))
                .isInstanceOf(UnknownStateException.class).hasMessageContaining("'on_hold'");

        assertThat(count("SELECT COUNT(*) FROM " + jdbc().historyTableName() + " WHERE entity_type = ? AND entity_id = ?",
                type, order)).isZero();
        assertThat(count("SELECT version FROM " + jdbc().entityTableName() + " WHERE entity_type = ? AND id = ?",
                type, order)).isZero();
    }

    @Test
    void historyRowsAreWrittenInTheTransitionsTransaction() throws SQLException {
        String order = id("sql-history");
        store.create(type, order, PENDING);
        store.transition(type, order, EnumSet.of(PENDING), PENDING_PAYMENT, "evt_1", T0, EventSource.REPLAY);

        assertThat(count("SELECT COUNT(*) FROM " + jdbc().historyTableName()
                + " WHERE entity_type = ? AND entity_id = ? AND result = 'APPLIED' AND source = 'REPLAY'"
                + " AND from_state = 'pending' AND to_state = 'pending_payment'", type, order)).isEqualTo(1);
    }

    @Test
    void eventTimesKeepMicrosecondsAndCompareExactly() {
        String order = id("micros");
        Instant t = Instant.parse("2026-03-01T11:00:00.123456Z");
        store.create(type, order, PENDING);
        store.transition(type, order, EnumSet.of(PENDING), PENDING_PAYMENT, "evt_1", t, EventSource.WEBHOOK);

        assertThat(store.find(type, order, OrderState.class).orElseThrow().lastEventCreated()).isEqualTo(t);
        assertThat(store.transition(type, order, EnumSet.of(PENDING_PAYMENT), OrderState.PAID, "evt_2",
                t.minusNanos(1000), EventSource.WEBHOOK).status()).isEqualTo(Status.STALE_EVENT);
        assertThat(store.transition(type, order, EnumSet.of(PENDING_PAYMENT), OrderState.PAID, "evt_3", t,
                EventSource.WEBHOOK).status()).isEqualTo(Status.APPLIED);
    }

    @Test
    void poolWithAutoCommitOffStillPersistsEveryStep() {
        StateStore manual = JdbcStateStore.builder(db().pool(4, false)).tablePrefix(db().prefix()).clock(clock).build();
        String order = id("manual-commit");

        assertThat(manual.create(type, order, PENDING)).isTrue();
        assertThat(manual.create(type, order, PENDING)).isFalse();
        assertThat(manual.transition(type, order, EnumSet.of(PENDING), PENDING_PAYMENT, "evt_1", T0, EventSource.WEBHOOK)
                .status()).isEqualTo(Status.APPLIED);

        // Read through the class's auto-commit pool: everything above was committed.
        assertThat(store.find(type, order, OrderState.class).orElseThrow().state()).isEqualTo(PENDING_PAYMENT);
        assertThat(store.history(type, order, OrderState.class)).hasSize(1);
        assertThat(manual.purgeHistory(T0.minusSeconds(1))).isZero();
    }

    @Test
    void schemaCreatedOnAPoolWithAutoCommitOffIsCommitted() throws SQLException {
        String prefix = db().newPrefix("manualddl");
        db().table("manualddl_entity_state");
        db().table("manualddl_state_history");

        JdbcStateStore.builder(db().pool(2, false)).tablePrefix(prefix).createSchema(true).clock(clock).build();

        try (Connection fresh = DriverManager.getConnection(db().url(), db().database.user, db().database.password);
                Statement s = fresh.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM " + prefix + "entity_state").close();
            s.executeQuery("SELECT COUNT(*) FROM " + prefix + "state_history").close();
        }
    }

    private void execute(String sql, String... args) throws SQLException {
        TestSql.update(db().dataSource(), sql, args);
    }

    private long count(String sql, String... args) throws SQLException {
        return TestSql.number(db().dataSource(), sql, args);
    }
}
