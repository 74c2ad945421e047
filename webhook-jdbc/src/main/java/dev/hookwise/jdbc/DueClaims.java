package dev.hookwise.jdbc;

import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.EventArguments;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.jdbc.internal.Jdbc;
import dev.hookwise.jdbc.internal.SqlFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The inbox: enqueue, and claims of due events that never hand one event to two workers ({@code
 * FOR UPDATE SKIP LOCKED} on PostgreSQL and MySQL/MariaDB, guarded updates on H2), and the
 * backlog.
 */
final class DueClaims {
    private final EventLog events;

    DueClaims(EventLog events) {
        this.events = events;
    }

    /** H2: candidates read beyond the limit, so that racing workers still find rows left to win. */
    private static final int H2_EXTRA_CANDIDATES = 16;

    private static final int MAX_CANDIDATES = 1000;

    boolean enqueue(NewEvent event) {
        Objects.requireNonNull(event, "event");
        EventArguments.checkEvent(event);
        if (!events.keepPayloads()) {
            throw new IllegalStateException("this JdbcIdempotencyStore was built with keepPayloads(false), but an"
                    + " inbox worker processes an event from its stored body: use keepPayloads(true) with"
                    + " ProcessingMode.ASYNC; " + event.id() + " was not recorded");
        }
        Instant now = events.clock().instant();
        return events.jdbc().run("queueing " + event.id(), c -> {
            boolean ifAbsent = events.sql().enqueueInsertIfAbsent != null;
            try (PreparedStatement ps = c.prepareStatement(ifAbsent ? events.sql().enqueueInsertIfAbsent : events.sql().enqueueInsert)) {
                int i = events.bindEventColumns(ps, 1, event);
                events.sql().dialect.setInstant(ps, i++, now);
                events.sql().dialect.setInstant(ps, i++, now);
                ps.setString(i++, event.source().name());
                ps.setBytes(i++, event.payload());
                ps.setString(i, event.traceContext());
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (!ifAbsent && events.sql().dialect.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    List<EventRecord> claimDue(String owner, Duration leaseDuration, int limit) {
        EventArguments.checkOwner(owner);
        EventArguments.checkLease(leaseDuration);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, but was " + limit);
        }
        Instant now = events.clock().instant();
        Instant leaseUntil = now.plus(leaseDuration);
        return events.jdbc().run("claiming due events for " + owner, c -> switch (events.sql().dialect.inboxClaim()) {
            case SINGLE_STATEMENT -> claimDueInOneStatement(c, owner, now, leaseUntil, limit);
            case SKIP_LOCKED_SELECTS -> EventLog.withIsolation(c, events.sql().dialect.claimIsolation(), conn ->
                    Jdbc.inTransaction(conn, tx -> claimDueBySkipLockedSelects(tx, owner, now, leaseUntil, limit)));
            case GUARDED_UPDATES -> claimDueByGuardedUpdates(c, owner, now, leaseUntil, limit);
        });
    }

    private List<EventRecord> claimDueInOneStatement(Connection c, String owner, Instant now, Instant leaseUntil,
            int limit) throws SQLException {
        List<Due<EventRecord>> claimed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(events.sql().claimDue)) {
            int i = 1;
            for (JdbcDialect.DueSelect select : events.sql().dueSelects) {
                if (select.takesNow()) {
                    events.sql().dialect.setInstant(ps, i++, now);
                }
                ps.setInt(i++, limit);
            }
            ps.setInt(i++, limit);
            ps.setString(i++, owner);
            events.sql().dialect.setInstant(ps, i++, leaseUntil);
            events.sql().dialect.setInstant(ps, i, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EventRecord row = events.rows().read(rs);
                    claimed.add(new Due<>(row.id(), events.sql().dialect.getInstant(rs, "due_at"), row));
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
        for (JdbcDialect.DueSelect select : events.sql().dueSelects) {
            try (PreparedStatement ps = tx.prepareStatement(select.sql())) {
                int i = 1;
                if (select.takesNow()) {
                    events.sql().dialect.setInstant(ps, i++, now);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString("id");
                        due.add(new Due<>(id, events.sql().dialect.getInstant(rs, "due_at"), id));
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
        for (int round = 0; round < EventLog.CLAIM_ROUNDS && won.size() < limit; round++) {
            List<String> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(events.sql().dueCandidates)) {
                int wanted = Math.min(limit - won.size() + H2_EXTRA_CANDIDATES, MAX_CANDIDATES);
                int i = 1;
                for (JdbcDialect.DueSelect read : events.sql().dueCandidateReads) {
                    if (read.takesNow()) {
                        events.sql().dialect.setInstant(ps, i++, now);
                    }
                    ps.setInt(i++, wanted);
                }
                ps.setInt(i, wanted);
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
        try (PreparedStatement ps = c.prepareStatement(events.sql().takeOver)) {
            ps.setString(1, owner);
            events.sql().dialect.setInstant(ps, 2, leaseUntil);
            events.sql().dialect.setInstant(ps, 3, now);
            ps.setString(4, id);
            events.sql().dialect.setInstant(ps, 5, now);
            events.sql().dialect.setInstant(ps, 6, now);
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
        for (int from = 0; from < ids.size(); from += EventLog.IN_LIST_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + EventLog.IN_LIST_CHUNK));
            String read = events.sql().claimedRowsPrefix + EventLogSql.markers(chunk.size()) + ")";
            try (PreparedStatement ps = c.prepareStatement(read)) {
                ps.setString(1, owner);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        EventRecord row = events.rows().read(rs);
                        byId.put(row.id(), row);
                    }
                }
            }
        }
        return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
    }

    /** A due row and when its turn came; sorted oldest first, then by id, as the reference store does. */
    private record Due<T>(String id, @Nullable Instant dueAt, T value) {
        static final Comparator<Due<?>> ORDER = Comparator
                .comparing((Due<?> d) -> d.dueAt(), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Due::id);
    }

    Backlog backlog() {
        return events.jdbc().run("reading the inbox backlog", c -> {
            long pending = 0;
            long processing = 0;
            Instant oldest = null;
            try (PreparedStatement ps = c.prepareStatement(events.sql().backlog); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String status = rs.getString("status");
                    long n = rs.getLong("n");
                    if ("PROCESSING".equals(status)) {
                        processing += n;
                    } else {
                        pending += n;
                        Instant received = events.sql().dialect.getInstant(rs, "oldest");
                        if (received != null && (oldest == null || received.isBefore(oldest))) {
                            oldest = received;
                        }
                    }
                }
            }
            return new Backlog(pending, processing, oldest);
        });
    }
}
