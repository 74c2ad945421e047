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
import dev.hookwise.core.spi.TransactionalStore.Verdict;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.jdbc.internal.DatabaseClock;
import dev.hookwise.jdbc.internal.HandlerConnection;
import dev.hookwise.jdbc.internal.Jdbc;
import dev.hookwise.jdbc.internal.SqlFailures;
import dev.hookwise.jdbc.internal.TablePrefix;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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
public final class JdbcIdempotencyStore implements InboxStore, TransactionalStore {

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

    private static final Instant EARLIEST_CREATED = Instant.parse("1000-01-01T00:00:00Z");
    private static final Instant LATEST_CREATED = Instant.parse("9999-12-31T00:00:00Z");
    /** Claim rounds when the row changes between a failed claim and reading why (it completed, or became due). */
    private static final int CLAIM_ROUNDS = 3;
    /** H2: candidates read beyond the limit, so that racing workers still find rows left to win. */
    private static final int H2_EXTRA_CANDIDATES = 16;
    private static final int MAX_CANDIDATES = 1000;
    /** Most ids in one {@code IN (…)} list. */
    private static final int IN_LIST_CHUNK = 500;
    /** Most claims renewed by one heartbeat statement (three parameters each). */
    private static final int HEARTBEAT_CHUNK = 200;

    private final Jdbc jdbc;
    private final DataSource dataSource;
    private final JdbcTransactionRunner transactions;
    private final EventLogSql sql;
    private final EventRowMapper rows;
    private final Clock clock;
    private final boolean keepPayloads;
    private final int maxErrorLength;

