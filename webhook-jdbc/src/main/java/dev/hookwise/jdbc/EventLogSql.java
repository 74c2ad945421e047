package dev.hookwise.jdbc;

import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The event log's SQL that is the same on every supported database, with the table name
 * formatted in once. What differs lives in {@link JdbcDialect}.
 *
 * <p>Status and source values are the enum names ({@code PROCESSING}, {@code WEBHOOK}). Every
 * time is bound from the store's {@link java.time.Clock}, never the database's {@code NOW()}, so
 * that a test clock and the database agree.
 */
final class EventLogSql {

    /** Every column, in the order {@code EventRowMapper} reads them. */
    static final String COLUMNS = "id, type, created, livemode, api_version, account, status, attempts, owner,"
            + " lease_until, received_at, started_at, completed_at, processing_micros, last_error, next_attempt_at,"
            + " source, payload, trace_context";

    /** What every insert writes first: the event as Stripe sent it (six values), its status and attempts. */
    private static final String EVENT_COLUMNS = "id, type, created, livemode, api_version, account, status, attempts";

    /** A first claim: PROCESSING, attempt 1. Values: id … started_at, source, payload (12 parameters). */
    static final String CLAIM_INSERT_COLUMNS = EVENT_COLUMNS + ", owner, lease_until, received_at, started_at, source, payload";
    static final String CLAIM_INSERT_VALUES = "?, ?, ?, ?, ?, ?, 'PROCESSING', 1, ?, ?, ?, ?, ?, ?";

    /** A final record (ignored, skipped): values id … account, status, reason, times, source, payload. */
    static final String FINAL_INSERT_COLUMNS = EVENT_COLUMNS + ", received_at, completed_at, last_error, source, payload";
    static final String FINAL_INSERT_VALUES = "?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?";

    /** An inbox event: QUEUED, attempt 0. Values: id … account, received_at, next_attempt_at, source, payload, trace_context. */
    static final String ENQUEUE_COLUMNS = EVENT_COLUMNS + ", received_at, next_attempt_at, source, payload, trace_context";
    static final String ENQUEUE_VALUES = "?, ?, ?, ?, ?, ?, 'QUEUED', 0, ?, ?, ?, ?, ?";

    /**
     * What retention may delete: completed and ignored events finished before the parameter. Never
     * FAILED, DEAD, QUEUED, PROCESSING or SKIPPED_STALE (those wait for a replay or a person). Two
     * parameters, both the cut-off: {@code created < ?} is implied for such events and bounds the scan
     * to a range of the {@code (created, id)} index (see {@link JdbcIdempotencyStore#purge}).
     */
    static final String PURGEABLE = "created < ? AND status IN ('COMPLETED', 'IGNORED') AND completed_at < ?";

    /**
     * A claim's fencing token: the event is still PROCESSING under this owner and attempt. Three
     * parameters: id, owner, attempts. A takeover changes both owner and attempts.
     */
    static final String FENCED = "(id = ? AND status = 'PROCESSING' AND owner = ? AND attempts = ?)";

    /** {@link #COLUMNS}, each qualified with {@code q}, e.g. {@code e.id, e.type, …}. */
    static String qualifiedColumns(String q) {
        return q + COLUMNS.replace(", ", ", " + q);
    }

