package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.state.TransitionResult.Status;
import dev.hookwise.jdbc.internal.SqlFailures;
import dev.hookwise.jdbc.state.JdbcStateStore;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import dev.hookwise.testkit.orders.OrderState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, "no wait without a bound", on a real database: a claim, a delivery and a state
 * transition that meet a row another transaction holds fail as {@link StoreUnavailableException}
 * (503 {@code store_unavailable}) once the stores' statement timeout passes, instead of waiting for
 * the lock; the same calls succeed once the lock is gone. Each database cuts the wait its own way
 * (see {@code Jdbc}); none of them would within these tests' safety-net timeouts without it:
 * PostgreSQL waits forever, and the MariaDB and H2 subclasses give the stores' sessions lock
 * timeouts of 120 s. A test that runs into its safety net releases its locks when it ends, so the
 * stuck call and the class's clean-up go on.
 */
abstract class StatementTimeoutTestBase {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final String SECRET = "whsec_statement_timeout_test";

    /** How long a test may run before it fails: a safety net, far above the 1 s statement timeout. */
    private static final int SAFETY_NET_SECONDS = 60;

    /** The class's database. */
    protected abstract DatabaseFixture db();

    private final List<Connection> holders = new ArrayList<>();

    @AfterEach
    void releaseLocks() throws SQLException {
        for (Connection holder : holders) {
            holder.close();
        }
    }

    /**
     * The pool the stores under test use; on MariaDB with InnoDB's own lock wait timeout (50 s by
     * default) raised, so that only the statement timeout can end a wait.
     */
    protected HikariDataSource storePool() throws SQLException {
        return db().pool(4, true,
                db().database == TestDatabase.MARIADB ? "SET SESSION innodb_lock_wait_timeout = 120" : null);
    }

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-20T12:00:00Z"));
    private final StripeEventFactory events = StripeEventFactory.create(clock, UUID.randomUUID().getMostSignificantBits());

    @Test
    @Timeout(value = SAFETY_NET_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void claimOfARowLockedByAnotherTransactionFailsAsStoreUnavailableWithoutRetrying() throws SQLException {
        CountingDataSource pool = new CountingDataSource(storePool());
        JdbcIdempotencyStore store = eventLog(pool);
        NewEvent event = eventWithExpiredLease(store, events.paymentIntentSucceeded().build());

        try (Connection holder = lockRow("SELECT id FROM " + store.tableName() + " WHERE id = ? FOR UPDATE", event.id())) {
            int before = pool.borrowed();
            assertThatThrownBy(() -> store.claim(event, "instance-b", LEASE))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("event store timed out while claiming " + event.id())
                    .hasMessageContaining("a lock or statement timeout passed");
            assertThat(pool.borrowed() - before).as("attempts of the timed-out claim").isEqualTo(1);
            holder.rollback();
        }

        assertThat(store.claim(event, "instance-b", LEASE).isClaimed()).isTrue();
    }

    @Test
    @Timeout(value = SAFETY_NET_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void deliveryOfAnEventWhoseRowIsLockedIsAnswered503StoreUnavailable() throws SQLException {
        JdbcIdempotencyStore store = eventLog(storePool());
        Set<String> handled = ConcurrentHashMap.newKeySet();
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> handled.add(ctx.eventId())).build())
                .build();
        TestEvent e = events.paymentIntentSucceeded().build();
        eventWithExpiredLease(store, e);
        WebhookSigner signer = WebhookSigner.forSecret(SECRET);

        try (Connection holder = lockRow("SELECT id FROM " + store.tableName() + " WHERE id = ? FOR UPDATE", e.id())) {
            WebhookResponse response = processor.process(signer.request(e, clock.instant()));

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.outcome()).isEqualTo(Outcome.STORE_UNAVAILABLE);
            assertThat(response.body()).contains("store_unavailable").doesNotContain("Exception");
            assertThat(handled).isEmpty();
            holder.rollback();
        }

