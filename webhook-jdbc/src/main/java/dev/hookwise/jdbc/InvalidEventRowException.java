package dev.hookwise.jdbc;

import dev.hookwise.core.spi.StoreUnavailableException;

/**
 * A row of the event log holds a value this version of Hookwise cannot read, such as a status it
 * does not know (written by hand, or by a newer Hookwise during a rolling upgrade).
 *
 * <p>It is a {@link StoreUnavailableException} on purpose: the processor then answers 503 and
 * Stripe delivers the event again later, instead of the event being acknowledged while its record
 * is unreadable. The message names the table, the event id, the column and the value; fix the row
 * (or finish the upgrade) and the next delivery succeeds.
 */
public class InvalidEventRowException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    private final String eventId;
    private final String column;
    private final String value;

    /**
     * @param table the event log table
     * @param eventId the row's id
     * @param column the column holding the unknown value
     * @param value the value found (abbreviated in the message)
     * @param expected what the column may hold, for the message
     */
    public InvalidEventRowException(String table, String eventId, String column, String value, String expected) {
        super("event log row '" + eventId + "' in table " + table + " has " + column + " '" + abbreviate(value)
                + "', which this version of Hookwise does not know (expected one of " + expected
                + "): correct the row, or upgrade Hookwise if a newer version wrote it");
        this.eventId = eventId;
        this.column = column;
        this.value = value;
    }

    /** The id of the unreadable row. */
    public String eventId() {
        return eventId;
    }

    /** The column holding the unknown value, e.g. {@code status}. */
    public String column() {
        return column;
    }

    /** The value found. */
    public String value() {
        return value;
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
