package dev.hookwise.jdbc;

import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventArguments;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.TransactionalStore;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.jdbc.internal.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The event log's fenced layer, which {@link JdbcIdempotencyStore} is built on: verdicts,
 * heartbeats and releases. Each changes the row only while the claim's token (owner and attempt)
 * still holds it; 0 rows is {@code LEASE_LOST}.
 *
 * <p>A superclass rather than a part the store forwards to (as it does to its claims, due claims,
 * search and purge): these are eight of the store's public methods, each one statement, and a
 * forwarding method per verdict was all the store would add. Package-private, so its public
 * methods are documented and used as the store's own.
 */
abstract class EventVerdicts implements InboxStore, TransactionalStore {
    /** The table, its SQL, the clock and the connections, shared with the store's parts. */
    final EventLog events;

    EventVerdicts(EventLog events) {
        this.events = events;
    }

    /** Most claims renewed by one heartbeat statement (three parameters each). */
    private static final int HEARTBEAT_CHUNK = 200;

    @Override
    public final UpdateResult complete(ClaimToken claim, Duration processingTime) {
        Objects.requireNonNull(claim, "claim");
        long micros = EventLog.micros(processingTime);
        Instant now = events.clock().instant();
        return events.verdict("completing", claim, events.sql().complete, ps -> {
            events.sql().dialect.setInstant(ps, 1, now);
            ps.setLong(2, micros);
            return 3;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction: a JDBC batch of {@link #complete}'s fenced {@code UPDATE}, one commit.
     * Where the driver does not say each statement's row count (a MariaDB bulk batch answers
     * {@link java.sql.Statement#SUCCESS_NO_INFO}), the rows are read back in the transaction:
     * completed under the claim's own token.
     */
    @Override
    public final Set<ClaimToken> completeAll(List<IdempotencyStore.Completion> completions) {
        Objects.requireNonNull(completions, "completions");
        if (completions.isEmpty()) {
            return Set.of();
        }
        long[] micros = completions.stream().mapToLong(c -> EventLog.micros(c.processingTime())).toArray();
        Instant now = events.clock().instant();
        EventLogSql sql = events.sql();
        return events.jdbc().run("completing " + completions.size() + " event(s)", c -> Jdbc.inTransaction(c, tx -> {
            int[] counts;
            try (PreparedStatement ps = tx.prepareStatement(sql.complete)) {
                for (int i = 0; i < completions.size(); i++) {
                    sql.dialect.setInstant(ps, 1, now);
                    ps.setLong(2, micros[i]);
                    EventLog.bindToken(ps, 3, completions.get(i).claim());
                    ps.addBatch();
                }
                counts = ps.executeBatch();
            }
            Set<ClaimToken> completed = new LinkedHashSet<>();
            if (counts.length == completions.size() && java.util.Arrays.stream(counts).allMatch(n -> n >= 0)) {
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        completed.add(completions.get(i).claim());
                    }
                }
                return completed;
            }
            return completedTokens(tx, completions);
        }));
    }

    /** The claims of {@code completions} whose rows are now {@code COMPLETED} under their own token. */
    private Set<ClaimToken> completedTokens(java.sql.Connection tx, List<IdempotencyStore.Completion> completions)
            throws SQLException {
        List<String> ids = completions.stream().map(c -> c.claim().eventId()).distinct().toList();
        Set<ClaimToken> current = new HashSet<>();
        for (int from = 0; from < ids.size(); from += EventLog.IN_LIST_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + EventLog.IN_LIST_CHUNK));
            String read = events.sql().completedTokensPrefix + EventLogSql.markers(chunk.size()) + ")";
            try (PreparedStatement ps = tx.prepareStatement(read)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    readTokens(rs, current);
                }
            }
        }
        Set<ClaimToken> completed = new LinkedHashSet<>();
        for (IdempotencyStore.Completion completion : completions) {
            if (current.contains(completion.claim())) {
                completed.add(completion.claim());
            }
        }
        return completed;
    }

    @Override
    public final UpdateResult retryAt(ClaimToken claim, String error, Instant nextAttemptAt) {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        String text = events.truncate(error == null ? "(no description)" : error);
        return events.verdict("recording the failure of", claim, events.sql().failRetryable, ps -> {
            ps.setString(1, text);
            events.sql().dialect.setInstant(ps, 2, nextAttemptAt);
            return 3;
        });
    }

