package dev.hookwise.jdbc;

import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.EventArguments;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Claims of delivered events, one atomic statement per database (see {@link JdbcDialect}): an
 * insert of a new row, or a guarded update that takes over an expired lease or a due retry, with
 * its row count always checked. Never select-then-insert. Also replay claims and final records.
 */
final class EventClaims {
    private final EventLog events;

    EventClaims(EventLog events) {
        this.events = events;
    }

    ClaimResult claim(NewEvent event, String owner, Duration leaseDuration) {
        Objects.requireNonNull(event, "event");
        EventArguments.checkOwner(owner);
        EventArguments.checkLease(leaseDuration);
        EventArguments.checkEvent(event);
        NewEvent stored = events.keepPayloads() ? event : event.withoutPayload();
        Instant now = events.clock().instant();
        Instant leaseUntil = now.plus(leaseDuration);
        return events.jdbc().run("claiming " + event.id(), c -> {
            for (int round = 0; round < EventLog.CLAIM_ROUNDS; round++) {
                ClaimResult result = events.sql().claimUpsert != null
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
        try (PreparedStatement ps = c.prepareStatement(events.sql().claimUpsert)) {
            int i = bindClaimInsert(ps, e, owner, now, leaseUntil);
            events.sql().dialect.setInstant(ps, i++, now);
            events.sql().dialect.setInstant(ps, i, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? ClaimResult.claimed(rs.getInt(1)) : null;
            }
        }
    }

    private @Nullable ClaimResult claimByInsertOrTakeover(Connection c, NewEvent e, String owner, Instant now,
            Instant leaseUntil) throws SQLException {
        boolean ifAbsent = events.sql().claimInsertIfAbsent != null;
        try (PreparedStatement ps = c.prepareStatement(ifAbsent ? events.sql().claimInsertIfAbsent : events.sql().claimInsert)) {
            bindClaimInsert(ps, e, owner, now, leaseUntil);
            if (ps.executeUpdate() == 1) {
                return ClaimResult.claimed(1);
            }
        } catch (SQLException insertFailed) {
            if (ifAbsent || !events.sql().dialect.isDuplicateKey(insertFailed)) {
                throw insertFailed;
            }
        }
        // Known event: take it over if its lease ended or its retry is due. The row count decides
        // who won; the attempt number is read in the same transaction, under the row lock.
        return Jdbc.inTransaction(c, tx -> {
            try (PreparedStatement ps = tx.prepareStatement(events.sql().takeOver)) {
                ps.setString(1, owner);
                events.sql().dialect.setInstant(ps, 2, leaseUntil);
                events.sql().dialect.setInstant(ps, 3, now);
                ps.setString(4, e.id());
                events.sql().dialect.setInstant(ps, 5, now);
                events.sql().dialect.setInstant(ps, 6, now);
                if (ps.executeUpdate() != 1) {
                    return Optional.<ClaimResult>empty();
                }
            }
            try (PreparedStatement ps = tx.prepareStatement(events.sql().attemptsOfOwner)) {
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
        int i = events.bindEventColumns(ps, 1, e);
        ps.setString(i++, owner);
        events.sql().dialect.setInstant(ps, i++, leaseUntil);
        events.sql().dialect.setInstant(ps, i++, now);
        events.sql().dialect.setInstant(ps, i++, now);
        ps.setString(i++, e.source().name());
        ps.setBytes(i++, e.payload());
        return i;
    }

    /** Why a known event cannot be claimed now, or null if it could be after all (claim again). */
    private @Nullable ClaimResult refusal(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(events.sql().claimState)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                EventStatus status = events.rows().status(id, rs.getString("status"));
                int attempts = rs.getInt("attempts");
                Instant leaseUntil = events.sql().dialect.getInstant(rs, "lease_until");
                Instant nextAttempt = events.sql().dialect.getInstant(rs, "next_attempt_at");
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

    Optional<EventRecord> claimForReplay(String eventId, String owner, Duration leaseDuration, EventSource source) {
        Objects.requireNonNull(eventId, "eventId");
        EventArguments.checkOwner(owner);
        Objects.requireNonNull(source, "source");
        EventArguments.checkLease(leaseDuration);
        Instant now = events.clock().instant();
        return events.jdbc().run("claiming " + eventId + " for a replay", c -> {
            try (PreparedStatement ps = c.prepareStatement(events.sql().claimForReplay)) {
                ps.setString(1, owner);
                events.sql().dialect.setInstant(ps, 2, now.plus(leaseDuration));
                events.sql().dialect.setInstant(ps, 3, now);
                ps.setString(4, source.name());
                ps.setString(5, eventId);
                events.sql().dialect.setInstant(ps, 6, now);
                if (ps.executeUpdate() != 1) {
                    return Optional.<EventRecord>empty();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(events.sql().find)) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(events.rows().read(rs)) : Optional.<EventRecord>empty();
                }
            }
        });
    }

    boolean recordFinal(NewEvent event, EventStatus status, String reason) {
        Objects.requireNonNull(event, "event");
        if (status != EventStatus.IGNORED && status != EventStatus.SKIPPED_STALE) {
            throw new IllegalArgumentException("recordFinal takes IGNORED or SKIPPED_STALE, not " + status);
        }
        EventArguments.checkEvent(event);
        NewEvent stored = events.keepPayloads() ? event : event.withoutPayload();
        String note = reason == null ? null : events.truncate(reason);
        Instant now = events.clock().instant();
        return events.jdbc().run("recording " + event.id() + " as " + status, c -> {
            String statement = events.sql().finalInsertIfAbsent != null ? events.sql().finalInsertIfAbsent : events.sql().finalInsert;
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                int i = events.bindEventColumns(ps, 1, stored);
                ps.setString(i++, status.name());
                events.sql().dialect.setInstant(ps, i++, now);
                events.sql().dialect.setInstant(ps, i++, now);
                ps.setString(i++, note);
                ps.setString(i++, stored.source().name());
                ps.setBytes(i, stored.payload());
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (events.sql().finalInsertIfAbsent == null && events.sql().dialect.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    boolean resetForReplay(String eventId, EventSource source) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(source, "source");
        Instant now = events.clock().instant();
        return events.jdbc().run("resetting " + eventId + " for replay", c -> {
            try (PreparedStatement ps = c.prepareStatement(events.sql().resetForReplay)) {
                events.sql().dialect.setInstant(ps, 1, now);
                ps.setString(2, source.name());
                ps.setString(3, eventId);
                return ps.executeUpdate() == 1;
            }
        });
    }
}
