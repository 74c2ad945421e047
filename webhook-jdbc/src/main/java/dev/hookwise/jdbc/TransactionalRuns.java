package dev.hookwise.jdbc;

import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.TransactionalStore.Verdict;
import dev.hookwise.core.spi.TransactionalStore.Work;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.jdbc.internal.HandlerConnection;
import dev.hookwise.jdbc.internal.Jdbc;
import dev.hookwise.jdbc.internal.SqlFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Transactional handlers: their writes and the events' verdicts in one transaction of the {@link
 * JdbcTransactionRunner} (see {@link JdbcIdempotencyStore#runInTransaction}).
 */
final class TransactionalRuns {
    private final EventLog events;
    private final EventVerdicts verdicts;

    TransactionalRuns(EventLog events, EventVerdicts verdicts) {
        this.events = events;
        this.verdicts = verdicts;
    }

    List<UpdateResult> runInTransaction(List<ClaimToken> claims, Work work) {
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
            return events.transactions().inTransaction(events.dataSource(), c -> runTogether(c, all, work));
        } catch (SQLException e) {
            throw SqlFailures.translate(SqlFailures.EVENT_STORE, "running " + all.size() + " events from "
                    + all.get(0).eventId() + " in one transaction (rolled back)", e);
        }
    }

    private UpdateResult runOne(ClaimToken claim, Work work) {
        try {
            return events.transactions().inTransaction(events.dataSource(), c -> {
                // Where a deadlock ends the whole transaction, a savepoint released before the verdict
                // proves the handlers' writes are still in it (see JdbcDialect.deadlockEndsTransaction).
                Savepoint sentinel = events.sql().dialect.deadlockEndsTransaction() && events.sql().dialect.releaseProvesTransaction()
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
        if (first != null && events.sql().dialect.releaseProvesTransaction()) {
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
                ? verdicts.markDead(claim, String.valueOf(verdict.error()))
                : verdicts.retryAt(claim, String.valueOf(verdict.error()), Objects.requireNonNull(verdict.nextAttemptAt()));
    }

    private static void requireFailure(Verdict verdict) {
        if (verdict.kind() == Verdict.Kind.COMPLETE) {
            throw new IllegalStateException("a failed event's writes were rolled back: it cannot be completed");
        }
    }

    /** The fenced verdict statement inside a transaction; returns its row count (0: the token no longer holds the event). */
    private int writeVerdict(Connection c, ClaimToken claim, Verdict verdict) throws SQLException {
        Instant now = events.clock().instant();
        String statement = switch (verdict.kind()) {
            case COMPLETE -> events.sql().complete;
            case RETRY_AT -> events.sql().failRetryable;
            case DEAD -> events.sql().failDead;
        };
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setQueryTimeout((int) events.jdbc().statementTimeout().toSeconds());
            switch (verdict.kind()) {
                case COMPLETE -> {
                    events.sql().dialect.setInstant(ps, 1, now);
                    ps.setLong(2, EventLog.micros(verdict.processingTime()));
                }
                case RETRY_AT -> {
                    ps.setString(1, events.truncate(String.valueOf(verdict.error())));
                    events.sql().dialect.setInstant(ps, 2, verdict.nextAttemptAt());
                }
                case DEAD -> {
                    events.sql().dialect.setInstant(ps, 1, now);
                    ps.setString(2, events.truncate(String.valueOf(verdict.error())));
                }
            }
            EventLog.bindToken(ps, 3, claim);
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
}
