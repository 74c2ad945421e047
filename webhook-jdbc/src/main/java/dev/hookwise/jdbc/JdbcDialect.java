package dev.hookwise.jdbc;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.jdbc.internal.InstantColumn;
import dev.hookwise.jdbc.internal.SqlFailures;
import dev.hookwise.jdbc.internal.SqlScripts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The databases Hookwise's JDBC stores speak, and everything that differs between them: the
 * schema file, how a claim is made atomic, how instants are bound, how a duplicate key shows.
 * SQL that is the same everywhere lives in {@code EventLogSql}; SQL that differs lives here, in
 * the constant of its database.
 *
 * <p>Detected from {@link java.sql.DatabaseMetaData#getDatabaseProductName()} unless set on the
 * builder:
 *
 * <pre>{@code
 * JdbcIdempotencyStore.builder(dataSource).dialect(JdbcDialect.POSTGRESQL).build();
 * }</pre>
 *
 * <p>How each database claims an event in one atomic statement:
 * <ul>
 *   <li>PostgreSQL: {@code INSERT … ON CONFLICT (id) DO UPDATE … WHERE <lease expired or retry due>
 *       RETURNING attempts}. A plain failed INSERT would abort a surrounding transaction, so
 *       PostgreSQL never relies on catching a duplicate key.</li>
 *   <li>MySQL/MariaDB: {@code INSERT IGNORE} (row count 1: a new event, claimed); if the key
 *       exists, a guarded {@code UPDATE … WHERE id=? AND <lease expired or retry due>} whose row
 *       count decides (0: someone else holds the event or it is final).</li>
 *   <li>H2: a plain {@code INSERT} whose duplicate-key error means "known event", then the same
 *       guarded {@code UPDATE}. H2 accepts {@code FOR UPDATE SKIP LOCKED} but locks every row
 *       read before {@code LIMIT}, so Hookwise never relies on it there.</li>
 * </ul>
 *
 * <p>How each database hands due inbox events to workers ({@code claimDue}), so that workers in
 * several processes never receive the same event and do not wait for each other:
 * <ul>
 *   <li>Both with {@code SKIP LOCKED} read the due ids with one {@code SELECT … ORDER BY … LIMIT ?
 *       FOR UPDATE SKIP LOCKED} per due status (queued; failed and due; processing with an expired
 *       lease), each ordered by the {@code (status, next_attempt_at)} index, so the database stops
 *       reading, and locking, at {@code LIMIT}. One query with {@code OR} and an {@code ORDER BY}
 *       expression would sort every due row first: on MySQL/MariaDB that locks them all (a second
 *       worker finds nothing), on PostgreSQL it costs a sort of the whole backlog per claim
 *       (73 ms with 100,000 queued rows, against 0.5 ms).</li>
 *   <li>PostgreSQL: one statement, {@code WITH q AS (…), f AS (…), p AS (…), due AS (…) UPDATE … FROM
 *       due RETURNING …}, where {@code due} is the oldest {@code limit} of them.</li>
 *   <li>MySQL 8 / MariaDB 10.6+: the three reads, then an update of the oldest {@code limit} by id,
 *       then a read of the rows, in one {@code READ COMMITTED} transaction (no gap locks).</li>
 *   <li>H2: read the oldest due ids without locks, then one guarded {@code UPDATE … WHERE id = ?
 *       AND <still due>} per candidate; row count 0 means another worker won it.</li>
 * </ul>
 */
public enum JdbcDialect {

    /** PostgreSQL 9.5 or newer (for {@code ON CONFLICT}). */
    POSTGRESQL("postgresql", "PostgreSQL", InboxClaim.SINGLE_STATEMENT,
            "INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (id) DO NOTHING", EnumSet.noneOf(Quirk.class)) {
        @Override
        String claimUpsert(String table) {
            // One statement: insert a new event, or take over an expired lease / a due retry.
            // RETURNING yields a row only when this call now owns the event.
            return """
                    INSERT INTO %s AS e (%s) VALUES (%s)
                    ON CONFLICT (id) DO UPDATE SET status = 'PROCESSING', attempts = e.attempts + 1,
                      owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, started_at = EXCLUDED.started_at,
                      completed_at = NULL, processing_micros = NULL, next_attempt_at = NULL
                    WHERE %s
                    RETURNING e.attempts""".formatted(table, EventLogSql.CLAIM_INSERT_COLUMNS,
                    EventLogSql.CLAIM_INSERT_VALUES, EventLogSql.takeoverGuard("e."));
        }

        /**
         * The due selects as CTEs, the oldest {@code limit} of their rows updated. Parameters: those
         * of each {@link #dueSelects} in order, then limit, owner, lease_until, started_at. Rows a
         * CTE locked but the update did not take are free when the statement ends. Rows come back
         * unordered; {@code due_at} lets the store put them oldest first.
         */
        @Override
        String claimDueStatement(String table) {
            List<DueSelect> selects = dueSelects(table);
            StringBuilder with = new StringBuilder("WITH ");
            StringBuilder union = new StringBuilder();
            for (int i = 0; i < selects.size(); i++) {
                with.append("s").append(i).append(" AS (").append(selects.get(i).sql()).append("), ");
                union.append(i == 0 ? "" : " UNION ALL ").append("SELECT id, due_at FROM s").append(i);
            }
            return """
                    %sdue AS (SELECT id, due_at FROM (%s) d ORDER BY due_at, id LIMIT ?)
                    UPDATE %s AS e SET status = 'PROCESSING', attempts = e.attempts + 1, owner = ?, lease_until = ?,
                      started_at = ?, completed_at = NULL, processing_micros = NULL, next_attempt_at = NULL
                    FROM due WHERE e.id = due.id
                    RETURNING %s, due.due_at""".formatted(with, union, table, EventLogSql.qualifiedColumns("e."));
        }

        @Override
        String purgeBatch(String table) {
            // PostgreSQL has no DELETE … LIMIT. FOR UPDATE checks the condition again on each row's
            // latest version and holds it, so an event replayed meanwhile is never deleted.
            return """
                    DELETE FROM %s WHERE id IN (
                      SELECT id FROM %s WHERE %s LIMIT ? FOR UPDATE SKIP LOCKED)""".formatted(table, table,
                    EventLogSql.PURGEABLE);
        }
    },

    /**
     * MySQL 8 and MariaDB 10.5 or newer; the inbox ({@code claimDue}, asynchronous mode) needs
     * {@code SKIP LOCKED}: MySQL 8 or MariaDB 10.6+. Times are stored in {@code DATETIME(6)}
     * columns as UTC wall-clock values, independent of the server's and the JVM's time zones.
     */
    MYSQL("mysql", "MySQL/MariaDB", InboxClaim.SKIP_LOCKED_SELECTS,
            // INSERT IGNORE: 0 rows when the id exists, without an error. A plain INSERT would raise a
            // duplicate-key error on every redelivery, and MariaDB Connector/J logs each server error at
            // WARN. IGNORE also turns some data errors into warnings; the store refuses every value the
            // table cannot hold before it gets here, so none can occur. (ON DUPLICATE KEY UPDATE id = id
            // does not work: with CLIENT_FOUND_ROWS, the drivers' default, an unchanged row counts 1.)
            "INSERT IGNORE INTO %s (%s) VALUES (%s)",
            // InnoDB rolls back the whole transaction on a deadlock, savepoints included.
            EnumSet.of(Quirk.DEADLOCK_ENDS_TRANSACTION, Quirk.READ_COMMITTED_CLAIMS)) {
        @Override
        String purgeBatch(String table) {
            return "DELETE FROM %s WHERE %s LIMIT ?".formatted(table, EventLogSql.PURGEABLE);
        }
    },

    /** H2 2.x, embedded, in-memory or server mode. */
    H2("h2", "H2", InboxClaim.GUARDED_UPDATES, null,
            // "Deadlock detected. The current transaction was rolled back."; the driver releases
            // savepoints without asking the database.
            EnumSet.of(Quirk.DEADLOCK_ENDS_TRANSACTION, Quirk.SAVEPOINT_RELEASE_UNCHECKED)) {
        /**
         * None: H2 (2.4.240) counts the rows a {@code DELETE … FETCH FIRST n ROWS ONLY} examines
         * through the status index, not the rows it deletes, so batches come back short while
         * purgeable rows remain. The store reads the ids with a limit instead, then deletes them.
         */
        @Override
        @Nullable String purgeBatch(String table) {
            return null;
        }
    };

    /** The table name the schema files use; a table prefix replaces its {@code hookwise_}. */
    public static final String DEFAULT_TABLE = "hookwise_event_log";

    private static final String SCHEMA_FOLDER = "dev/hookwise/jdbc/schema/";
    private static final String SCHEMA_FILE = "V1__hookwise_event_log.sql";
    private static final String TRACE_CONTEXT_FILE = "V3__hookwise_trace_context.sql";

    private final String folder;
    private final InboxClaim inboxClaim;
    /** {@code INSERT … VALUES} that writes 0 rows for a known id: table, columns, values formatted in; or null. */
    private final @Nullable String insertIfAbsent;
    private final String displayName;
    private final boolean deadlockEndsTransaction;
    private final boolean releaseProvesTransaction;
    private final int claimIsolation;

    JdbcDialect(String folder, String displayName, InboxClaim inboxClaim, @Nullable String insertIfAbsent,
            Set<Quirk> quirks) {
        this.inboxClaim = inboxClaim;
        this.deadlockEndsTransaction = quirks.contains(Quirk.DEADLOCK_ENDS_TRANSACTION);
        this.releaseProvesTransaction = !quirks.contains(Quirk.SAVEPOINT_RELEASE_UNCHECKED);
        this.claimIsolation = quirks.contains(Quirk.READ_COMMITTED_CLAIMS) ? Connection.TRANSACTION_READ_COMMITTED : -1;
        this.insertIfAbsent = insertIfAbsent;
        this.folder = folder;
        this.displayName = displayName;
    }

    /**
     * The dialect of a database product name as JDBC reports it ({@code PostgreSQL}, {@code MySQL},
     * {@code MariaDB}, {@code H2}).
     *
     * @throws HookwiseConfigurationException for any other database, saying how to proceed
     */
    public static JdbcDialect fromProductName(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MYSQL;
        }
        if (name.equals("h2")) {
            return H2;
        }
        throw new HookwiseConfigurationException("database '" + productName + "' is not supported by Hookwise's"
                + " JDBC stores: use PostgreSQL, MySQL/MariaDB or H2, or set dialect(JdbcDialect.…) if it speaks"
                + " one of their SQL dialects");
    }

    /** The dialect of the database behind {@code connection}. */
    public static JdbcDialect detect(Connection connection) throws SQLException {
        return fromProductName(connection.getMetaData().getDatabaseProductName());
    }

    /** A human name, e.g. {@code MySQL/MariaDB}. */
    public String displayName() {
        return displayName;
    }

    /**
     * The classpath location of this dialect's schema file, e.g.
     * {@code dev/hookwise/jdbc/schema/postgresql/V1__hookwise_event_log.sql}. The file creates
     * {@value #DEFAULT_TABLE} and its indexes and can be copied into Flyway's {@code db/migration}.
     */
    public String schemaResource() {
        return SCHEMA_FOLDER + folder + "/" + SCHEMA_FILE;
    }

    /**
     * This dialect's schema with {@code tablePrefix} in place of {@code hookwise_}, e.g. to write a
     * migration for a custom prefix. The prefix is validated as in
     * {@link JdbcIdempotencyStore.Builder#tablePrefix(String)}.
     */
    public String schemaScript(String tablePrefix) {
        return script(schemaResource(), tablePrefix);
    }

    /**
     * The classpath location of the migration that adds the {@code trace_context} column to an event
     * log created by {@link #schemaResource()} (Hookwise 0.2.0), e.g.
     * {@code dev/hookwise/jdbc/schema/postgresql/V3__hookwise_trace_context.sql}; Flyway applies it
     * after {@code V1__hookwise_event_log.sql} and the state store's {@code V2__hookwise_state.sql}.
     * The column holds the trace context of the delivery that queued an event, which the inbox
     * worker's observation continues; a store built with {@code createSchema(true)} adds it itself.
     *
     * @since 0.2.0
     */
    public String traceContextMigrationResource() {
        return SCHEMA_FOLDER + folder + "/" + TRACE_CONTEXT_FILE;
    }

    /**
     * The migration of {@link #traceContextMigrationResource()} with {@code tablePrefix} in place of
     * {@code hookwise_}, for an event log with a custom prefix. The prefix is validated as in
     * {@link JdbcIdempotencyStore.Builder#tablePrefix(String)}.
     *
     * @since 0.2.0
     */
    public String traceContextMigrationScript(String tablePrefix) {
        return script(traceContextMigrationResource(), tablePrefix);
    }

    /**
     * The event log as this version creates it from nothing: {@link #schemaScript(String)} with the
     * columns of the later migrations folded into its {@code CREATE TABLE}, so that a fresh table
     * needs no {@code ALTER TABLE} (H2 rebuilds a table to add a column, and instances starting
     * together would trip over the rebuild). {@code V1} never changes once shipped (Flyway keeps its
     * checksum), so the text this edits is fixed; the column's definition is read from {@code V3}.
     */
    String currentSchemaScript(String tablePrefix) {
        String created = schemaScript(tablePrefix);
        java.util.regex.Matcher column = java.util.regex.Pattern
                .compile("ADD COLUMN (?:IF NOT EXISTS )?(trace_context [^;]+);")
                .matcher(traceContextMigrationScript(tablePrefix));
        if (!column.find()) {
            throw new IllegalStateException(traceContextMigrationResource() + " adds no trace_context column");
        }
        String folded = created.replaceFirst("(?m)^(\\s*)(payload\\s+\\S+,)$",
                "$1$2\n$1" + java.util.regex.Matcher.quoteReplacement(column.group(1).strip()) + ",");
        if (folded.equals(created)) {
            throw new IllegalStateException(schemaResource() + " has no payload column to add trace_context after");
        }
        return folded;
    }

    private static String script(String resource, String tablePrefix) {
        return SqlScripts.load(resource, DEFAULT_TABLE, JdbcIdempotencyStore.validatePrefix(tablePrefix) + "event_log");
    }

    // ---- what differs between databases (package-private: the store's implementation detail) ----

    /**
     * The single statement that inserts a new event or takes over an expired lease or a due retry;
     * or null when the dialect claims by an insert, then a guarded update.
     */
    @Nullable String claimUpsert(String table) {
        return null;
    }

    /**
     * An insert that writes 0 rows, without an error, when the id exists; or null when the dialect
     * has none (H2) and the caller recognises the duplicate key with {@link #isDuplicateKey(SQLException)}.
     */
    @Nullable String insertIfAbsent(String table, String columns, String values) {
        return insertIfAbsent == null ? null : insertIfAbsent.formatted(table, columns, values);
    }

    /** How {@code claimDue} hands due events to a worker on this database. */
    enum InboxClaim {
        /** One statement: the due selects as CTEs with {@code SKIP LOCKED}, an update, the rows returned. */
        SINGLE_STATEMENT,
        /** In one transaction: the due selects with {@code SKIP LOCKED}, then an update per chosen id. */
        SKIP_LOCKED_SELECTS,
        /** Unlocked candidates, then one guarded update per candidate whose row count decides. */
        GUARDED_UPDATES
    }

    /** How this database claims due inbox events (see the class comment). */
    InboxClaim inboxClaim() {
        return inboxClaim;
    }

    /** The single-statement inbox claim; only for {@link InboxClaim#SINGLE_STATEMENT}. */
    String claimDueStatement(String table) {
        throw new UnsupportedOperationException(name() + " does not claim inbox events in one statement");
    }

    /**
     * A locking read of due ids and their {@code due_at}; parameters: now (if {@code takesNow}), limit.
     */
    record DueSelect(String sql, boolean takesNow) {}

    /**
     * The locking reads of due ids, one per due status, for the databases with {@code SKIP LOCKED}.
     * Each is answered from the {@code (status, next_attempt_at)} index in order, so the database
     * reads and locks only the rows up to {@code LIMIT} (InnoDB's index holds the id too;
     * PostgreSQL sorts ties on the id incrementally).
     */
    List<DueSelect> dueSelects(String table) {
        return dueReads(table, " FOR UPDATE SKIP LOCKED");
    }

    /**
     * The reads of due ids, one per due status, each ending with {@code lock} (empty for a read
     * without locks): the statuses are read apart so that each read is a range of the
     * {@code (status, next_attempt_at)} index, whatever the size of the log. One query with an
     * {@code OR} of the statuses makes H2 (and others) read every row.
     */
    static List<DueSelect> dueReads(String table, String lock) {
        String select = """
                SELECT id, %s AS due_at FROM %s WHERE %s
                ORDER BY %s, id LIMIT ?""" + lock;
        return List.of(
                new DueSelect(select.formatted("COALESCE(next_attempt_at, received_at)", table, "status = 'QUEUED'",
                        "next_attempt_at"), false),
                new DueSelect(select.formatted("COALESCE(next_attempt_at, received_at)", table,
                        "status = 'FAILED' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)", "next_attempt_at"),
                        true),
                // Expired leases are rare (a crashed worker); no index orders them, and few rows are PROCESSING.
                new DueSelect(select.formatted("COALESCE(lease_until, next_attempt_at, received_at)", table,
                        "status = 'PROCESSING' AND (lease_until IS NULL OR lease_until <= ?)", "lease_until"), true));
    }

    /**
     * Whether a deadlock rolls back the whole transaction, savepoints included (MySQL/MariaDB, H2),
     * rather than only the statement (PostgreSQL: after any error every later statement of the
     * transaction fails until it is rolled back). With auto-commit off, the next statement then
     * silently begins a new transaction: a handler that swallowed the deadlock error would leave
     * the store writing verdicts into that new transaction.
     */
    boolean deadlockEndsTransaction() {
        return deadlockEndsTransaction;
    }

    /**
     * Whether {@code Connection.releaseSavepoint} reaches the database, so that releasing a savepoint
     * set at the start of a transaction proves the transaction is still the one that began (it fails
     * once the transaction was rolled back or ended underneath). H2's driver releases savepoints
     * without asking the database.
     */
    boolean releaseProvesTransaction() {
        return releaseProvesTransaction;
    }

    /** The isolation level of a claim transaction, or -1 to keep the connection's. */
    int claimIsolation() {
        return claimIsolation;
    }

    /** How a database's transactions differ from PostgreSQL's; the methods that ask say what each means. */
    enum Quirk {
        /** See {@link #deadlockEndsTransaction()}. */
        DEADLOCK_ENDS_TRANSACTION,
        /** {@link #releaseProvesTransaction()} is false: the driver releases savepoints by itself. */
        SAVEPOINT_RELEASE_UNCHECKED,
        /** Claim transactions run {@code READ COMMITTED} (MySQL/MariaDB: no gap locks), see {@link #claimIsolation()}. */
        READ_COMMITTED_CLAIMS
    }

    /**
     * One statement deleting purgeable rows (parameters: the cut-off twice, at most how many rows),
     * or null when the database cannot limit a delete reliably and the store selects the ids first.
     */
    abstract @Nullable String purgeBatch(String table);

    /** Whether {@code e} reports a primary-key violation; see {@link SqlFailures#isDuplicateKey}. */
    boolean isDuplicateKey(SQLException e) {
        return SqlFailures.isDuplicateKey(e);
    }

    /** Binds an instant (microsecond precision, the finest all three keep) or SQL NULL; see {@link InstantColumn}. */
    void setInstant(PreparedStatement ps, int index, @Nullable Instant value) throws SQLException {
        InstantColumn.of(this).set(ps, index, value);
    }

    /** Reads an instant column, or null. */
    @Nullable Instant getInstant(ResultSet rs, String column) throws SQLException {
        return InstantColumn.of(this).get(rs, column);
    }

}
