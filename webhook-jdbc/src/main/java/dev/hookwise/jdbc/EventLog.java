package dev.hookwise.jdbc;

import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The event log as its parts share it: the connection helper, the SQL with the table name formatted
 * in, the row mapper, the clock, and the binders and verdict every part uses.
 */
record EventLog(Jdbc jdbc, DataSource dataSource, JdbcTransactionRunner transactions, EventLogSql sql,
        EventRowMapper rows, Clock clock, boolean keepPayloads, int maxErrorLength) {

    /** Most ids in one {@code IN (…)} list. */
    static final int IN_LIST_CHUNK = 500;

    /** Claim rounds when the row changes between a failed claim and reading why (it completed, or became due). */
    static final int CLAIM_ROUNDS = 3;

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

    static long micros(Duration d) {
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

    /** Binds a {@link EventLogSql#FENCED} condition from {@code index}; returns the next index. */
    static int bindToken(PreparedStatement ps, int index, ClaimToken claim) throws SQLException {
        ps.setString(index, claim.eventId());
        ps.setString(index + 1, claim.owner());
        ps.setInt(index + 2, claim.attempt());
        return index + 3;
    }

    /** Binds id, type, created, livemode, api_version, account from {@code index}; returns the next index. */
    int bindEventColumns(PreparedStatement ps, int index, NewEvent e) throws SQLException {
        int i = index;
        ps.setString(i++, e.id());
        ps.setString(i++, e.type());
        sql.dialect.setInstant(ps, i++, e.created());
        ps.setBoolean(i++, e.livemode());
        ps.setString(i++, e.apiVersion());
        ps.setString(i++, e.account());
        return i;
    }

    /** Runs {@code work} with the connection at {@code isolation} (-1: as it is), restoring it after. */
    static <T> T withIsolation(Connection c, int isolation, Jdbc.Work<T> work) throws SQLException {
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

    /** Binds the verdict's own values, then the token; 0 rows means the token no longer holds the event. */
    UpdateResult verdict(String what, ClaimToken claim, String statement, Values values) {
        return jdbc.run(what + " " + claim.eventId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                bindToken(ps, values.bind(ps), claim);
                return ps.executeUpdate() == 1 ? UpdateResult.APPLIED : UpdateResult.LEASE_LOST;
            }
        });
    }

    @FunctionalInterface
    interface Values {
        /** Binds the leading parameters; returns the index of the next one. */
        int bind(PreparedStatement ps) throws SQLException;
    }
}
