package dev.hookwise.jdbc.state;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.state.EntityState;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.spi.state.StateStoreArguments;
import dev.hookwise.core.spi.state.TransactionalStateStore;
import dev.hookwise.core.spi.state.TransitionRecord;
import dev.hookwise.core.spi.state.TransitionResult.Status;
import dev.hookwise.core.spi.state.TransitionResult;
import dev.hookwise.core.state.StateNames;
import dev.hookwise.jdbc.JdbcDialect;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.jdbc.JdbcStoreBuilder;
import dev.hookwise.jdbc.internal.InstantColumn;
import dev.hookwise.jdbc.internal.Jdbc;
import dev.hookwise.jdbc.internal.SqlFailures;
import dev.hookwise.jdbc.internal.SqlScripts;
import dev.hookwise.jdbc.internal.StoreOptions;
import dev.hookwise.jdbc.internal.TablePrefix;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StateStore} on PostgreSQL, MySQL/MariaDB and H2: two tables,
 * {@code <prefix>entity_state} and {@code <prefix>state_history}.
 *
 * <pre>{@code
 * StateStore states = JdbcStateStore.builder(dataSource).createSchema(true).build();
 * }</pre>
 *
 * <p>The hazard: two events for one order arriving at once (paid and cancelled), or an old event
 * arriving after a newer one. A transition is therefore decided by <em>one conditional
 * UPDATE</em>, never by reading the row first:
 * <pre>
 * UPDATE entity_state SET previous_state = state, state = ?, last_event_created = ?, last_event_id = ?,
 *        version = version + 1, updated_at = ?
 *  WHERE entity_type = ? AND id = ? AND state IN (…from…)
 *    AND (last_event_created IS NULL OR last_event_created &lt;= ?)
 * </pre>
 * The database serialises concurrent UPDATEs of a row and re-checks the condition for the
 * second, so exactly one of two conflicting transitions wins. The row count says whether this
 * one did; a 0-row result is then classified by reading the row under {@code SELECT … FOR
 * UPDATE} (not found, already in target, stale, invalid). If that read finds the row now
 * qualifies (it changed between the UPDATE and the read), the UPDATE runs again, under the
 * lock. The history row is inserted in the same transaction, so the audit trail holds exactly
 * one {@code APPLIED} row per change. Deadlocks and serialization failures retry the whole
 * transaction up to three times; other SQL failures are {@link StoreUnavailableException}s.
 *
 * <p>No call waits without a bound: a row locked by another transaction (an application
 * transaction that holds an order row, say) is waited for at most the
 * {@linkplain JdbcStoreBuilder#statementTimeout statement timeout} (default 10 s), then the call fails as a
 * {@link StoreUnavailableException} saying a lock or statement timeout passed, without retrying.
 * A stored state the caller's enum does not know throws
 * {@link dev.hookwise.core.state.UnknownStateException} and rolls the transaction back.
 *
 * <p>Instants are kept to microseconds. Thread-safe; one instance per prefix serves every
 * entity type.
 *
 * <p><b>In the event's transaction.</b> It is a {@link TransactionalStateStore}: {@link #joining}
 * gives a view of the store that works in a transactional handler's transaction, the connection of
 * the {@code JdbcIdempotencyStore}'s {@link StoreTransaction}, so that a transition commits with the
 * event's completion (see {@code StateTransitions.Builder.transactional}). The tables must then be in
 * the event log's database. In the view the same statements run on that connection, within the
 * statement timeout, but nothing is committed or retried: a deadlock or a lock timeout fails the
 * handler, and the event's transaction is rolled back and run again later.
 */
public final class JdbcStateStore implements TransactionalStateStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcStateStore.class);

    private static final String STORE = "state store";
    private static final int DECIDE_ROUNDS = 3;
    private static final String SCHEMA_FILE = "V2__hookwise_state.sql";

    private final Jdbc jdbc;
    private final JdbcDialect dialect;
    private final InstantColumn instants;
    private final StateRows rows;
    private final StateSql sql;
    private final Clock clock;
    /** For a view from {@link #joining}: the transaction's connection, every call's; null for the store itself. */
    private final @Nullable Connection joined;

    private JdbcStateStore(Jdbc jdbc, JdbcDialect dialect, String prefix, Clock clock) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.instants = InstantColumn.of(dialect);
        this.sql = new StateSql(prefix);
        this.rows = new StateRows(sql, instants);
        this.clock = clock;
        this.joined = null;
    }

    private JdbcStateStore(JdbcStateStore store, Connection joined) {
        this.jdbc = store.jdbc;
        this.dialect = store.dialect;
        this.instants = store.instants;
        this.rows = store.rows;
        this.sql = store.sql;
        this.clock = store.clock;
        this.joined = joined;
    }

    /**
     * This store inside {@code transaction}, a {@code JdbcIdempotencyStore}'s transaction for
     * transactional handlers: its calls read and write through the transaction's connection, and
     * commit with the event's completion, or not at all.
     *
     * @throws IllegalArgumentException if {@code transaction} offers no {@code java.sql.Connection}
     * @since 0.2.0
     */
    @Override
    public StateStore joining(StoreTransaction transaction) {
        Objects.requireNonNull(transaction, "transaction");
        return new JdbcStateStore(this, transaction.unwrap(Connection.class));
    }

    /** Runs {@code work} as its own unit of work, or in the joined transaction. */
    private <T> T run(String operation, Jdbc.Work<T> work) {
        Connection c = joined;
        return c == null ? jdbc.run(operation, work) : jdbc.runOn(c, operation, work);
    }

    /** Starts a store on {@code dataSource}; the dialect is detected unless set. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The dialect in use. */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** The entity table's name. */
    public String entityTableName() {
        return sql.entityTable;
    }

    /** The history table's name. */
    public String historyTableName() {
        return sql.historyTable;
    }

    /**
     * The classpath location of {@code dialect}'s schema file, e.g.
     * {@code dev/hookwise/jdbc/schema/postgresql/V2__hookwise_state.sql}, usable as-is by Flyway.
     */
    public static String schemaResource(JdbcDialect dialect) {
        // Beside the event log's schema file: one folder per database.
        String eventLog = dialect.schemaResource();
        return eventLog.substring(0, eventLog.lastIndexOf('/') + 1) + SCHEMA_FILE;
    }

    /** {@code dialect}'s schema with {@code tablePrefix} in place of {@code hookwise_}. */
    public static String schemaScript(JdbcDialect dialect, String tablePrefix) {
        return SqlScripts.load(schemaResource(dialect), JdbcIdempotencyStore.DEFAULT_TABLE_PREFIX, validatePrefix(tablePrefix));
    }

    @Override
    public <S extends Enum<S>> boolean create(String entityType, String entityId, S initial) {
        StateStoreArguments.checkEntity(entityType, entityId);
        StateStoreArguments.checkState(initial, "initial");
        Instant now = clock.instant();
        return run("creating " + entityType + " " + entityId, c -> {
            // In a joined transaction a duplicate must not abort it (PostgreSQL would): a savepoint guards the insert.
            Savepoint guard = joined != null ? c.setSavepoint() : null;
            try (PreparedStatement ps = c.prepareStatement(sql.insertEntity)) {
                ps.setString(1, entityType);
                ps.setString(2, entityId);
                ps.setString(3, StateNames.name(initial));
                instants.set(ps, 4, now);
                instants.set(ps, 5, now);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (SqlFailures.isDuplicateKey(e)) {
                    if (guard != null) {
                        c.rollback(guard);
                    } else if (!c.getAutoCommit()) {
                        // PostgreSQL aborts the transaction on the failed INSERT; start a clean one.
                        c.rollback();
                    }
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public <S extends Enum<S>> TransitionResult<S> transition(String entityType, String entityId, Set<S> from, S to,
            String eventId, Instant eventCreated, EventSource source) {
        StateStoreArguments.checkTransition(entityType, entityId, from, to, eventId, eventCreated, source);
        Instant created = eventCreated.truncatedTo(ChronoUnit.MICROS);
        List<S> sources = List.copyOf(from);
        return run("moving " + entityType + " " + entityId + " to " + StateNames.name(to), c -> joined != null
                ? decide(c, entityType, entityId, sources, to, eventId, created, source)
                : Jdbc.inTransaction(c, tx -> decide(c, entityType, entityId, sources, to, eventId, created, source)));
    }

    /** The transition, in the caller's transaction: one conditional UPDATE, classified under a lock when it missed. */
    private <S extends Enum<S>> TransitionResult<S> decide(Connection c, String entityType, String entityId, List<S> sources,
            S to, String eventId, Instant created, EventSource source) throws SQLException {
        Instant now = clock.instant();
        for (int round = 1; round <= DECIDE_ROUNDS; round++) {
            if (update(c, entityType, entityId, sources, to, eventId, created, now) == 1) {
                return applied(c, entityType, entityId, to, eventId, created, source, now);
            }
            StateRows.Row row = rows.lockRow(c, entityType, entityId);
            if (row == null) {
                rows.insertHistory(c, entityType, entityId, null, to, Status.NOT_FOUND, eventId, created, source, now);
                return new TransitionResult<>(Status.NOT_FOUND, entityType, entityId, to, null, null, 0);
            }
            // Parsing before any write: an unknown name throws and the transaction rolls back.
            S current = StateNames.parse(to.getDeclaringClass(), row.state());
            boolean notOlder = row.lastEventCreated() == null || !row.lastEventCreated().isAfter(created);
            if (sources.contains(current) && notOlder) {
                // The row changed between our UPDATE and the lock; it is locked now, so the next UPDATE decides.
                continue;
            }
            Status status;
            if (current == to) {
                status = Status.ALREADY_IN_TARGET;
                if (row.lastEventCreated() == null || row.lastEventCreated().isBefore(created)) {
                    confirm(c, entityType, entityId, eventId, created);
                }
            } else {
                status = notOlder ? Status.INVALID_TRANSITION : Status.STALE_EVENT;
            }
            rows.insertHistory(c, entityType, entityId, row.state(), to, status, eventId, created, source, now);
            return new TransitionResult<>(status, entityType, entityId, to, current, current, row.version());
        }
        throw new SQLException("the row of " + entityType + " " + entityId + " kept changing while locked", "40001");
    }

    private <S extends Enum<S>> int update(Connection c, String type, String id, List<S> sources, S to, String eventId,
            Instant created, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.transition(sources.size()))) {
            int i = 1;
            ps.setString(i++, StateNames.name(to));
            instants.set(ps, i++, created);
            ps.setString(i++, eventId);
            instants.set(ps, i++, now);
            ps.setString(i++, type);
            ps.setString(i++, id);
            for (S s : sources) {
                ps.setString(i++, StateNames.name(s));
            }
            instants.set(ps, i, created);
            int rows = ps.executeUpdate();
            if (rows > 1) {
                throw new SQLException("transition of " + type + " " + id + " changed " + rows + " rows; the primary key"
                        + " of " + sql.entityTable + " is missing");
            }
            return rows;
        }
    }

    private <S extends Enum<S>> TransitionResult<S> applied(Connection c, String type, String id, S to, String eventId,
            Instant created, EventSource source, Instant now) throws SQLException {
        String previousName;
        long version;
        try (PreparedStatement ps = c.prepareStatement(sql.selectAfterApply)) {
            ps.setString(1, type);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("row of " + type + " " + id + " vanished inside its own transaction");
                }
                previousName = rs.getString("previous_state");
                version = rs.getLong("version");
            }
        }
        S previous = previousName == null ? null : StateNames.parse(to.getDeclaringClass(), previousName);
        rows.insertHistory(c, type, id, previousName, to, Status.APPLIED, eventId, created, source, now);
        return new TransitionResult<>(Status.APPLIED, type, id, to, previous, to, version);
    }

    private void confirm(Connection c, String type, String id, String eventId, Instant created) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.confirmLastEvent)) {
            ps.setString(1, eventId);
            instants.set(ps, 2, created);
            ps.setString(3, type);
            ps.setString(4, id);
            ps.executeUpdate();
        }
    }

    @Override
    public <S extends Enum<S>> Optional<EntityState<S>> find(String entityType, String entityId, Class<S> stateType) {
        StateStoreArguments.checkEntity(entityType, entityId);
        Optional<StateRows.Row> row = run("reading " + entityType + " " + entityId, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.selectEntity)) {
                ps.setString(1, entityType);
                ps.setString(2, entityId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rows.row(rs)) : Optional.empty();
                }
            }
        });
        return row.map(r -> r.toState(stateType));
    }

    @Override
    public <S extends Enum<S>> List<TransitionRecord<S>> history(String entityType, String entityId, Class<S> stateType) {
        StateStoreArguments.checkEntity(entityType, entityId);
        Objects.requireNonNull(stateType, "stateType");
        return run("reading the history of " + entityType + " " + entityId, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.selectHistory)) {
                ps.setString(1, entityType);
                ps.setString(2, entityId);
                List<TransitionRecord<S>> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String from = rs.getString("from_state");
                        out.add(new TransitionRecord<>(rs.getLong("seq"), entityType, entityId,
                                from == null ? null : StateNames.parse(stateType, from),
                                StateNames.parse(stateType, rs.getString("to_state")),
                                rows.enumValue(Status.class, rs.getString("result"), "result"),
                                rs.getString("event_id"), Objects.requireNonNull(instants.get(rs, "event_created")),
                                rows.enumValue(EventSource.class, rs.getString("source"), "source"),
                                Objects.requireNonNull(instants.get(rs, "recorded_at"))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public <S extends Enum<S>> List<EntityState<S>> findStuck(String entityType, Class<S> stateType, Set<S> states,
            Instant changedBefore, int limit) {
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(changedBefore, "changedBefore");
        StateStoreArguments.checkLimit(limit);
        if (states.isEmpty()) {
            return List.of();
        }
        List<S> list = List.copyOf(states);
        List<StateRows.Row> stuck = run("listing stuck " + entityType + " entities", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.stuck(list.size()))) {
                int i = 1;
                ps.setString(i++, entityType);
                for (S s : list) {
                    ps.setString(i++, StateNames.name(s));
                }
                instants.set(ps, i++, changedBefore);
                ps.setInt(i, limit);
                List<StateRows.Row> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rows.row(rs));
                    }
                }
                return out;
            }
        });
        return stuck.stream().map(r -> r.toState(stateType)).toList();
    }

    @Override
    public int purgeHistory(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        int purged = run("purging state history", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.purgeHistory)) {
                instants.set(ps, 1, cutoff);
                return ps.executeUpdate();
            }
        });
        log.info("purged {} state history rows recorded before {} from {}", purged, cutoff, sql.historyTable);
        return purged;
    }

    @Override
    public String toString() {
        return "JdbcStateStore[" + dialect.displayName() + ", " + sql.entityTable + ", " + sql.historyTable
                + (joined != null ? ", in a transaction" : "") + "]";
    }

    // ---- rows ----

    static String validatePrefix(String prefix) {
        return TablePrefix.validate(prefix);
    }

    /**
     * Builder for {@link JdbcStateStore}: the options of {@link JdbcStoreBuilder}. {@link #build()}
     * connects once to detect the dialect (unless set) and to create or check the tables.
     */
    public static final class Builder extends JdbcStoreBuilder<Builder> {
        private Builder(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the store. With {@code createSchema(true)} the tables are committed before this
         * returns, also on a pool whose connections have auto-commit off.
         *
         * @throws StoreUnavailableException when the database cannot be reached
         * @throws HookwiseConfigurationException when the tables are missing and {@code createSchema} is false
         */
        public JdbcStateStore build() {
            StoreOptions o = options();
            Jdbc jdbc = o.jdbc(STORE);
            JdbcDialect d = jdbc.run("preparing the state tables", c -> {
                JdbcDialect detected = o.dialectOf(c);
                if (o.createSchema()) {
                    SqlScripts.execute(c, schemaScript(detected, o.tablePrefix()));
                } else {
                    requireTables(c, detected, new StateSql(o.tablePrefix()));
                }
                return detected;
            });
            if (o.createSchema()) {
                log.info("state tables {}entity_state and {}state_history ready ({})", o.tablePrefix(), o.tablePrefix(),
                        d.displayName());
            }
            return new JdbcStateStore(jdbc, d, o.tablePrefix(), o.clock());
        }

        private static void requireTables(Connection c, JdbcDialect d, StateSql sql) throws SQLException {
            for (String table : List.of(sql.entityTable, sql.historyTable)) {
                SqlScripts.requireTable(c, "state", table, schemaResource(d));
            }
        }
    }
}