    private JdbcIdempotencyStore(Builder b, JdbcDialect dialect, boolean databaseReached) {
        this.jdbc = new Jdbc(b.dataSource, SqlFailures.EVENT_STORE, b.statementTimeout);
        this.dataSource = b.dataSource;
        this.transactions = b.transactionRunner;
        this.sql = new EventLogSql(dialect, b.tablePrefix + "event_log");
        this.rows = new EventRowMapper(sql);
        boolean databaseTime = b.databaseTime != null ? b.databaseTime : !b.clockSet;
        this.clock = databaseTime ? new DatabaseClock(b.clock, b.dataSource, timeQuery(dialect), databaseReached)
                : b.clock;
        this.keepPayloads = b.keepPayloads;
        this.maxErrorLength = b.maxErrorLength;
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

    // ---------------------------------------------------------------- claim

    @Override
    public ClaimResult claim(NewEvent event, String owner, Duration leaseDuration) {
        Objects.requireNonNull(event, "event");
        checkOwner(owner);
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        if (leaseDuration.isZero() || leaseDuration.isNegative()) {
            throw new IllegalArgumentException("leaseDuration must be positive, but was " + leaseDuration);
        }
        checkEvent(event);
        NewEvent stored = keepPayloads ? event : event.withoutPayload();
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(leaseDuration);
        return jdbc.run("claiming " + event.id(), c -> {
            for (int round = 0; round < CLAIM_ROUNDS; round++) {
                ClaimResult result = sql.claimUpsert != null
                        ? claimByUpsert(c, stored, owner, now, leaseUntil)
                        : claimByInsertOrTakeover(c, stored, owner, now, leaseUntil);
                if (result != null) {
                    return result;
                }
                ClaimResult refusal = refusal(c, event.id(), now);
                if (refusal != null) {
                    return refusal;
                }
                // The row changed between the claim and reading it (completed, failed now due,
                // or deleted): claim again.
            }
            return ClaimResult.inProgress(0);
        });
    }

    private @Nullable ClaimResult claimByUpsert(Connection c, NewEvent e, String owner, Instant now,
            Instant leaseUntil) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.claimUpsert)) {
            int i = bindClaimInsert(ps, e, owner, now, leaseUntil);
            sql.dialect.setInstant(ps, i++, now);
            sql.dialect.setInstant(ps, i, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? ClaimResult.claimed(rs.getInt(1)) : null;
            }
        }
    }

    private @Nullable ClaimResult claimByInsertOrTakeover(Connection c, NewEvent e, String owner, Instant now,
            Instant leaseUntil) throws SQLException {
        boolean ifAbsent = sql.claimInsertIfAbsent != null;
        try (PreparedStatement ps = c.prepareStatement(ifAbsent ? sql.claimInsertIfAbsent : sql.claimInsert)) {
            bindClaimInsert(ps, e, owner, now, leaseUntil);
            if (ps.executeUpdate() == 1) {
                return ClaimResult.claimed(1);
            }
        } catch (SQLException insertFailed) {
            if (ifAbsent || !sql.dialect.isDuplicateKey(insertFailed)) {
                throw insertFailed;
            }
        }
        // Known event: take it over if its lease ended or its retry is due. The row count decides
        // who won; the attempt number is read in the same transaction, under the row lock.
        return Jdbc.inTransaction(c, tx -> {
            try (PreparedStatement ps = tx.prepareStatement(sql.takeOver)) {
                ps.setString(1, owner);
                sql.dialect.setInstant(ps, 2, leaseUntil);
                sql.dialect.setInstant(ps, 3, now);
                ps.setString(4, e.id());
                sql.dialect.setInstant(ps, 5, now);
                sql.dialect.setInstant(ps, 6, now);
                if (ps.executeUpdate() != 1) {
                    return Optional.<ClaimResult>empty();
                }
            }
            try (PreparedStatement ps = tx.prepareStatement(sql.attemptsOfOwner)) {
                ps.setString(1, e.id());
                ps.setString(2, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("event " + e.id() + " vanished inside its own claim transaction");
                    }
                    return Optional.of(ClaimResult.claimed(rs.getInt(1)));
                }
            }
        }).orElse(null); // empty: another claimer won
    }

    private int bindClaimInsert(PreparedStatement ps, NewEvent e, String owner, Instant now, Instant leaseUntil)
            throws SQLException {
        int i = bindEventColumns(ps, 1, e);
        ps.setString(i++, owner);
        sql.dialect.setInstant(ps, i++, leaseUntil);
        sql.dialect.setInstant(ps, i++, now);
        sql.dialect.setInstant(ps, i++, now);
        ps.setString(i++, e.source().name());
        ps.setBytes(i++, e.payload());
        return i;
    }

    /** Binds id, type, created, livemode, api_version, account from {@code index}; returns the next index. */
    private int bindEventColumns(PreparedStatement ps, int index, NewEvent e) throws SQLException {
        int i = index;
        ps.setString(i++, e.id());
        ps.setString(i++, e.type());
        sql.dialect.setInstant(ps, i++, e.created());
        ps.setBoolean(i++, e.livemode());
        ps.setString(i++, e.apiVersion());
        ps.setString(i++, e.account());
        return i;
    }

    /** Why a known event cannot be claimed now, or null if it could be after all (claim again). */
    private @Nullable ClaimResult refusal(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.claimState)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                EventStatus status = rows.status(id, rs.getString("status"));
                int attempts = rs.getInt("attempts");
                Instant leaseUntil = sql.dialect.getInstant(rs, "lease_until");
                Instant nextAttempt = sql.dialect.getInstant(rs, "next_attempt_at");
                if (status == EventStatus.PROCESSING) {
                    return leaseUntil == null || !leaseUntil.isAfter(now) ? null : ClaimResult.inProgress(attempts);
                }
                if (status == EventStatus.FAILED) {
                    return nextAttempt == null || !nextAttempt.isAfter(now)
                            ? null : ClaimResult.retryLater(attempts, nextAttempt);
                }
                // QUEUED is claimable: it changed under us, claim again.
                return status.isFinal() ? ClaimResult.alreadyCompleted(attempts) : null;
            }
        }
    }

    // ---------------------------------------------------------------- verdicts

    @Override
    public UpdateResult complete(ClaimToken claim, Duration processingTime) {
        Objects.requireNonNull(claim, "claim");
        long micros = micros(processingTime);
        Instant now = clock.instant();
        return verdict("completing", claim, sql.complete, ps -> {
            sql.dialect.setInstant(ps, 1, now);
            ps.setLong(2, micros);
            return 3;
        });
    }

    @Override
    public UpdateResult retryAt(ClaimToken claim, String error, Instant nextAttemptAt) {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        String text = truncate(error == null ? "(no description)" : error);
        return verdict("recording the failure of", claim, sql.failRetryable, ps -> {
            ps.setString(1, text);
            sql.dialect.setInstant(ps, 2, nextAttemptAt);
            return 3;
        });
    }

    @Override
    public UpdateResult markDead(ClaimToken claim, String error) {
        Objects.requireNonNull(claim, "claim");
        return finalVerdict("recording as dead", claim, sql.failDead, error == null ? "(no description)" : error);
    }

    @Override
    public UpdateResult markIgnored(ClaimToken claim, String reason) {
        Objects.requireNonNull(claim, "claim");
        return finalVerdict("recording as ignored", claim, sql.markIgnored, reason == null ? "(no reason)" : reason);
    }

    private UpdateResult finalVerdict(String what, ClaimToken claim, String statement, String note) {
        String text = truncate(note);
        Instant now = clock.instant();
        return verdict(what, claim, statement, ps -> {
            sql.dialect.setInstant(ps, 1, now);
            ps.setString(2, text);
            return 3;
        });
    }

    /** Binds the verdict's own values, then the token; 0 rows means the token no longer holds the event. */
    private UpdateResult verdict(String what, ClaimToken claim, String statement, Values values) {
        return jdbc.run(what + " " + claim.eventId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                bindToken(ps, values.bind(ps), claim);
                return ps.executeUpdate() == 1 ? UpdateResult.APPLIED : UpdateResult.LEASE_LOST;
            }
        });
    }

    /** Binds a {@link EventLogSql#FENCED} condition from {@code index}; returns the next index. */
    private static int bindToken(PreparedStatement ps, int index, ClaimToken claim) throws SQLException {
        ps.setString(index, claim.eventId());
        ps.setString(index + 1, claim.owner());
        ps.setInt(index + 2, claim.attempt());
        return index + 3;
    }

    @FunctionalInterface
    private interface Values {
        /** Binds the leading parameters; returns the index of the next one. */
        int bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code UPDATE … SET lease_until = ? WHERE <token> OR <token> …} per
     * {@value #HEARTBEAT_CHUNK} claims, each token answered from the primary key.
     */
    @Override
    public int heartbeat(Collection<ClaimToken> claims, Duration leaseDuration) {
        Objects.requireNonNull(claims, "claims");
        requirePositive(leaseDuration);
        if (claims.isEmpty()) {
            return 0;
        }
        List<ClaimToken> all = List.copyOf(claims);
        Instant leaseUntil = clock.instant().plus(leaseDuration);
        // MySQL/MariaDB at READ COMMITTED, as claims: at REPEATABLE READ InnoDB may read the status
        // index for the ORed tokens and wait on every PROCESSING row another transaction holds, such
        // as the rows a transaction batch has completed and not yet committed; READ COMMITTED checks a
        // locked row against the tokens on its last committed version and passes it by.
        return jdbc.run("renewing " + all.size() + " lease(s)", c -> withIsolation(c, sql.dialect.claimIsolation(), conn -> {
            int extended = 0;
            for (int from = 0; from < all.size(); from += HEARTBEAT_CHUNK) {
                List<ClaimToken> chunk = all.subList(from, Math.min(all.size(), from + HEARTBEAT_CHUNK));
                String statement = sql.heartbeatPrefix
                        + String.join(" OR ", java.util.Collections.nCopies(chunk.size(), EventLogSql.FENCED));
                try (PreparedStatement ps = conn.prepareStatement(statement)) {
                    sql.dialect.setInstant(ps, 1, leaseUntil);
                    int i = 2;
                    for (ClaimToken claim : chunk) {
                        i = bindToken(ps, i, claim);
                    }
                    extended += ps.executeUpdate();
                }
            }
            return extended;
        }));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The heartbeat's {@code UPDATE} per {@value #HEARTBEAT_CHUNK} claims, answering which rows it
     * renewed: on PostgreSQL by {@code RETURNING} (one statement); on MySQL/MariaDB and H2 by reading
     * the renewed rows' tokens back in the same transaction (the update's row locks keep them as they
     * are until the commit).
     */
    @Override
    public Set<ClaimToken> renew(Collection<ClaimToken> claims, Duration leaseDuration) {
        Objects.requireNonNull(claims, "claims");
        requirePositive(leaseDuration);
        List<ClaimToken> all = List.copyOf(new LinkedHashSet<>(claims));
        if (all.isEmpty()) {
            return Set.of();
        }
        Instant leaseUntil = clock.instant().plus(leaseDuration);
        boolean returning = sql.dialect == JdbcDialect.POSTGRESQL;
        // At READ COMMITTED on MySQL/MariaDB, as the heartbeat (see there).
        return jdbc.run("renewing " + all.size() + " lease(s)", c -> withIsolation(c, sql.dialect.claimIsolation(),
                conn -> Jdbc.inTransaction(conn, tx -> {
                    Set<ClaimToken> renewed = new LinkedHashSet<>();
                    for (int from = 0; from < all.size(); from += HEARTBEAT_CHUNK) {
                        List<ClaimToken> chunk = all.subList(from, Math.min(all.size(), from + HEARTBEAT_CHUNK));
                        String statement = sql.heartbeatPrefix
                                + String.join(" OR ", java.util.Collections.nCopies(chunk.size(), EventLogSql.FENCED))
                                + (returning ? " RETURNING id, owner, attempts" : "");
                        try (PreparedStatement ps = tx.prepareStatement(statement)) {
                            sql.dialect.setInstant(ps, 1, leaseUntil);
                            int i = 2;
                            for (ClaimToken claim : chunk) {
                                i = bindToken(ps, i, claim);
                            }
                            if (returning) {
                                try (ResultSet rs = ps.executeQuery()) {
                                    readTokens(rs, renewed);
                                }
                                continue;
                            }
                            if (ps.executeUpdate() == 0) {
                                continue;
                            }
                        }
                        String read = sql.heldTokensPrefix + EventLogSql.markers(chunk.size()) + ")";
                        try (PreparedStatement ps = tx.prepareStatement(read)) {
                            for (int i = 0; i < chunk.size(); i++) {
                                ps.setString(i + 1, chunk.get(i).eventId());
                            }
                            Set<ClaimToken> current = new HashSet<>();
                            try (ResultSet rs = ps.executeQuery()) {
                                readTokens(rs, current);
                            }
                            for (ClaimToken claim : chunk) {
                                if (current.contains(claim)) {
                                    renewed.add(claim);
                                }
                            }
                        }
                    }
                    return renewed;
                })));
    }

    private static void readTokens(ResultSet rs, Set<ClaimToken> into) throws SQLException {
        while (rs.next()) {
            String owner = rs.getString(2);
            if (owner != null) {
                into.add(new ClaimToken(rs.getString(1), owner, rs.getInt(3)));
            }
        }
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
        Objects.requireNonNull(eventId, "eventId");
        checkOwner(owner);
        Objects.requireNonNull(source, "source");
        requirePositive(leaseDuration);
        Instant now = clock.instant();
        return jdbc.run("claiming " + eventId + " for a replay", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.claimForReplay)) {
                ps.setString(1, owner);
                sql.dialect.setInstant(ps, 2, now.plus(leaseDuration));
                sql.dialect.setInstant(ps, 3, now);
                ps.setString(4, source.name());
                ps.setString(5, eventId);
                sql.dialect.setInstant(ps, 6, now);
                if (ps.executeUpdate() != 1) {
                    return Optional.<EventRecord>empty();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql.find)) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rows.read(rs)) : Optional.<EventRecord>empty();
                }
            }
        });
    }

    @Override
    public boolean recordFinal(NewEvent event, EventStatus status, String reason) {
        Objects.requireNonNull(event, "event");
        if (status != EventStatus.IGNORED && status != EventStatus.SKIPPED_STALE) {
            throw new IllegalArgumentException("recordFinal takes IGNORED or SKIPPED_STALE, not " + status);
        }
        checkEvent(event);
        NewEvent stored = keepPayloads ? event : event.withoutPayload();
        String note = reason == null ? null : truncate(reason);
        Instant now = clock.instant();
        return jdbc.run("recording " + event.id() + " as " + status, c -> {
            String statement = sql.finalInsertIfAbsent != null ? sql.finalInsertIfAbsent : sql.finalInsert;
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                int i = bindEventColumns(ps, 1, stored);
                ps.setString(i++, status.name());
                sql.dialect.setInstant(ps, i++, now);
                sql.dialect.setInstant(ps, i++, now);
                ps.setString(i++, note);
                ps.setString(i++, stored.source().name());
                ps.setBytes(i, stored.payload());
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (sql.finalInsertIfAbsent == null && sql.dialect.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public boolean resetForReplay(String eventId, EventSource source) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(source, "source");
        Instant now = clock.instant();
        return jdbc.run("resetting " + eventId + " for replay", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.resetForReplay)) {
                sql.dialect.setInstant(ps, 1, now);
                ps.setString(2, source.name());
                ps.setString(3, eventId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    // ---------------------------------------------------------------- transactional handlers

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
        Objects.requireNonNull(work, "work");
        List<ClaimToken> all = List.copyOf(Objects.requireNonNull(claims, "claims"));
        if (all.isEmpty()) {
            throw new IllegalArgumentException("runInTransaction needs at least one claim");
        }
        Set<String> ids = all.stream().map(ClaimToken::eventId).collect(Collectors.toSet());
        if (ids.size() != all.size()) {
            throw new IllegalArgumentException("runInTransaction takes each event once, but was given " + all);
        }
        if (all.size() == 1) {
            return List.of(runOne(all.get(0), work));
        }
        try {
            return transactions.inTransaction(dataSource, c -> runTogether(c, all, work));
        } catch (SQLException e) {
            throw SqlFailures.translate(SqlFailures.EVENT_STORE, "running " + all.size() + " events from "
                    + all.get(0).eventId() + " in one transaction (rolled back)", e);
        }
    }

    private UpdateResult runOne(ClaimToken claim, Work work) {
        try {
            return transactions.inTransaction(dataSource, c -> {
                // Where a deadlock ends the whole transaction, a savepoint released before the verdict
                // proves the handlers' writes are still in it (see JdbcDialect.deadlockEndsTransaction).
                Savepoint sentinel = sql.dialect.deadlockEndsTransaction() && sql.dialect.releaseProvesTransaction()
                        ? c.setSavepoint() : null;
                Verdict verdict = work.run(claim, new Transaction(c));
                if (verdict.kind() != Verdict.Kind.COMPLETE) {
                    throw new Undo(verdict, null);
                }
                int rows;
                try {
                    if (sentinel != null) {
                        c.releaseSavepoint(sentinel);
                    }
                    rows = writeVerdict(c, claim, verdict);
                } catch (SQLException refused) {
                    throw new Undo(null, refused);
                }
                if (rows != 1) {
                    throw new Undo(null, null);
                }
                return UpdateResult.APPLIED;
            });
        } catch (Undo undo) {
            // Rolled back: the handlers' writes are gone. Record a failure in a fresh transaction.
            if (undo.failure != null) {
                return recordFailure(claim, undo.failure);
            }
            if (undo.refusal != null) {
                return recordFailure(claim, work.completionFailed(claim, undo.refusal));
            }
            return UpdateResult.LEASE_LOST;
        } catch (SQLException e) {
            throw SqlFailures.translate(SqlFailures.EVENT_STORE, "running " + claim.eventId()
                    + " in a transaction (rolled back)", e);
        }
    }

    private List<UpdateResult> runTogether(Connection c, List<ClaimToken> claims, Work work) throws SQLException {
        Transaction transaction = new Transaction(c);
        List<UpdateResult> results = new ArrayList<>(claims.size());
        Savepoint first = null;
        for (ClaimToken claim : claims) {
            Savepoint event = c.setSavepoint();
            if (first == null) {
                first = event;
            }
            Verdict verdict = work.run(claim, transaction);
            if (verdict.kind() == Verdict.Kind.COMPLETE) {
                int rows;
                try {
                    rows = writeVerdict(c, claim, verdict);
                } catch (SQLException refused) {
                    c.rollback(event);
                    results.add(writeFailure(c, claim, work.completionFailed(claim, refused)));
                    continue;
                }
                if (rows == 1) {
                    results.add(UpdateResult.APPLIED);
                } else {
                    c.rollback(event); // taken over: this run's writes must not commit
                    results.add(UpdateResult.LEASE_LOST);
                }
            } else {
                c.rollback(event);
                results.add(writeFailure(c, claim, verdict));
            }
        }
        if (first != null && sql.dialect.releaseProvesTransaction()) {
            // Fails if the transaction was rolled back or ended underneath (a deadlock on MySQL/MariaDB,
            // a ROLLBACK sent by a handler): then nothing commits, and the caller runs the events again.
            c.releaseSavepoint(first);
        }
        return results;
    }

    private UpdateResult writeFailure(Connection c, ClaimToken claim, Verdict verdict) throws SQLException {
        requireFailure(verdict);
        return writeVerdict(c, claim, verdict) == 1 ? UpdateResult.APPLIED : UpdateResult.LEASE_LOST;
    }

    /** A failure verdict recorded on its own, after its transaction was rolled back. */
    private UpdateResult recordFailure(ClaimToken claim, Verdict verdict) {
        requireFailure(verdict);
        return verdict.kind() == Verdict.Kind.DEAD
                ? markDead(claim, String.valueOf(verdict.error()))
                : retryAt(claim, String.valueOf(verdict.error()), Objects.requireNonNull(verdict.nextAttemptAt()));
    }

    private static void requireFailure(Verdict verdict) {
        if (verdict.kind() == Verdict.Kind.COMPLETE) {
            throw new IllegalStateException("a failed event's writes were rolled back: it cannot be completed");
        }
    }

    /** The fenced verdict statement inside a transaction; returns its row count (0: the token no longer holds the event). */
    private int writeVerdict(Connection c, ClaimToken claim, Verdict verdict) throws SQLException {
        Instant now = clock.instant();
        String statement = switch (verdict.kind()) {
            case COMPLETE -> sql.complete;
            case RETRY_AT -> sql.failRetryable;
            case DEAD -> sql.failDead;
        };
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setQueryTimeout((int) jdbc.statementTimeout().toSeconds());
            switch (verdict.kind()) {
                case COMPLETE -> {
                    sql.dialect.setInstant(ps, 1, now);
                    ps.setLong(2, micros(verdict.processingTime()));
                }
                case RETRY_AT -> {
                    ps.setString(1, truncate(String.valueOf(verdict.error())));
                    sql.dialect.setInstant(ps, 2, verdict.nextAttemptAt());
                }
                case DEAD -> {
                    sql.dialect.setInstant(ps, 1, now);
                    ps.setString(2, truncate(String.valueOf(verdict.error())));
                }
            }
            bindToken(ps, 3, claim);
            return ps.executeUpdate();
        }
    }

    /** Rolls a transactional run back on purpose: a failure verdict, a refused completion, or (neither) a lost claim. */
    private static final class Undo extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient @Nullable Verdict failure;
        final transient @Nullable SQLException refusal;

        Undo(@Nullable Verdict failure, @Nullable SQLException refusal) {
            super("rolled back by the event store", null, false, false);
            this.failure = failure;
            this.refusal = refusal;
        }
    }

    /** The transaction as handlers see it: its connection, which they cannot end. */
    private static final class Transaction implements StoreTransaction {
        private final Connection connection;

        Transaction(Connection connection) {
            this.connection = HandlerConnection.wrap(connection);
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            Objects.requireNonNull(type, "type");
            if (type.isInstance(connection)) {
                return type.cast(connection);
            }
            throw new IllegalArgumentException("the JDBC event log's transaction offers a java.sql.Connection, not "
                    + type.getName());
        }

        @Override
        public String toString() {
            return "JdbcIdempotencyStore transaction";
        }
    }

    // ---------------------------------------------------------------- inbox (asynchronous mode)

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
        Objects.requireNonNull(event, "event");
        checkEvent(event);
        if (!keepPayloads) {
            throw new IllegalStateException("this JdbcIdempotencyStore was built with keepPayloads(false), but an"
                    + " inbox worker processes an event from its stored body: use keepPayloads(true) with"
                    + " ProcessingMode.ASYNC; " + event.id() + " was not recorded");
        }
        Instant now = clock.instant();
        return jdbc.run("queueing " + event.id(), c -> {
            boolean ifAbsent = sql.enqueueInsertIfAbsent != null;
            try (PreparedStatement ps = c.prepareStatement(ifAbsent ? sql.enqueueInsertIfAbsent : sql.enqueueInsert)) {
                int i = bindEventColumns(ps, 1, event);
                sql.dialect.setInstant(ps, i++, now);
                sql.dialect.setInstant(ps, i++, now);
                ps.setString(i++, event.source().name());
                ps.setBytes(i++, event.payload());
                ps.setString(i, event.traceContext());
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (!ifAbsent && sql.dialect.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
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
        checkOwner(owner);
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        if (leaseDuration.isZero() || leaseDuration.isNegative()) {
            throw new IllegalArgumentException("leaseDuration must be positive, but was " + leaseDuration);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, but was " + limit);
        }
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(leaseDuration);
        return jdbc.run("claiming due events for " + owner, c -> switch (sql.dialect.inboxClaim()) {
            case SINGLE_STATEMENT -> claimDueInOneStatement(c, owner, now, leaseUntil, limit);
            case SKIP_LOCKED_SELECTS -> withIsolation(c, sql.dialect.claimIsolation(), conn ->
                    Jdbc.inTransaction(conn, tx -> claimDueBySkipLockedSelects(tx, owner, now, leaseUntil, limit)));
            case GUARDED_UPDATES -> claimDueByGuardedUpdates(c, owner, now, leaseUntil, limit);
        });
    }

    private List<EventRecord> claimDueInOneStatement(Connection c, String owner, Instant now, Instant leaseUntil,
            int limit) throws SQLException {
        List<Due<EventRecord>> claimed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.claimDue)) {
            int i = 1;
            for (JdbcDialect.DueSelect select : sql.dueSelects) {
                if (select.takesNow()) {
                    sql.dialect.setInstant(ps, i++, now);
                }
                ps.setInt(i++, limit);
            }
            ps.setInt(i++, limit);
            ps.setString(i++, owner);
            sql.dialect.setInstant(ps, i++, leaseUntil);
            sql.dialect.setInstant(ps, i, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EventRecord row = rows.read(rs);
                    claimed.add(new Due<>(row.id(), sql.dialect.getInstant(rs, "due_at"), row));
                }
            }
        }
        claimed.sort(Due.ORDER);
        return claimed.stream().map(Due::value).toList();
    }

    private List<EventRecord> claimDueBySkipLockedSelects(Connection tx, String owner, Instant now, Instant leaseUntil,
            int limit) throws SQLException {
        // Every row read here stays locked until commit; the others' SKIP LOCKED passes them by.
        List<Due<String>> due = new ArrayList<>();
        for (JdbcDialect.DueSelect select : sql.dueSelects) {
            try (PreparedStatement ps = tx.prepareStatement(select.sql())) {
                int i = 1;
                if (select.takesNow()) {
                    sql.dialect.setInstant(ps, i++, now);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString("id");
                        due.add(new Due<>(id, sql.dialect.getInstant(rs, "due_at"), id));
                    }
                }
            }
        }
        due.sort(Due.ORDER);
        List<String> chosen = new ArrayList<>();
        for (Due<String> d : due.subList(0, Math.min(limit, due.size()))) {
            // Locked by this transaction, so the guard holds; the row count is checked all the same.
            if (takeOver(tx, d.id(), owner, now, leaseUntil)) {
                chosen.add(d.id());
            }
        }
        return readClaimed(tx, owner, chosen);
    }

    private List<EventRecord> claimDueByGuardedUpdates(Connection c, String owner, Instant now, Instant leaseUntil,
            int limit) throws SQLException {
        // Candidates are read without locks, so workers racing for the same oldest rows each try a
        // few more than they need; a round that wins nothing while rows were due tries again.
        List<String> won = new ArrayList<>();
        for (int round = 0; round < CLAIM_ROUNDS && won.size() < limit; round++) {
            List<String> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.dueCandidates)) {
                sql.dialect.setInstant(ps, 1, now);
                sql.dialect.setInstant(ps, 2, now);
                ps.setInt(3, Math.min(limit - won.size() + H2_EXTRA_CANDIDATES, MAX_CANDIDATES));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(rs.getString(1));
                    }
                }
            }
            if (candidates.isEmpty()) {
                break;
            }
            int before = won.size();
            for (String id : candidates) {
                if (won.size() == limit) {
                    break;
                }
                if (!won.contains(id) && takeOverUnlessLocked(c, id, owner, now, leaseUntil)) {
                    won.add(id);
                }
            }
            if (won.size() > before) {
                break;
            }
        }
        return readClaimed(c, owner, won);
    }

    /** The guarded takeover of one due event; true if this owner now holds it. */
    private boolean takeOver(Connection c, String id, String owner, Instant now, Instant leaseUntil)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.takeOver)) {
            ps.setString(1, owner);
            sql.dialect.setInstant(ps, 2, leaseUntil);
            sql.dialect.setInstant(ps, 3, now);
            ps.setString(4, id);
            sql.dialect.setInstant(ps, 5, now);
            sql.dialect.setInstant(ps, 6, now);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * {@link #takeOver}, where a lock timeout means another worker holds the row: it is passed by,
     * not retried, because the whole claim must not run again once some of its updates committed.
     */
    private boolean takeOverUnlessLocked(Connection c, String id, String owner, Instant now, Instant leaseUntil)
            throws SQLException {
        try {
            return takeOver(c, id, owner, now, leaseUntil);
        } catch (SQLException e) {
            if (SqlFailures.retryable(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The rows {@code owner} holds among {@code ids}, in the order of {@code ids}. */
    private List<EventRecord> readClaimed(Connection c, String owner, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, EventRecord> byId = new HashMap<>();
        // In chunks: drivers bound the parameters of one statement (PostgreSQL: 32,767).
        for (int from = 0; from < ids.size(); from += IN_LIST_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST_CHUNK));
            String read = sql.claimedRowsPrefix + EventLogSql.markers(chunk.size()) + ")";
            try (PreparedStatement ps = c.prepareStatement(read)) {
                ps.setString(1, owner);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        EventRecord row = rows.read(rs);
                        byId.put(row.id(), row);
                    }
                }
            }
        }
        return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
    }

    /** Runs {@code work} with the connection at {@code isolation} (-1: as it is), restoring it after. */
    private static <T> T withIsolation(Connection c, int isolation, Jdbc.Work<T> work) throws SQLException {
        int previous = isolation < 0 ? isolation : c.getTransactionIsolation();
        if (isolation >= 0 && previous != isolation) {
            c.setTransactionIsolation(isolation);
        }
        try {
            return work.run(c);
        } finally {
            if (isolation >= 0 && previous != isolation) {
                c.setTransactionIsolation(previous);
            }
        }
    }

    /** A due row and when its turn came; sorted oldest first, then by id, as the reference store does. */
    private record Due<T>(String id, @Nullable Instant dueAt, T value) {
        static final Comparator<Due<?>> ORDER = Comparator
                .comparing((Due<?> d) -> d.dueAt(), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Due::id);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Back to {@code QUEUED}, due at once, attempts − 1; only while the token still holds the
     * event ({@code PROCESSING}, same owner and attempt), else {@link UpdateResult#LEASE_LOST} and
     * nothing changes.
     */
    @Override
    public UpdateResult release(ClaimToken claim) {
        Objects.requireNonNull(claim, "claim");
        Instant now = clock.instant();
        return verdict("releasing", claim, sql.release, ps -> {
            sql.dialect.setInstant(ps, 1, now);
            return 2;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code DELETE} of at most {@code limit} rows ({@code DELETE … LIMIT} on MySQL/MariaDB,
     * a locked sub-select on PostgreSQL; on H2 the ids are read first, see {@link JdbcDialect}).
     * Call it again until it returns less than {@code limit}, as {@code EventRetention} does, so
     * that no transaction grows large. {@code completed_at} (set when an event completes or is
     * recorded as ignored) decides the age.
     */
    @Override
    public int purge(Instant finishedBefore, int limit) {
        Objects.requireNonNull(finishedBefore, "finishedBefore");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, but was " + limit);
        }
        if (limit == 0) {
            return 0;
        }
        return jdbc.run("purging events finished before " + finishedBefore, c -> {
            if (sql.purge != null) {
                try (PreparedStatement ps = c.prepareStatement(sql.purge)) {
                    sql.dialect.setInstant(ps, 1, finishedBefore);
                    ps.setInt(2, limit);
                    return ps.executeUpdate();
                }
            }
            return purgeBySelectedIds(c, finishedBefore, limit);
        });
    }

    private int purgeBySelectedIds(Connection c, Instant finishedBefore, int limit) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.purgeCandidates)) {
            sql.dialect.setInstant(ps, 1, finishedBefore);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        int deleted = 0;
        for (int from = 0; from < ids.size(); from += IN_LIST_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST_CHUNK));
            String delete = sql.purgeIdsPrefix + EventLogSql.markers(chunk.size()) + ") AND " + EventLogSql.PURGEABLE;
            try (PreparedStatement ps = c.prepareStatement(delete)) {
                int i = 1;
                for (String id : chunk) {
                    ps.setString(i++, id);
                }
                sql.dialect.setInstant(ps, i, finishedBefore);
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One grouped count over the status index.
     */
    @Override
    public Backlog backlog() {
        return jdbc.run("reading the inbox backlog", c -> {
            long pending = 0;
            long processing = 0;
            Instant oldest = null;
            try (PreparedStatement ps = c.prepareStatement(sql.backlog); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String status = rs.getString("status");
                    long n = rs.getLong("n");
                    if ("PROCESSING".equals(status)) {
                        processing += n;
                    } else {
                        pending += n;
                        Instant received = sql.dialect.getInstant(rs, "oldest");
                        if (received != null && (oldest == null || received.isBefore(oldest))) {
                            oldest = received;
                        }
                    }
                }
            }
            return new Backlog(pending, processing, oldest);
        });
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<EventRecord> find(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return jdbc.run("reading " + eventId, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.find)) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rows.read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<EventRecord> search(EventQuery query) {
        Objects.requireNonNull(query, "query");
        List<String> conditions = new ArrayList<>();
        List<Binder> params = new ArrayList<>();
        if (!query.statuses().isEmpty()) {
            conditions.add("status IN (" + String.join(", ", query.statuses().stream().map(s -> "?").toList()) + ")");
            query.statuses().stream().sorted().forEach(s -> params.add((ps, i) -> ps.setString(i, s.name())));
        }
        if (query.type() != null) {
            conditions.add("type = ?");
            params.add((ps, i) -> ps.setString(i, query.type()));
        }
        String typePrefix = query.typePrefix();
        if (typePrefix != null) {
            conditions.add("type LIKE ? ESCAPE '!'");
            params.add((ps, i) -> ps.setString(i, escapeLike(typePrefix) + "%"));
        }
        if (query.createdFrom() != null) {
            conditions.add("created >= ?");
            params.add((ps, i) -> sql.dialect.setInstant(ps, i, query.createdFrom()));
        }
        if (query.createdTo() != null) {
            conditions.add("created < ?");
            params.add((ps, i) -> sql.dialect.setInstant(ps, i, query.createdTo()));
        }
        String errorContains = query.errorContains();
        if (errorContains != null) {
            conditions.add("last_error LIKE ? ESCAPE '!'");
            params.add((ps, i) -> ps.setString(i, "%" + escapeLike(errorContains) + "%"));
        }
        params.add((ps, i) -> ps.setInt(i, query.limit()));
        params.add((ps, i) -> ps.setInt(i, query.offset()));
        String statement = sql.searchPrefix + EventLogSql.searchSuffix(String.join(" AND ", conditions));
        return jdbc.run("searching the event log", c -> {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).bind(ps, i + 1);
                }
                List<EventRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rows.read(rs));
                    }
                }
                return out;
            }
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    @Override
    public String toString() {
        // Never the DataSource: its toString may show a URL with credentials.
        return "JdbcIdempotencyStore[" + sql.dialect.displayName() + ", table=" + sql.table + "]";
    }

    // ---------------------------------------------------------------- checks

    private static void checkEvent(NewEvent e) {
        if (e.created().isBefore(EARLIEST_CREATED) || !e.created().isBefore(LATEST_CREATED)) {
            throw new IllegalArgumentException("event created time " + e.created() + " is outside the years 1000 to"
                    + " 9999 that every supported database holds; nothing was recorded");
        }
        checkValue("event id", e.id(), true);
        checkValue("event type", e.type(), true);
        checkValue("api_version", e.apiVersion(), false);
        checkValue("account", e.account(), false);
    }

    private static void requirePositive(Duration leaseDuration) {
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        if (leaseDuration.isZero() || leaseDuration.isNegative()) {
            throw new IllegalArgumentException("leaseDuration must be positive, but was " + leaseDuration);
        }
    }

    private static void checkOwner(String owner) {
        Objects.requireNonNull(owner, "owner");
        checkValue("owner", owner, true);
    }

    private static void checkValue(String what, @Nullable String value, boolean required) {
        if (value == null) {
            return;
        }
        if (required && value.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (value.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters, more than the "
                    + MAX_KEY_LENGTH + " the event log holds; nothing was recorded");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character, which the event log cannot hold;"
                    + " nothing was recorded");
        }
    }

    private static long micros(Duration d) {
        Objects.requireNonNull(d, "processingTime");
        if (d.isNegative()) {
            throw new IllegalArgumentException("processingTime must not be negative, but was " + d);
        }
        try {
            return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000L);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Fits an error into the column: NUL (which PostgreSQL text cannot hold) becomes U+FFFD, and a
     * long text is cut at {@code maxErrorLength} with a trailing ellipsis, never inside a surrogate pair.
     */
    String truncate(String text) {
        String clean = text.indexOf('\0') >= 0 ? text.replace('\0', '\uFFFD') : text;
        if (clean.length() <= maxErrorLength) {
            return clean;
        }
        int cut = maxErrorLength - 1;
        if (Character.isHighSurrogate(clean.charAt(cut - 1))) {
            cut--;
        }
        return clean.substring(0, cut) + "…";
    }

    private static String escapeLike(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    static String validatePrefix(String prefix) {
        return TablePrefix.validate(prefix);
    }

    /**
     * Builder for {@link JdbcIdempotencyStore}; each setter validates its value, {@link #build()}
     * freezes the configuration. {@code build()} connects once to detect the dialect (unless set)
     * and to create or check the table; it throws {@link StoreUnavailableException} if the database
     * cannot be reached then. With the dialect set and {@code createSchema(false)} it does not
     * connect, so an application can start while its database is briefly down.
     */
    public static final class Builder {
        /** The statement timeout unless {@link #statementTimeout(Duration)} sets one: 10 seconds. */
        public static final Duration DEFAULT_STATEMENT_TIMEOUT = Jdbc.DEFAULT_STATEMENT_TIMEOUT;

        private final DataSource dataSource;
        private @Nullable JdbcDialect dialect;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean createSchema;
        private boolean keepPayloads = true;
        private Clock clock = Clock.systemUTC();
        private boolean clockSet;
        private @Nullable Boolean databaseTime;
        private int maxErrorLength = MAX_ERROR_COLUMN_LENGTH;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private JdbcTransactionRunner transactionRunner = JdbcTransactionRunner.plain();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The database's dialect; detected from the connection's metadata when not set. */
        public Builder dialect(JdbcDialect value) {
            this.dialect = Objects.requireNonNull(value, "dialect");
            return this;
        }

        /**
         * The table prefix (default {@value #DEFAULT_TABLE_PREFIX}); the event log is
         * {@code <prefix>event_log}. Must match {@value #TABLE_PREFIX_PATTERN}, so it can never
         * carry SQL. To use a schema other than the connection's default, set it on the connection
         * (e.g. PostgreSQL's {@code currentSchema} URL parameter).
         */
        public Builder tablePrefix(String value) {
            this.tablePrefix = validatePrefix(value);
            return this;
        }

        /**
         * Whether {@link #build()} creates the table and its indexes if they are missing (default
         * false: production schemas usually belong to a migration tool). Idempotent.
         */
        public Builder createSchema(boolean value) {
            this.createSchema = value;
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
         * The time source for leases and timestamps, used as it is (tests advance a mutable clock
         * this way). Without it the store uses the database server's time, see {@link #databaseTime}.
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            this.clockSet = true;
            return this;
        }

        /**
         * Whether leases and timestamps follow the database server's time (default: yes, unless a
         * {@link #clock} is given). Instances compare each other's leases, so they must agree on the
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
         * How long one call (a claim, a verdict, an inbox claim…) may wait in the database, above
         * all for an event row another transaction holds (default {@link #DEFAULT_STATEMENT_TIMEOUT},
         * 10 s). Every statement of a call gets the time the call has left as its JDBC query timeout
         * (on H2 also as the session's lock timeout); a call that runs out is not retried but fails
         * as a {@link StoreUnavailableException} saying a lock or statement timeout passed, so the
         * processor answers 503 {@code store_unavailable} and Stripe delivers again, instead of the
         * request hanging. Whole seconds, at least 1 s.
         *
         * @throws HookwiseConfigurationException for fractions of a second or less than 1 s
         */
        public Builder statementTimeout(Duration value) {
            this.statementTimeout = Jdbc.checkStatementTimeout(value);
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
            JdbcDialect given = dialect;
            String table = tablePrefix + "event_log";
            boolean reached = given == null || createSchema;
            JdbcDialect chosen;
            if (given != null && !reached) {
                chosen = given;
            } else {
                Jdbc jdbc = new Jdbc(dataSource, SqlFailures.EVENT_STORE, statementTimeout);
                chosen = jdbc.run("preparing the event log " + table, c -> {
                    JdbcDialect d = dialect != null ? dialect : JdbcDialect.detect(c);
                    if (createSchema) {
                        SchemaInstaller.create(c, d, tablePrefix, table);
                    }
                    SchemaInstaller.requireTable(c, d, table);
                    return d;
                });
            }
            return new JdbcIdempotencyStore(this, chosen, reached);
        }
    }
}
