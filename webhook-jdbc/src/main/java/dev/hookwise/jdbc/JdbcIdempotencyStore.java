package dev.hookwise.jdbc;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.TransactionalStore;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.jdbc.internal.DatabaseClock;
import dev.hookwise.jdbc.internal.SqlFailures;
import dev.hookwise.jdbc.internal.StoreOptions;
import dev.hookwise.jdbc.internal.TablePrefix;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The event log on PostgreSQL, MySQL/MariaDB or H2: a durable {@link IdempotencyStore} that any
 * number of application instances share through one table.
 *
 * <pre>{@code
 * IdempotencyStore store = JdbcIdempotencyStore.builder(dataSource)
 *         .createSchema(true)          // or create the table with Flyway, see the README
 *         .build();
 * WebhookProcessor processor = WebhookProcessor.builder()
 *         .signingSecrets(secret).store(store).handlers(handlers).build();
 * }</pre>
 *
 * <p><b>The hazard this class exists for:</b> two instances receive the same event at the same
 * moment (Stripe retries, or delivers twice). A claim is therefore one atomic statement per
 * database (see {@link JdbcDialect}): an insert of a new row, or a guarded update that takes over
 * an expired lease or a due retry, with its row count always checked. Never select-then-insert.
 * Verdicts ({@code complete}, {@code retryAt}, {@code markDead}, {@code markIgnored}), heartbeats
 * and releases change the row only while the claim's {@link ClaimToken} (owner and attempt) still
 * holds it, so an owner whose lease was taken over gets {@link UpdateResult#LEASE_LOST} and changes
 * nothing, and a completed event stays completed.
 *
 * <p>The same table is the inbox of asynchronous mode: {@link #enqueue} accepts an event as
 * {@code QUEUED}, and {@link #claimDue} hands due events to {@code InboxWorker}s in any number of
 * instances, never one event to two of them ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL and
 * MySQL/MariaDB, guarded updates on H2; see {@link JdbcDialect}). {@link #purge} serves retention,
 * {@link #backlog} health and metrics.
 *
 * <p>It is also a {@link TransactionalStore}: {@link #runInTransaction} runs
 * {@linkplain JdbcTransactional transactional handlers} on a connection of the event log's
 * transaction and writes the events' verdicts in that same transaction, so the handlers' writes and
 * the completion commit together or not at all. How that transaction's connection is obtained and
 * ended is a {@link JdbcTransactionRunner} ({@link JdbcTransactionRunner#plain()} by default).
 *
 * <p>Each call is its own unit of work on a connection borrowed from the {@code DataSource} and
 * committed before it returns, also when the pool hands out connections with auto-commit off.
 * Do not give it a {@code DataSource} that joins an application transaction: a claim must be
 * visible to other instances at once, whatever the caller's transaction does later.
 *
 * <p>Every time comes from the injected {@link Clock} (the instances' clocks should agree to well
 * within a lease, as NTP gives), stored with microsecond precision in UTC.
 *
 * <p>Failures: a database that cannot be reached or a statement that fails becomes a
 * {@link StoreUnavailableException} (the processor answers 503; Stripe redelivers) whose message
 * never contains a password. Values the table cannot hold (an id or type longer than
 * {@value #MAX_KEY_LENGTH} characters, say) are refused with an {@link IllegalArgumentException}
 * before anything is written. Errors longer than {@link Builder#maxErrorLength(int)} are
 * truncated, never refused. A row with a status this version does not know raises
 * {@link InvalidEventRowException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class JdbcIdempotencyStore extends EventVerdicts {
    /** The prefix of the default table {@code hookwise_event_log}. */
    public static final String DEFAULT_TABLE_PREFIX = "hookwise_";
    /** The rule a table prefix must follow: lower-case letters, digits and underscores, 1 to 31 characters. */
    public static final String TABLE_PREFIX_PATTERN = TablePrefix.PATTERN;
    /** Longest id, type, API version, account or owner the table holds (its {@code VARCHAR(255)} columns). */
    public static final int MAX_KEY_LENGTH = NewEvent.MAX_ID_LENGTH;
    /** Size of the {@code last_error} column; also the default truncation bound. */
    public static final int MAX_ERROR_COLUMN_LENGTH = 4000;
    /** Shortest truncation bound accepted by {@link Builder#maxErrorLength(int)}. */
    public static final int MIN_ERROR_LENGTH = 16;

    private final EventLogSql sql;
    private final EventClaims claims;
    private final TransactionalRuns transactional;
    private final DueClaims due;
    private final EventPurge purges;
    private final EventSearch search;

    private JdbcIdempotencyStore(EventLog events) {
        super(events);
        this.sql = events.sql();
        this.claims = new EventClaims(events);
        this.transactional = new TransactionalRuns(events, this);
        this.due = new DueClaims(events);
        this.purges = new EventPurge(events);
        this.search = new EventSearch(events);
    }

    private static EventLog eventLog(Builder b, StoreOptions o, JdbcDialect dialect, boolean databaseReached) {
        EventLogSql sql = new EventLogSql(dialect, o.tablePrefix() + "event_log");
        boolean databaseTime = b.databaseTime != null ? b.databaseTime : !o.clockSet();
        Clock clock = databaseTime ? new DatabaseClock(o.clock(), o.dataSource(), timeQuery(dialect), databaseReached)
                : o.clock();
        return new EventLog(o.jdbc(SqlFailures.EVENT_STORE), o.dataSource(), b.transactionRunner, sql,
                new EventRowMapper(sql), clock, b.keepPayloads, b.maxErrorLength);
    }

    private static DatabaseClock.Query timeQuery(JdbcDialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> DatabaseClock.Query.POSTGRESQL;
            case MYSQL -> DatabaseClock.Query.MYSQL;
            case H2 -> DatabaseClock.Query.H2;
        };
    }

    /** A builder over {@code dataSource}; any pool works, or see {@link HikariDataSources}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The dialect in use, detected or set. */
    public JdbcDialect dialect() {
        return sql.dialect;
    }

    /** The event log's table name, e.g. {@code hookwise_event_log}. */
    public String tableName() {
        return sql.table;
    }

    @Override
    public ClaimResult claim(NewEvent event, String owner, Duration leaseDuration) {
        return claims.claim(event, owner, leaseDuration);
    }


    /**
     * {@inheritDoc}
     *
     * <p>One guarded {@code UPDATE} whose row count decides, then a read of the row in the same unit
     * of work. An expired claim ({@code PROCESSING} past its lease) may be replayed too: its run
     * ended without a verdict.
     */
    @Override
    public Optional<EventRecord> claimForReplay(String eventId, String owner, Duration leaseDuration, EventSource source) {
        return claims.claimForReplay(eventId, owner, leaseDuration, source);
    }

    @Override
    public boolean recordFinal(NewEvent event, EventStatus status, String reason) {
        return claims.recordFinal(event, status, reason);
    }

    @Override
    public boolean resetForReplay(String eventId, EventSource source) {
        return claims.resetForReplay(eventId, source);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The transaction comes from this store's {@link JdbcTransactionRunner}. Handlers get its
     * connection wrapped so that they cannot end the transaction ({@code StoreTransaction.unwrap(Connection.class)});
     * the store's own statements wait at most the statement timeout each. Each verdict is the same
     * fenced {@code UPDATE} as {@link #complete}, {@link #retryAt} and {@link #markDead}; its row
     * count decides.
     * <ul>
     *   <li>One claim: no savepoint. A failure rolls the transaction back and is recorded in a fresh
     *       one (as {@code retryAt} or {@code markDead}); a lost claim rolls it back.</li>
     *   <li>Several claims: {@code SAVEPOINT} before each event; a failure or a lost claim rolls back
     *       to it, and a failure is recorded right after, in the same transaction; one commit.</li>
     * </ul>
     * Before the commit the first savepoint is released (one claim on MySQL/MariaDB: a savepoint set
     * for that purpose, before the verdict): if the transaction was rolled back or ended underneath
     * (InnoDB rolls back the whole transaction on a deadlock, and a handler may have swallowed the
     * error), the release fails and nothing is committed. H2's driver cannot tell, so there a
     * handler that swallows a deadlock error can lose the batch's earlier verdicts (their events run
     * again after their leases) and its own earlier writes.
     *
     * @throws IllegalArgumentException if {@code claims} is empty or names an event twice
     */
    @Override
    public List<UpdateResult> runInTransaction(List<ClaimToken> claims, Work work) {
        return transactional.runInTransaction(claims, work);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One insert-if-absent ({@code ON CONFLICT DO NOTHING}, {@code INSERT IGNORE}, or on H2 an
     * insert whose duplicate-key error means "known"): a known event, whatever its status, is left
     * as it is. The row is {@code QUEUED}, attempt 0, due at once ({@code next_attempt_at} = now),
     * with the event's trace context in {@code trace_context}.
     *
     * @throws IllegalStateException if the store was built with {@code keepPayloads(false)}: a
     *     worker can only process an event from its stored body
     */
    @Override
    public boolean enqueue(NewEvent event) {
        return due.enqueue(event);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Due means {@code QUEUED}, {@code FAILED} with {@code next_attempt_at <= now}, or
     * {@code PROCESSING} with {@code lease_until <= now}; the oldest come first (an expired lease by
     * its end, the others by their next attempt). Each database does it its own way (see
     * {@link JdbcDialect}): {@code FOR UPDATE SKIP LOCKED} on PostgreSQL and MySQL/MariaDB, so that
     * workers skip each other's rows instead of waiting; guarded updates with their row counts
     * checked on H2.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1 or the lease is not positive
     */
    @Override
    public List<EventRecord> claimDue(String owner, Duration leaseDuration, int limit) {
        return due.claimDue(owner, leaseDuration, limit);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code DELETE} of at most {@code limit} rows ({@code DELETE … LIMIT} on MySQL/MariaDB,
     * a locked sub-select on PostgreSQL; on H2 the ids are read first, see {@link JdbcDialect}).
     * Call it again until it returns less than {@code limit}, as {@code EventRetention} does, so
     * that no transaction grows large. {@code completed_at} (set when an event completes or is
     * recorded as ignored) decides the age. The statements also require {@code created} before the
     * cut-off, which every such event meets (Stripe creates an event before it can be finished), so
     * that the scan is a range of the {@code (created, id)} index: its cost follows the rows old
     * enough to look at, not the size of the log, and the last call of a retention run, which finds
     * nothing, stays cheap. An event whose {@code created} lies after its completion (Stripe's clock
     * ahead of the database's) is purged by a later run.
     */
    @Override
    public int purge(Instant finishedBefore, int limit) {
        return purges.purge(finishedBefore, limit);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One grouped count over the status index.
     */
    @Override
    public Backlog backlog() {
        return due.backlog();
    }

    @Override
    public Optional<EventRecord> find(String eventId) {
        return search.find(eventId);
    }

    @Override
    public List<EventRecord> search(EventQuery query) {
        return search.search(query);
    }

    @Override
    public String toString() {
        // Never the DataSource: its toString may show a URL with credentials.
        return "JdbcIdempotencyStore[" + sql.dialect.displayName() + ", table=" + sql.table + "]";
    }

    static String validatePrefix(String prefix) {
        return TablePrefix.validate(prefix);
    }

    /**
     * Builder for {@link JdbcIdempotencyStore}; each setter validates its value, {@link #build()}
     * freezes the configuration. {@code build()} connects once to detect the dialect (unless set)
     * and to create or check the table; it throws {@link StoreUnavailableException} if the database
     * cannot be reached then. With the dialect set and {@code createSchema(false)} it does not
     * connect, so an application can start while its database is briefly down. The options every
     * JDBC store has (dialect, table prefix, schema creation, clock, statement timeout) are
     * {@link JdbcStoreBuilder}'s.
     */
    public static final class Builder extends JdbcStoreBuilder<Builder> {
        private boolean keepPayloads = true;
        private @Nullable Boolean databaseTime;
        private int maxErrorLength = MAX_ERROR_COLUMN_LENGTH;
        private JdbcTransactionRunner transactionRunner = JdbcTransactionRunner.plain();

        private Builder(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Whether raw bodies are stored for replay (default true). Asynchronous mode needs them: with
         * false, {@link JdbcIdempotencyStore#enqueue} refuses every event.
         */
        public Builder keepPayloads(boolean value) {
            this.keepPayloads = value;
            return this;
        }

        /**
         * Whether leases and timestamps follow the database server's time (default: yes, unless a
         * {@link #clock(Clock) clock} is given). Instances compare each other's leases, so they must agree on the
         * time: with their own clocks, one running two minutes ahead would find every other
         * instance's lease expired and run those events a second time while they still run. The
         * store measures the offset between the application clock (the given one, or the system
         * clock) and the database's every 30 s with one query, and warns when it is a second or more.
         */
        public Builder databaseTime(boolean value) {
            this.databaseTime = value;
            return this;
        }

        /**
         * Longest stored error text, from {@value #MIN_ERROR_LENGTH} to
         * {@value #MAX_ERROR_COLUMN_LENGTH} (the column size, and the default); longer errors are
         * truncated.
         */
        public Builder maxErrorLength(int value) {
            if (value < MIN_ERROR_LENGTH || value > MAX_ERROR_COLUMN_LENGTH) {
                throw new HookwiseConfigurationException("maxErrorLength must be between " + MIN_ERROR_LENGTH
                        + " and " + MAX_ERROR_COLUMN_LENGTH + ", but was " + value);
            }
            this.maxErrorLength = value;
            return this;
        }

        /**
         * How the transactions of {@linkplain JdbcTransactional transactional handlers} obtain and
         * end their connection (default {@link JdbcTransactionRunner#plain()}: a connection of this
         * store's {@code DataSource}, committed or rolled back, then closed). A framework plugs in its
         * own transaction management here; see {@link JdbcTransactionRunner}.
         *
         * @since 0.2.0
         */
        public Builder transactionRunner(JdbcTransactionRunner value) {
            this.transactionRunner = Objects.requireNonNull(value, "transactionRunner");
            return this;
        }

        /**
         * Builds the store.
         *
         * @throws HookwiseConfigurationException if the database is not supported or the table is
         *     missing while {@code createSchema} is off
         * @throws StoreUnavailableException if the database cannot be reached while it must be
         */
        public JdbcIdempotencyStore build() {
            StoreOptions o = options();
            JdbcDialect given = o.dialect();
            String table = o.tablePrefix() + "event_log";
            boolean reached = given == null || o.createSchema();
            JdbcDialect chosen;
            if (given != null && !reached) {
                chosen = given;
            } else {
                chosen = o.jdbc(SqlFailures.EVENT_STORE).run("preparing the event log " + table, c -> {
                    JdbcDialect d = o.dialectOf(c);
                    if (o.createSchema()) {
                        SchemaInstaller.create(c, d, o.tablePrefix(), table);
                    }
                    SchemaInstaller.requireTable(c, d, table);
                    return d;
                });
            }
            return new JdbcIdempotencyStore(eventLog(this, o, chosen, reached));
        }
    }
}