    /** {@code n} comma-separated parameter markers, for an {@code IN (…)} list. */
    static String markers(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /**
     * When a known event may be claimed again: queued, a lease that has ended, or a retry that is due.
     * Two parameters, both "now". {@code q} qualifies the columns ({@code "e."} or {@code ""}).
     */
    static String takeoverGuard(String q) {
        // QUEUED: accepted by an asynchronous-mode inbox or reset for a replay, not yet claimed.
        return "(" + q + "status = 'QUEUED'"
                + " OR (" + q + "status = 'PROCESSING' AND (" + q + "lease_until IS NULL OR " + q + "lease_until <= ?))"
                + " OR (" + q + "status = 'FAILED' AND (" + q + "next_attempt_at IS NULL OR " + q + "next_attempt_at <= ?)))";
    }

    final String table;
    final JdbcDialect dialect;
    /** PostgreSQL's single-statement claim, or null. */
    final @Nullable String claimUpsert;
    final String claimInsert;
    /** The first claim as an insert that writes 0 rows for a known id, or null (H2: catch the duplicate). */
    final @Nullable String claimInsertIfAbsent;
    /** Guarded takeover: owner, lease_until, started_at, id, now, now. Row count decides. */
    final String takeOver;
    final String attemptsOfOwner;
    final String claimState;
    final @Nullable String finalInsertIfAbsent;
    final String finalInsert;
    final String complete;
    final String failRetryable;
    final String failDead;
    final String markIgnored;
    /** Replay claim: owner, lease_until, started_at, source, id, now. Row count decides. */
    final String claimForReplay;
    final String find;
    final String resetForReplay;
    final String searchPrefix;
    final String enqueueInsert;
    /** The inbox insert that writes 0 rows for a known id, or null (H2: catch the duplicate). */
    final @Nullable String enqueueInsertIfAbsent;
    /** PostgreSQL's single-statement inbox claim, or null. */
    final @Nullable String claimDue;
    /** The locking reads of due ids (PostgreSQL: inside {@link #claimDue}), or empty (H2). */
    final List<JdbcDialect.DueSelect> dueSelects;
    /**
     * Due ids without locks, oldest first (H2): the {@link #dueCandidateReads} (each: now if it takes
     * it, then limit), then the overall limit.
     */
    final String dueCandidates;
    /** The per-status reads inside {@link #dueCandidates}, for binding their parameters. */
    final List<JdbcDialect.DueSelect> dueCandidateReads;
    /** The start of a read of claimed rows: {@code … WHERE owner = ? AND id IN (} + markers + {@code )}. */
    final String claimedRowsPrefix;
    final String release;
    /** {@code UPDATE … SET lease_until = ? WHERE }, then one {@link #FENCED} per claim joined by OR. */
    final String heartbeatPrefix;
    /** The tokens of the {@code PROCESSING} rows among ids: {@code id IN (}, then markers and {@code )}. */
    final String heldTokensPrefix;
    /** The tokens of completed rows among ids, for a batch of completions whose row counts the driver withheld. */
    final String completedTokensPrefix;
    /** The dialect's limited delete, or null (H2): then {@link #purgeCandidates} and {@link #purgeIdsPrefix}. */
    final @Nullable String purge;
    /** Purgeable ids, oldest first along the (created, id) index: cut-off, cut-off, limit. */
    final String purgeCandidates;
    /** {@code DELETE … WHERE id IN (} + markers + {@code ) AND <purgeable>}; the cut-off is the last two parameters. */
    final String purgeIdsPrefix;
    final String backlog;

    EventLogSql(JdbcDialect dialect, String table) {
        this.table = table;
        this.dialect = dialect;
        this.claimUpsert = dialect.claimUpsert(table);
        this.claimInsert = "INSERT INTO %s (%s) VALUES (%s)".formatted(table, CLAIM_INSERT_COLUMNS, CLAIM_INSERT_VALUES);
        this.claimInsertIfAbsent = dialect.insertIfAbsent(table, CLAIM_INSERT_COLUMNS, CLAIM_INSERT_VALUES);
        this.takeOver = """
                UPDATE %s SET status = 'PROCESSING', attempts = attempts + 1, owner = ?, lease_until = ?,
                  started_at = ?, completed_at = NULL, processing_micros = NULL, next_attempt_at = NULL
                WHERE id = ? AND %s""".formatted(table, takeoverGuard(""));
        this.attemptsOfOwner = "SELECT attempts FROM %s WHERE id = ? AND owner = ?".formatted(table);
        this.claimState = "SELECT status, attempts, lease_until, next_attempt_at FROM %s WHERE id = ?".formatted(table);
        this.finalInsertIfAbsent = dialect.insertIfAbsent(table, FINAL_INSERT_COLUMNS, FINAL_INSERT_VALUES);
        this.finalInsert = "INSERT INTO %s (%s) VALUES (%s)".formatted(table, FINAL_INSERT_COLUMNS, FINAL_INSERT_VALUES);
        // Verdicts: only the claim's token (owner and attempt) of a PROCESSING event; 0 rows = LEASE_LOST.
        this.complete = """
                UPDATE %s SET status = 'COMPLETED', lease_until = NULL, completed_at = ?, processing_micros = ?
                WHERE %s""".formatted(table, FENCED);
        this.failRetryable = """
                UPDATE %s SET status = 'FAILED', lease_until = NULL, last_error = ?, next_attempt_at = ?
                WHERE %s""".formatted(table, FENCED);
        this.failDead = """
                UPDATE %s SET status = 'DEAD', lease_until = NULL, completed_at = ?, last_error = ?,
                  next_attempt_at = NULL
                WHERE %s""".formatted(table, FENCED);
        this.markIgnored = """
                UPDATE %s SET status = 'IGNORED', lease_until = NULL, completed_at = ?, last_error = ?,
                  next_attempt_at = NULL
                WHERE %s""".formatted(table, FENCED);
        this.claimForReplay = """
                UPDATE %s SET status = 'PROCESSING', attempts = 1, owner = ?, lease_until = ?, started_at = ?,
                  completed_at = NULL, processing_micros = NULL, next_attempt_at = NULL, source = ?
                WHERE id = ? AND (status IN ('FAILED', 'DEAD', 'SKIPPED_STALE', 'IGNORED')
                  OR (status = 'PROCESSING' AND (lease_until IS NULL OR lease_until <= ?)))""".formatted(table);
        this.find = "SELECT %s FROM %s WHERE id = ?".formatted(COLUMNS, table);
        // A replayed event waits as QUEUED (claimable at once, by a claim or by an inbox worker).
        this.resetForReplay = """
                UPDATE %s SET status = 'QUEUED', attempts = 0, owner = NULL, lease_until = NULL, completed_at = NULL,
                  processing_micros = NULL, next_attempt_at = ?, source = ?
                WHERE id = ? AND status IN ('FAILED', 'DEAD', 'SKIPPED_STALE', 'IGNORED')""".formatted(table);
        this.searchPrefix = "SELECT %s FROM %s".formatted(COLUMNS, table);
        this.enqueueInsert = "INSERT INTO %s (%s) VALUES (%s)".formatted(table, ENQUEUE_COLUMNS, ENQUEUE_VALUES);
        this.enqueueInsertIfAbsent = dialect.insertIfAbsent(table, ENQUEUE_COLUMNS, ENQUEUE_VALUES);
        this.claimDue = dialect.inboxClaim() == JdbcDialect.InboxClaim.SINGLE_STATEMENT
                ? dialect.claimDueStatement(table) : null;
        this.dueSelects = dialect.inboxClaim() == JdbcDialect.InboxClaim.GUARDED_UPDATES
                ? List.of() : dialect.dueSelects(table);
        this.dueCandidateReads = JdbcDialect.dueReads(table, "");
        StringBuilder union = new StringBuilder();
        for (int i = 0; i < dueCandidateReads.size(); i++) {
            union.append(i == 0 ? "" : " UNION ALL ").append("SELECT id, due_at FROM (")
                    .append(dueCandidateReads.get(i).sql()).append(") r").append(i);
        }
        this.dueCandidates = "SELECT id, due_at FROM (%s) d ORDER BY due_at, id LIMIT ?".formatted(union);
        this.claimedRowsPrefix = "SELECT %s FROM %s WHERE owner = ? AND status = 'PROCESSING' AND id IN ("
                .formatted(COLUMNS, table);
        // Only the owner gives an event back; the attempt it did not start is not counted.
        this.release = """
                UPDATE %s SET status = 'QUEUED', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,
                  owner = NULL, lease_until = NULL, completed_at = NULL, processing_micros = NULL, next_attempt_at = ?
                WHERE %s""".formatted(table, FENCED);
        this.heartbeatPrefix = "UPDATE %s SET lease_until = ? WHERE ".formatted(table);
        this.heldTokensPrefix = "SELECT id, owner, attempts FROM %s WHERE status = 'PROCESSING' AND id IN ("
                .formatted(table);
        this.completedTokensPrefix = "SELECT id, owner, attempts FROM %s WHERE status = 'COMPLETED' AND id IN ("
                .formatted(table);
        this.purge = dialect.purgeBatch(table);
        this.purgeCandidates = "SELECT id FROM %s WHERE %s ORDER BY created, id LIMIT ?".formatted(table, PURGEABLE);
        // The condition is checked again as each row is deleted: an event replayed meanwhile stays.
        this.purgeIdsPrefix = "DELETE FROM %s WHERE id IN (".formatted(table);
        this.backlog = """
                SELECT status, COUNT(*) AS n, MIN(received_at) AS oldest FROM %s
                WHERE status IN ('QUEUED', 'FAILED', 'PROCESSING') GROUP BY status""".formatted(table);
    }

    /** The search suffix: conditions joined by AND, then order and page. */
    static String searchSuffix(String conditions) {
        return (conditions.isEmpty() ? "" : " WHERE " + conditions) + " ORDER BY created, id LIMIT ? OFFSET ?";
    }
}
