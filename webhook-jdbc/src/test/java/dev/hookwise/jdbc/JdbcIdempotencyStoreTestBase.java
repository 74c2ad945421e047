package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.contract.IdempotencyStoreContract;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The idempotency contract plus what only a database can get wrong, run against one database per
 * subclass (db-scheduler style). Subclasses register a {@link DatabaseFixture} and name the SQL
 * that renders a timestamp column as UTC text.
 */
abstract class JdbcIdempotencyStoreTestBase extends IdempotencyStoreContract {

    private static final String PASSWORD_THAT_MUST_NOT_LEAK = "s3cr3t-Pw-4711";

    /** The class's database. */
    protected abstract DatabaseFixture db();


    @Override
    protected IdempotencyStore createStore(MutableClock clock) {
        return storeBuilder().clock(clock).build();
    }

    private JdbcIdempotencyStore.Builder storeBuilder() {
        return JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(db().prefix());
    }

    private String table() {
        return db().prefix() + "event_log";
    }

    @Test
    void detectsTheDialectFromTheConnection() {
        JdbcIdempotencyStore detected = storeBuilder().build();

        assertThat(detected.dialect()).isEqualTo(db().database.dialect);
        assertThat(detected.tableName()).isEqualTo(table());
    }

    @Test
    void storesTimestampsAsUtcWhateverTheJvmTimeZone() throws SQLException {
        // Surefire runs this JVM in America/Sao_Paulo (UTC-3): a zone bug shifts the text by hours.
        String id = id("utc");
        store.claim(event(id), "owner-a", LEASE);

        try (Connection c = db().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + db().database.utcText("received_at") + ", "
                        + db().database.utcText("lease_until") + " FROM " + table() + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("2026-03-01 12:00:00.123");
                assertThat(rs.getString(2)).startsWith("2026-03-01 12:05:00.123");
            }
        }
    }

    @Test
    void idsDifferingOnlyInCaseAreDifferentEvents() {
        String lower = id("case_abc");
        String upper = lower.replace("case_abc", "CASE_ABC");

        assertThat(store.claim(event(lower), "owner-a", LEASE).isClaimed()).isTrue();
        assertThat(store.claim(event(upper), "owner-b", LEASE).isClaimed()).isTrue();
    }

    @Test
    void overLongIdIsRefusedAndNothingIsWritten() {
        String id = "evt_" + "x".repeat(JdbcIdempotencyStore.MAX_KEY_LENGTH);

        assertThatThrownBy(() -> store.claim(event(id), "owner-a", LEASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event id is 259 characters, more than the 255");
        assertThatThrownBy(() -> store.recordFinal(event(id), EventStatus.IGNORED, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(rowsWithIdPrefix("evt_xxxx")).isZero();
    }

    @Test
    void overLongTypeIsRefusedAndNothingIsWritten() {
        String id = id("longtype");
        NewEvent e = new NewEvent(id, "t".repeat(256), START, false, null, null, EventSource.WEBHOOK, null);

        assertThatThrownBy(() -> store.claim(e, "owner-a", LEASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event type is 256 characters");
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void createdTimeOutsideTheStorableYearsIsRefused() {
        String id = id("year");
        NewEvent e = new NewEvent(id, "invoice.paid", Instant.parse("+10000-01-01T00:00:00Z"), false, null, null,
                EventSource.WEBHOOK, null);

        assertThatThrownBy(() -> store.claim(e, "owner-a", LEASE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("years 1000 to 9999");
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void processorAnswers400ForAnOverLongIdAndRecordsNothing() {
        String id = "evt_" + "y".repeat(300);
        EventEnvelope envelope = new EventEnvelope(id, "invoice.paid", START, null, false, null, null, null, null,
                null, false, "{}".getBytes(StandardCharsets.UTF_8));

        WebhookResponse response = processor().processVerified(envelope, EventSource.REPLAY);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.outcome()).isEqualTo(Outcome.MALFORMED_EVENT);
        assertThat(rowsWithIdPrefix("evt_yyyy")).isZero();
    }

    @Test
    void tenKilobyteErrorIsTruncatedToTheColumn() {
        String id = id("tenkb");
        store.claim(event(id), "owner-a", LEASE);

        assertThat(store.markDead(new ClaimToken(id, "owner-a", 1), "e".repeat(10 * 1024))).isEqualTo(UpdateResult.APPLIED);

        String stored = store.find(id).orElseThrow().lastError();
        assertThat(stored).hasSize(JdbcIdempotencyStore.MAX_ERROR_COLUMN_LENGTH).startsWith("eeee").endsWith("…");
    }

    @Test
    void errorTruncationHonoursTheConfiguredBoundAndKeepsSurrogatePairsWhole() {
        IdempotencyStore small = storeBuilder().clock(clock).maxErrorLength(100).build();
        String id = id("emoji");
        small.claim(event(id), "owner-a", LEASE);

        small.retryAt(new ClaimToken(id, "owner-a", 1), "\uD83D\uDCA5".repeat(1000), START);

        String stored = small.find(id).orElseThrow().lastError();
        assertThat(stored.length()).isLessThanOrEqualTo(100);
        assertThat(stored).startsWith("\uD83D\uDCA5\uD83D\uDCA5").endsWith("\uD83D\uDCA5…");
    }

    @Test
    void errorWithNulCharacterIsStoredNotRejected() {
        String id = id("nul");
        store.claim(event(id), "owner-a", LEASE);

        assertThat(store.retryAt(new ClaimToken(id, "owner-a", 1), "bad\0byte", START)).isEqualTo(UpdateResult.APPLIED);

        assertThat(store.find(id).orElseThrow().lastError()).isEqualTo("bad\uFFFDbyte");
    }

    @Test
    void unknownStatusInARowIsAClearErrorNamingTheRow() throws SQLException {
        String id = id("weird");
        store.claim(event(id), "owner-a", LEASE);
        execute("UPDATE " + table() + " SET status = 'ARCHIVED' WHERE id = '" + id + "'");

        assertThatThrownBy(() -> store.find(id))
                .isInstanceOf(InvalidEventRowException.class)
                .hasMessageContaining(id).hasMessageContaining("'ARCHIVED'").hasMessageContaining(table());
        assertThatThrownBy(() -> store.claim(event(id), "owner-b", LEASE))
                .isInstanceOf(InvalidEventRowException.class)
                .hasMessageContaining(id).hasMessageContaining("ARCHIVED");
    }

    @Test
    void keepPayloadsOffStoresNoBody() {
        IdempotencyStore lean = storeBuilder().clock(clock).keepPayloads(false).build();
        String id = id("lean");

        lean.claim(event(id), "owner-a", LEASE);
        lean.recordFinal(event(id("lean2")), EventStatus.IGNORED, "unhandled_type");

        assertThat(lean.find(id).orElseThrow().payload()).isNull();
        assertThat(lean.find(id("lean2")).orElseThrow().payload()).isNull();
    }

    @Test
    void searchTreatsUnderscoreAndPercentInAPrefixLiterally() {
        Instant created = Instant.parse("2001-02-03T04:05:06Z"); // no other test's events are this old
        NewEvent underscore = new NewEvent(id("u1"), "payment_intent.succeeded", created, false, null, null,
                EventSource.WEBHOOK, null);
        NewEvent lookalike = new NewEvent(id("u2"), "paymentXintent.succeeded", created, false, null, null,
                EventSource.WEBHOOK, null);
        store.claim(underscore, "o", LEASE);
        store.claim(lookalike, "o", LEASE);

        List<String> ids = store.search(dev.hookwise.core.spi.EventQuery.builder().typePrefix("payment_")
                        .createdFrom(created).createdTo(created.plusSeconds(1)).build())
                .stream().map(EventRecord::id).toList();

        assertThat(ids).filteredOn(i -> i.equals(underscore.id()) || i.equals(lookalike.id()))
                .containsExactly(underscore.id());
    }

    @Test
    void replayedEventWaitsAsQueuedAndIsClaimedAtOnce() {
        String id = id("requeue");
        store.claim(event(id), "owner-a", LEASE);
        store.markDead(new ClaimToken(id, "owner-a", 1), "bug");

        assertThat(((JdbcIdempotencyStore) store).resetForReplay(id, EventSource.REPLAY)).isTrue();

        EventRecord queued = store.find(id).orElseThrow();
        assertThat(queued.status()).isEqualTo(EventStatus.QUEUED);
        assertThat(queued.attempts()).isZero();
        assertThat(queued.lastError()).isEqualTo("bug");
        assertThat(((JdbcIdempotencyStore) store).resetForReplay(id, EventSource.REPLAY)).as("already queued").isFalse();
        assertThat(store.claim(event(id), "owner-b", LEASE).attempt()).isEqualTo(1);
    }

    @Test
    void schemaCreationIsIdempotent() {
        String prefix = db().newPrefix("again");

        JdbcIdempotencyStore first = storeBuilder().tablePrefix(prefix).createSchema(true).clock(clock).build();
        first.claim(event(id("kept")), "owner-a", LEASE);
        JdbcIdempotencyStore second = storeBuilder().tablePrefix(prefix).createSchema(true).clock(clock).build();

        assertThat(second.find(id("kept"))).isPresent();
    }

    @Test
    void instancesStartingTogetherBothCreateTheSchema() throws Exception {
        String prefix = db().newPrefix("together");

        List<JdbcIdempotencyStore> stores = race(4,
                i -> storeBuilder().tablePrefix(prefix).createSchema(true).clock(clock).build());

        assertThat(stores.get(0).claim(event(id("together")), "owner-a", LEASE).isClaimed()).isTrue();
        assertThat(stores.get(3).claim(event(id("together")), "owner-b", LEASE).status())
                .isEqualTo(ClaimResult.Status.IN_PROGRESS);
    }

    @Test
    void missingTableWithoutCreateSchemaFailsAtBuildSayingWhatToDo() {
        assertThatThrownBy(() -> storeBuilder().tablePrefix(db().prefix() + "missing_").build())
                .hasMessageContaining(db().prefix() + "missing_event_log")
                .hasMessageContaining("createSchema(true)")
                .hasMessageContaining(db().database.dialect.schemaResource());
    }

    /** An event log as Hookwise 0.1 created it: V1 only, without {@code trace_context}. */
    private String preTraceContextTable(String label) throws SQLException {
        String prefix = db().newPrefix(label);
        try (Connection c = db().dataSource().getConnection()) {
            dev.hookwise.jdbc.internal.SqlScripts.execute(c, db().database.dialect.schemaScript(prefix));
        }
        assertThat(columnExists(prefix + "event_log", "trace_context")).isFalse();
        return prefix;
    }

    private boolean columnExists(String table, String column) throws SQLException {
        try (Connection c = db().dataSource().getConnection()) {
            return SchemaInstaller.hasColumn(c, table, column);
        }
    }

    @Test
    void anEventLogWithoutTheTraceContextColumnFailsAtBuildNamingTheMigration() throws SQLException {
        String prefix = preTraceContextTable("v1only");

        assertThatThrownBy(() -> storeBuilder().tablePrefix(prefix).build())
                .isInstanceOf(dev.hookwise.core.HookwiseConfigurationException.class)
                .hasMessageContaining(prefix + "event_log has no column trace_context")
                .hasMessageContaining(db().database.dialect.traceContextMigrationResource())
                .hasMessageContaining("createSchema(true)");
    }

    @Test
    void createSchemaAddsTheTraceContextColumnToAnOlderEventLogKeepingItsRows() throws Exception {
        String prefix = preTraceContextTable("upgrade");
        String table = prefix + "event_log";
        String old = id("before-upgrade");
        try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement()) {
            // A row written by the previous version, which names its columns and knows no trace_context.
            s.executeUpdate("INSERT INTO " + table + " (id, type, created, livemode, status, attempts, received_at,"
                    + " source) VALUES ('" + old + "', 'invoice.paid', CURRENT_TIMESTAMP, FALSE, 'QUEUED', 0,"
                    + " CURRENT_TIMESTAMP, 'WEBHOOK')");
        }

        // Instances starting together: each finds the column missing, one adds it, none fails. Not on
        // H2, which rebuilds the table to add a column, and other sessions find it missing meanwhile
        // (the README says to upgrade an H2 event log from one instance).
        int instances = db().database == TestDatabase.H2 ? 1 : 4;
        List<JdbcIdempotencyStore> stores = race(instances,
                i -> storeBuilder().tablePrefix(prefix).createSchema(true).clock(clock).build());

        assertThat(columnExists(table, "trace_context")).isTrue();
        JdbcIdempotencyStore upgraded = stores.get(0);
        assertThat(upgraded.find(old).orElseThrow().traceContext()).isNull();
        String traced = "traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        assertThat(upgraded.enqueue(event(id("after-upgrade")).withTraceContext(traced))).isTrue();
        assertThat(stores.get(instances - 1).find(id("after-upgrade")).orElseThrow().traceContext()).isEqualTo(traced);
        assertThat(storeBuilder().tablePrefix(prefix).build().tableName()).as("now passes the check").isEqualTo(table);
    }

    @Test
    void poolWithAutoCommitOffStillPersistsEveryStep() {
        HikariDataSource manual = db().pool(2, false);
        IdempotencyStore onManual = JdbcIdempotencyStore.builder(manual).tablePrefix(db().prefix()).clock(clock).build();
        String id = id("manual");

        assertThat(onManual.claim(event(id), "owner-a", LEASE).isClaimed()).isTrue();
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.PROCESSING);
        clock.advance(LEASE.plusSeconds(1));
        assertThat(onManual.claim(event(id), "owner-b", LEASE).attempt()).isEqualTo(2);
        assertThat(onManual.complete(new ClaimToken(id, "owner-b", 2), Duration.ofMillis(7))).isEqualTo(UpdateResult.APPLIED);
        assertThat(onManual.recordFinal(event(id("manual-ignored")), EventStatus.IGNORED, "unhandled_type")).isTrue();

        // Read through the class's ordinary pool: the work was committed, not rolled back on return.
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(store.find(id("manual-ignored"))).isPresent();
    }

    @Test
    void schemaCreatedOnAPoolWithAutoCommitOffIsCommitted() throws SQLException {
        String prefix = db().newPrefix("manualddl");

        JdbcIdempotencyStore.builder(db().pool(2, false)).tablePrefix(prefix).createSchema(true).build();

        try (Connection fresh = java.sql.DriverManager.getConnection(db().url(), db().database.user,
                db().database.password); Statement s = fresh.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM " + prefix + "event_log").close();
        }
    }

    @Test
    void unreachableDatabaseIsStoreUnavailableWithoutThePassword() {
        try (HikariDataSource unreachable = unreachablePool()) {
            IdempotencyStore offline = JdbcIdempotencyStore.builder(unreachable)
                    .dialect(db().database.dialect).clock(clock).build();

            assertThatThrownBy(() -> offline.claim(event(id("offline")), "owner-a", LEASE))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("unreachable")
                    .satisfies(e -> assertThat(fullText(e)).doesNotContain(PASSWORD_THAT_MUST_NOT_LEAK));
            assertThatThrownBy(() -> JdbcIdempotencyStore.builder(unreachable).build())
                    .isInstanceOf(StoreUnavailableException.class)
                    .satisfies(e -> assertThat(fullText(e)).doesNotContain(PASSWORD_THAT_MUST_NOT_LEAK));
        }
    }

    @Test
    void processorAnswers503WhenTheDatabaseIsUnreachable() {
        try (HikariDataSource unreachable = unreachablePool()) {
            IdempotencyStore offline = JdbcIdempotencyStore.builder(unreachable)
                    .dialect(db().database.dialect).clock(clock).build();
            WebhookProcessor processor = WebhookProcessor.builder().signingSecrets("whsec_test").store(offline)
                    .handlers(HandlerRegistry.builder().onAny(ctx -> { }).build()).clock(clock).build();
            EventEnvelope envelope = new EventEnvelope(id("503"), "invoice.paid", START, null, false, null, null,
                    null, null, null, false, "{}".getBytes(StandardCharsets.UTF_8));

            WebhookResponse response = processor.processVerified(envelope, EventSource.REPLAY);

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.headers()).containsKey("Retry-After");
            assertThat(response.body()).doesNotContain(PASSWORD_THAT_MUST_NOT_LEAK);
        }
    }

    private HikariDataSource unreachablePool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(String.format(db().database.unreachableUrlTemplate, PASSWORD_THAT_MUST_NOT_LEAK));
        config.setUsername(db().database.user);
        config.setPassword(PASSWORD_THAT_MUST_NOT_LEAK);
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }

    private static String fullText(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(t).append('\n');
            for (Throwable s : t.getSuppressed()) {
                out.append(s).append('\n');
            }
        }
        return out.toString();
    }

    private WebhookProcessor processor() {
        return WebhookProcessor.builder().signingSecrets("whsec_test").store(store)
                .handlers(HandlerRegistry.builder().onAny(ctx -> { }).build()).clock(clock).build();
    }

    private int rowsWithIdPrefix(String prefix) {
        try (Connection c = db().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table() + " WHERE id LIKE ?")) {
            ps.setString(1, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private void execute(String statement) throws SQLException {
        try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