        assertThat(processor.process(signer.request(e, clock.instant())).status()).isEqualTo(200);
        assertThat(handled).containsExactly(e.id());
    }

    @Test
    @Timeout(value = SAFETY_NET_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void transitionOfALockedEntityFailsAsStoreUnavailable() throws SQLException {
        db().table("entity_state");
        db().table("state_history");
        JdbcStateStore states = JdbcStateStore.builder(storePool()).tablePrefix(db().prefix()).createSchema(true)
                .statementTimeout(TIMEOUT).clock(clock).build();
        String order = "ord_" + UUID.randomUUID();
        states.create("order", order, OrderState.PENDING);

        try (Connection holder = lockRow("SELECT state FROM " + states.entityTableName()
                + " WHERE entity_type = 'order' AND id = ? FOR UPDATE", order)) {
            assertThatThrownBy(() -> states.transition("order", order, EnumSet.of(OrderState.PENDING),
                    OrderState.PENDING_PAYMENT, "evt_locked", clock.instant(), EventSource.WEBHOOK))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("state store timed out while moving order " + order)
                    .hasMessageContaining("a lock or statement timeout passed");
            holder.rollback();
        }

        assertThat(states.transition("order", order, EnumSet.of(OrderState.PENDING), OrderState.PENDING_PAYMENT,
                "evt_locked", clock.instant(), EventSource.WEBHOOK).status()).isEqualTo(Status.APPLIED);
        assertThat(states.history("order", order, OrderState.class)).hasSize(1);
    }

    @Test
    @Timeout(value = SAFETY_NET_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void poolFromHikariDataSourcesHandsItsSocketTimeoutToTheDriver() throws SQLException {
        HikariDataSources.Builder builder = HikariDataSources.builder(db().url()).username(db().database.user)
                .password(db().database.password).maxPoolSize(1);
        if (db().database == TestDatabase.H2) {
            // H2 refuses unknown connection settings: the pool works only because none were passed.
            try (HikariDataSource pool = builder.build(); Connection c = pool.getConnection();
                    Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(pool.getDataSourceProperties()).isEmpty();
                assertThat(rs.next()).isTrue();
            }
            return;
        }
        try (HikariDataSource fallible = builder.socketTimeout(Duration.ofSeconds(1)).build()) {
            assertThatThrownBy(() -> sleep(fallible, "3"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(SqlFailures.unreachable(e)).as("connection closed by the socket timeout")
                            .isTrue());
        }
        try (HikariDataSource defaults = HikariDataSources.builder(db().url()).username(db().database.user)
                .password(db().database.password).maxPoolSize(1).build()) {
            // Read in the driver's unit (seconds for pgjdbc, milliseconds for MariaDB), the default lets this pass.
            sleep(defaults, "0.3");
        }
    }

    private void sleep(HikariDataSource pool, String seconds) throws SQLException {
        String sql = db().database == TestDatabase.POSTGRESQL ? "SELECT pg_sleep(" + seconds + ")" : "SELECT SLEEP(" + seconds + ")";
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
        }
    }

    private JdbcIdempotencyStore eventLog(javax.sql.DataSource pool) {
        return JdbcIdempotencyStore.builder(pool).tablePrefix(db().prefix()).clock(clock).statementTimeout(TIMEOUT).build();
    }

    /** Records {@code e} as claimed by an instance that then crashed: the next claim must take the row over. */
    private NewEvent eventWithExpiredLease(JdbcIdempotencyStore store, TestEvent e) {
        NewEvent event = new NewEvent(e.id(), e.type(), e.created(), false, null, null, EventSource.WEBHOOK,
                e.bytes());
        assertThat(store.claim(event, "crashed-instance", LEASE).isClaimed()).isTrue();
        clock.advance(LEASE.plusSeconds(1));
        return event;
    }

    /** A connection of its own inside a transaction that holds the row {@code lockingSelect} reads. */
    private Connection lockRow(String lockingSelect, String id) throws SQLException {
        Connection holder = DriverManager.getConnection(db().url(), db().database.user, db().database.password);
        holders.add(holder);
        holder.setAutoCommit(false);
        try (PreparedStatement ps = holder.prepareStatement(lockingSelect)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("the row to lock exists").isTrue();
            }
        }
        return holder;
    }
}