    @Override
    public final UpdateResult markDead(ClaimToken claim, String error) {
        Objects.requireNonNull(claim, "claim");
        return finalVerdict("recording as dead", claim, events.sql().failDead, error == null ? "(no description)" : error);
    }

    @Override
    public final UpdateResult markIgnored(ClaimToken claim, String reason) {
        Objects.requireNonNull(claim, "claim");
        return finalVerdict("recording as ignored", claim, events.sql().markIgnored, reason == null ? "(no reason)" : reason);
    }

    private UpdateResult finalVerdict(String what, ClaimToken claim, String statement, String note) {
        String text = events.truncate(note);
        Instant now = events.clock().instant();
        return events.verdict(what, claim, statement, ps -> {
            events.sql().dialect.setInstant(ps, 1, now);
            ps.setString(2, text);
            return 3;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code UPDATE … SET lease_until = ? WHERE <token> OR <token> …} per
     * {@value #HEARTBEAT_CHUNK} claims, each token answered from the primary key.
     */
    @Override
    public final int heartbeat(Collection<ClaimToken> claims, Duration leaseDuration) {
        Objects.requireNonNull(claims, "claims");
        EventArguments.checkLease(leaseDuration);
        if (claims.isEmpty()) {
            return 0;
        }
        List<ClaimToken> all = List.copyOf(claims);
        Instant leaseUntil = events.clock().instant().plus(leaseDuration);
        // MySQL/MariaDB at READ COMMITTED, as claims: at REPEATABLE READ InnoDB may read the status
        // index for the ORed tokens and wait on every PROCESSING row another transaction holds, such
        // as the rows a transaction batch has completed and not yet committed; READ COMMITTED checks a
        // locked row against the tokens on its last committed version and passes it by.
        return events.jdbc().run("renewing " + all.size() + " lease(s)", c -> EventLog.withIsolation(c, events.sql().dialect.claimIsolation(), conn -> {
            int extended = 0;
            for (int from = 0; from < all.size(); from += HEARTBEAT_CHUNK) {
                List<ClaimToken> chunk = all.subList(from, Math.min(all.size(), from + HEARTBEAT_CHUNK));
                String statement = events.sql().heartbeatPrefix
                        + String.join(" OR ", java.util.Collections.nCopies(chunk.size(), EventLogSql.FENCED));
                try (PreparedStatement ps = conn.prepareStatement(statement)) {
                    events.sql().dialect.setInstant(ps, 1, leaseUntil);
                    int i = 2;
                    for (ClaimToken claim : chunk) {
                        i = EventLog.bindToken(ps, i, claim);
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
    public final Set<ClaimToken> renew(Collection<ClaimToken> claims, Duration leaseDuration) {
        Objects.requireNonNull(claims, "claims");
        EventArguments.checkLease(leaseDuration);
        List<ClaimToken> all = List.copyOf(new LinkedHashSet<>(claims));
        if (all.isEmpty()) {
            return Set.of();
        }
        Instant leaseUntil = events.clock().instant().plus(leaseDuration);
        EventLogSql sql = events.sql();
        boolean returning = sql.dialect == JdbcDialect.POSTGRESQL;
        // At READ COMMITTED on MySQL/MariaDB, as the heartbeat (see there).
        return events.jdbc().run("renewing " + all.size() + " lease(s)", c -> EventLog.withIsolation(c,
                sql.dialect.claimIsolation(), conn -> Jdbc.inTransaction(conn, tx -> {
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
                                i = EventLog.bindToken(ps, i, claim);
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
     * <p>Back to {@code QUEUED}, due at once, attempts − 1; only while the token still holds the
     * event ({@code PROCESSING}, same owner and attempt), else {@link UpdateResult#LEASE_LOST} and
     * nothing changes.
     */
    @Override
    public final UpdateResult release(ClaimToken claim) {
        Objects.requireNonNull(claim, "claim");
        Instant now = events.clock().instant();
        return events.verdict("releasing", claim, events.sql().release, ps -> {
            events.sql().dialect.setInstant(ps, 1, now);
            return 2;
        });
    }
}
