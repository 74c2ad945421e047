package dev.hookwise.spring.internal;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Text that came from a request URL (a path segment, a query parameter) or from a caller's own
 * name: checked before it is used and made safe before it is logged.
 *
 * <p>The hazard is log forging: a decoded {@code %0D%0A} in an id would start a new, fake log line
 * ("… INFO replay of evt_1 succeeded"), and a megabyte-long id would flood the log. So every such
 * value goes through {@link #forLog} before it reaches a logger or an exception message, and an
 * event id is checked with {@link #isStripeEventId} before anything else sees it.
 */
public final class UrlInput {
    /** Longest event id accepted: the event log's id column is {@code VARCHAR(255)}. */
    public static final int MAX_EVENT_ID_LENGTH = 255;

    /** How many characters of an untrusted value a log line shows; the rest is counted, not shown. */
    static final int MAX_LOGGED_LENGTH = 100;

    // Stripe's event ids: evt_ then letters and digits; test-mode and v2 (thin) ids add underscores.
    private static final Pattern EVENT_ID = Pattern.compile("evt_[A-Za-z0-9_]+");

    private UrlInput() {}

    /** Whether {@code id} looks like a Stripe event id: {@code evt_} then letters, digits or {@code _}, at most 255 characters. */
    public static boolean isStripeEventId(@Nullable String id) {
        return id != null && id.length() <= MAX_EVENT_ID_LENGTH && EVENT_ID.matcher(id).matches();
    }

    /**
     * {@code value} as it may be logged: at most {@value #MAX_LOGGED_LENGTH} characters, followed
     * by {@code …(+N chars)} when longer, with every control character (CR, LF, tab, ESC, …), line or
     * paragraph separator and invisible formatting character (bidi overrides) written as
     * {@code \\uXXXX}, so the line can neither be split nor visually reordered.
     */
    public static String forLog(@Nullable String value) {
        if (value == null) {
            return "null";
        }
        int shown = Math.min(value.length(), MAX_LOGGED_LENGTH);
        if (shown < value.length() && Character.isHighSurrogate(value.charAt(shown - 1))) {
            shown--; // never cut a surrogate pair in two
        }
        StringBuilder out = new StringBuilder(shown + 16);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (unsafe(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (shown < value.length()) {
            out.append("…(+").append(value.length() - shown).append(" chars)");
        }
        return out.toString();
    }

    private static boolean unsafe(char c) {
        if (Character.isISOControl(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
    }
}
