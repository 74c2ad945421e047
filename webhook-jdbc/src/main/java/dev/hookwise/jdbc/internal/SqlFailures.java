package dev.hookwise.jdbc.internal;

import dev.hookwise.core.spi.StoreUnavailableException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.regex.Pattern;

/**
 * Turns {@link SQLException}s into {@link StoreUnavailableException}s, once, at the store's edge.
 *
 * <p>Every SQL failure is "the store failed on our side": the processor answers 503 and Stripe
 * delivers again, so nothing is acknowledged and lost. The message says whether the database was
 * unreachable or a statement failed, and never carries a password: drivers sometimes echo their
 * connection URL, so messages (and the cause chain kept for debugging) are redacted.
 */
public final class SqlFailures {

    /** What messages call the event log. */
    public static final String EVENT_STORE = "event store";

    private static final Pattern KEY_VALUE_SECRET =
            Pattern.compile("(?i)\\b(password|passwd|pwd|secret|sslpassword)(\\s*[=:]\\s*)[^&;,\\s)\\]}'\"]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/:@\\s]+):[^@/\\s]+@");

    private SqlFailures() {}

    public static StoreUnavailableException translate(String operation, SQLException e) {
        return translate(EVENT_STORE, operation, e);
    }

    /**
     * Translates a failure of the store the message names.
     *
     * @param store what the message calls the store, e.g. {@code state store}
     */
    public static StoreUnavailableException translate(String store, String operation, SQLException e) {
        String what = timedOut(e)
                ? store + " timed out while " + operation + ": a lock or statement timeout passed (another transaction"
                        + " may hold the row; the call was not retried, and the next delivery tries again)"
                : store + (unreachable(e) ? " unreachable while " : " failed while ") + operation;
        String state = e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
        return new StoreUnavailableException(what + ": " + redact(String.valueOf(e.getMessage())) + state,
                redactedChain(e));
    }

    /**
     * Whether {@code e} means a statement was cut off by a lock or statement timeout (or cancelled),
     * as opposed to a broken connection: PostgreSQL 57014 (cancelled, e.g. by the query timeout) and
     * 55P03 ({@code lock_timeout}); MariaDB/MySQL 1969 ({@code max_statement_time}), 3024
     * ({@code max_execution_time}), 1317 (interrupted), 1205 ({@code innodb_lock_wait_timeout});
     * H2 HYT00 (lock timeout) and 57014 (query timeout); or any other {@link SQLTimeoutException}
     * that is not a connection failure.
     */
    public static boolean timedOut(SQLException e) {
        for (Throwable t = e; t instanceof SQLException s; t = t.getCause() == t ? null : t.getCause()) {
            String state = s.getSQLState();
            if ((state != null && state.startsWith("08")) || s instanceof SQLTransientConnectionException
                    || s instanceof SQLNonTransientConnectionException) {
                return false;
            }
            int code = s.getErrorCode();
            if (s instanceof SQLTimeoutException || "57014".equals(state) || "55P03".equals(state)
                    || "HYT00".equals(state) || "70100".equals(state)
                    || code == 1969 || code == 3024 || code == 1317 || code == 1205) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} means the database could not be reached, as opposed to a statement failing. */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLTimeoutException || t instanceof ConnectException
                    || t instanceof SocketTimeoutException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether another transaction got in the way: a deadlock, serialization failure or lock timeout.
     * {@link Jdbc#run} retries only those that did not {@linkplain #timedOut time out}: a lock wait
     * that ran out is not waited out again.
     */
    public static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        // 40001 serialization failure / deadlock (MySQL, H2), 40P01 deadlock (PostgreSQL),
        // HYT00 lock timeout (H2); MySQL/MariaDB 1213 deadlock, 1205 lock wait timeout.
        return (state != null && (state.startsWith("40") || state.equals("HYT00")))
                || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
    }

    public static String redact(String message) {
        String out = KEY_VALUE_SECRET.matcher(message).replaceAll("$1$2***");
        return URL_USER_INFO.matcher(out).replaceAll("$1:***@");
    }

    /** {@code e} itself when no message in its chain holds a secret, else a redacted copy of the chain. */
    public static Throwable redactedChain(Throwable e) {
        boolean dirty = false;
        for (Throwable t = e; t != null && !dirty; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            dirty = m != null && !redact(m).equals(m);
        }
        return dirty ? copy(e, 0) : e;
    }

    private static Throwable copy(Throwable t, int depth) {
        String message = t.getMessage() == null ? null : redact(t.getMessage());
        Throwable copy = t instanceof SQLException s
                ? new SQLException(message, s.getSQLState(), s.getErrorCode())
                : new RuntimeException(t.getClass().getName() + (message == null ? "" : ": " + message));
        copy.setStackTrace(t.getStackTrace());
        Throwable cause = t.getCause();
        if (cause != null && cause != t && depth < 16) {
            copy.initCause(copy(cause, depth + 1));
        }
        return copy;
    }

    /**
     * Whether {@code e} (or an exception chained to it) reports a unique-key violation: SQLSTATE
     * 23505 (PostgreSQL, H2) or MySQL/MariaDB's error 1062 ({@code ER_DUP_ENTRY}). Shared by every
     * store that inserts first and reads why only when the insert lost.
     */
    public static boolean isDuplicateKey(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState()) || x.getErrorCode() == 1062) {
                return true;
            }
            if (x.getNextException() == x) {
                break;
            }
        }
        return false;
    }
}
