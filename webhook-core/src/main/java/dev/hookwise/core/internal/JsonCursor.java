package dev.hookwise.core.internal;

import dev.hookwise.core.MalformedEventException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A validating walk over JSON in UTF-8 bytes that allocates nothing per token: the envelope parser
 * reads the few values it needs and skips everything else without producing a token, a name or a
 * string.
 *
 * <p>Why not a general parser: in a 32 KB {@code invoice.paid} nearly every byte lies inside
 * {@code data}, which routing never looks at, and Stripe writes {@code type} after it. Jackson
 * turns each of those names and values into a token; this class only checks them and moves on.
 * Skipped content is still checked in full, so a body is rejected exactly when Jackson 2.20 with
 * default features (and the nesting limit of 200 Hookwise has always used) would reject it:
 * strings (escapes, control characters, UTF-8 sequences by Jackson's rules), numbers (no leading
 * zeros, at most 1,000 digits), literals, structure, names of at most 50,000 bytes. Two deliberate
 * differences: a body in UTF-16 or UTF-32, which Jackson would detect, is rejected (Stripe sends
 * UTF-8, and RFC 8259 requires it between systems); and a member name holding an invalid 0xFF byte is
 * always rejected, where Jackson's name table could take it for a shorter name it had seen before.
 *
 * <p>Every error is a {@link MalformedEventException} ({@code malformed_event}) that says what was
 * found at which byte offset, never the bytes themselves.
 */
final class JsonCursor {

    /** Deepest nesting accepted, counting the event object itself (the limit the Jackson-based parser had). */
    static final int MAX_DEPTH = 200;
    /** Longest number in digits, as Jackson's default {@code StreamReadConstraints}. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Longest object member name in UTF-8 bytes, as Jackson's default {@code StreamReadConstraints}. */
    static final int MAX_NAME_BYTES = 50_000;


    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private final byte[] b;
    private final int end;
    private int pos;

    // The member name read by the last nextName: b[nameStart, nameEnd), escaped when it holds a backslash.
    private int nameStart;
    private int nameEnd;
    private boolean nameEscaped;

    // Which containers skip has open are objects (a bit each); allocated at the first one.
    private long @Nullable [] containers;

    // The number read by the last readNumber: b[numberStart, numberEnd), integral when it has no fraction or exponent.
    private int numberStart;
    private int numberEnd;
    private boolean numberIntegral;

    JsonCursor(byte[] body) {
        this.b = body;
        this.end = body.length;
        // A UTF-8 byte order mark is ignored, as Jackson does and RFC 8259 allows.
        boolean bom = end >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
        this.pos = bom ? 3 : 0;
    }

    /** The next byte after whitespace, not consumed; -1 at the end of the body. */
    int peek() {
        int p = JsonBytes.skipWhitespace(b, end, pos);
        pos = p;
        return p < end ? b[p] & 0xff : -1;
    }

    /** Whether only whitespace is left. */
    boolean atEnd() {
        pos = JsonBytes.skipWhitespace(b, end, pos);
        return pos >= end;
    }

    /** Consumes the opening brace at the cursor (the caller has peeked it) of an object at {@code depth}. */
    void enterObject(int depth) {
        checkDepth(depth, pos);
        pos++;
    }

    /**
     * Moves to the next member of the object being read and reads its name, or consumes the closing
     * brace. The value is next: read it with one of the read or skip methods.
     *
     * @param first whether this is the first call for this object
     * @return false when the object has ended
     */
    boolean nextName(boolean first) {
        int p = JsonBytes.skipWhitespace(b, end, pos);
        int c = at(p);
        if (c == '}') {
            pos = p + 1;
            return false;
        }
        if (!first) {
            if (c != ',') {
                throw unexpected(c, p, "',' or '}' after an object member");
            }
            p = JsonBytes.skipWhitespace(b, end, p + 1);
            c = at(p);
        }
        if (c != '"') {
            throw unexpected(c, p, "a member name in double quotes");
        }
        nameStart = p + 1;
        p = JsonBytes.skipString(b, end, p + 1, true);
        nameEnd = p - 1;
        nameEscaped = JsonBytes.hasBackslash(b, nameStart, nameEnd);
        checkNameLength(nameStart, nameEnd);
        p = JsonBytes.skipWhitespace(b, end, p);
        if (at(p) != ':') {
            throw unexpected(at(p), p, "':' after a member name");
        }
        pos = p + 1;
        return true;
    }

    /** Whether the name read by the last {@link #nextName} is {@code name} (ASCII), escapes decoded. */
    boolean nameIs(byte[] name) {
        int length = nameEnd - nameStart;
        if (nameEscaped) {
            return JsonBytes.decode(b, nameStart, nameEnd).equals(new String(name, StandardCharsets.US_ASCII));
        }
        if (length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b[nameStart + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads the string value at the cursor (the caller has peeked its quote), escapes and UTF-8 decoded. */
    String readString() {
        int start = pos + 1;
        int stop = JsonBytes.skipString(b, end, start, false) - 1;
        pos = stop + 1;
        if (JsonBytes.isPlainAscii(b, start, stop)) {
            return new String(b, start, stop - start, StandardCharsets.ISO_8859_1);
        }
        return JsonBytes.decode(b, start, stop);
    }

    /** Reads the number at the cursor (the caller has peeked {@code -} or a digit); see {@link #numberIsIntegral()}. */
    void readNumber() {
        numberStart = pos;
        pos = skipNumber(pos);
        numberEnd = pos;
    }

    /** Whether the last number read has neither a fraction nor an exponent. */
    boolean numberIsIntegral() {
        return numberIntegral;
    }

    /** The last number read, which must be integral, as a {@code long}; out of range is malformed. */
    long numberAsLong(String field) {
        int p = numberStart;
        boolean negative = b[p] == '-';
        if (negative) {
            p++;
        }
        if (numberEnd - p <= 18) { // cannot overflow
            long value = 0;
            for (int i = p; i < numberEnd; i++) {
                value = value * 10 + (b[i] - '0');
            }
            return negative ? -value : value;
        }
        String digits = new String(b, numberStart, numberEnd - numberStart, StandardCharsets.ISO_8859_1);
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new MalformedEventException("body is not valid JSON: the number in " + field
                    + " is out of the range of a long (" + (numberEnd - numberStart) + " characters)");
        }
    }

    /** Consumes the literal {@code true} at the cursor; false if the value there is something else, not consumed. */
    boolean readTrue() {
        if (peek() == 't') {
            pos = JsonBytes.literal(b, end, pos, TRUE);
            return true;
        }
        return false;
    }

    /** Consumes {@code null} at the cursor; false if the value there is something else, not consumed. */
    boolean readNull() {
        if (peek() == 'n') {
            pos = JsonBytes.literal(b, end, pos, NULL);
            return true;
        }
        return false;
    }

    /**
     * Checks and steps over one value of any kind, however deeply nested.
     *
     * @param depth the depth of the object or array holding the value (the event object is 1)
     */
    void skipValue(int depth) {
        pos = skip(JsonBytes.skipWhitespace(b, end, pos), depth, false, false);
    }

    /**
     * Checks and steps over the remaining members of the object being read, whose last member's
     * value has just been read, up to its closing brace, or up to a member named {@code id} or
     * {@code object} (or any name written with an escape), which a later {@link #nextName} then reads:
     * a duplicate must still win over the first.
     *
     * @param depth the depth of the object (the event object is 1)
     * @return true when the object has ended; false when the cursor stops before such a member
     */
    boolean skipRestOfObjectUntilIdOrObject(int depth) {
        int p = skip(pos, depth - 1, true, true);
        if (p < 0) {
            pos = -p - 1; // at the comma before the member
            return false;
        }
        pos = p;
        return true;
    }

    /**
     * The one loop that checks skipped JSON. Nothing is called per nesting level: the kind of each
     * open container is a bit in {@link #containers}, the innermost one's in {@code inObject}.
     * Stripe's layout ({@code ": "} after a name, {@code ",\n"} and indentation after a value) is
     * tried first; anything else valid takes the general path.
     *
     * @param p where the value starts, or, with {@code insideObject}, just after a member's value
     * @param depth the depth of the container holding the value
     * @param insideObject start inside an already open object, after a member's value
     * @param stopAtIdOrObject (with {@code insideObject}) stop before a member of that object named
     *     {@code id} or {@code object}, returning {@code -(comma position) - 1}
     * @return the position after the value, or after the object's closing brace
     */
    private int skip(int p, int depth, boolean insideObject, boolean stopAtIdOrObject) {
        long[] kinds = containers;
        if (kinds == null) {
            kinds = new long[(MAX_DEPTH + 63) / 64];
            containers = kinds;
        }
        int open = 0;
        boolean inObject = false;
        if (insideObject) {
            kinds[0] |= 1L;
            open = 1;
            inObject = true;
        }
        boolean atValue = !insideObject;
        while (true) {
            if (atValue) {
                // Tested in the order values occur in Stripe's events: strings, null, numbers,
                // objects, booleans, arrays.
                int c = at(p);
                if (c == '"') {
                    p = JsonBytes.skipString(b, end, p + 1, false);
                } else if (c == 'n') {
                    p = JsonBytes.literal(b, end, p, NULL);
                } else if ((c >= '0' && c <= '9') || c == '-') {
                    p = skipNumber(p);
                } else if (c == '{' || c == '[') {
                    checkDepth(depth + open + 1, p);
                    boolean object = c == '{';
                    if (object) {
                        kinds[open >>> 6] |= 1L << open;
                    } else {
                        kinds[open >>> 6] &= ~(1L << open);
                    }
                    open++;
                    inObject = object;
                    p = JsonBytes.skipWhitespace(b, end, p + 1);
                    if (at(p) == (object ? '}' : ']')) {
                        p++;
                        open--;
                        inObject = open > 0 && (kinds[(open - 1) >>> 6] & (1L << (open - 1))) != 0;
                    } else {
                        if (object) {
                            p = skipMemberName(p);
                        }
                        continue; // at the first value inside
                    }
                } else if (c == 'f') {
                    p = JsonBytes.literal(b, end, p, FALSE);
                } else if (c == 't') {
                    p = JsonBytes.literal(b, end, p, TRUE);
                } else {
                    throw unexpected(c, p, "a value");
                }
            }
            // after a value: a comma and the next value, or the end of one or more containers
            if (open == 0) {
                return p;
            }
            int c = at(p);
            if (c != ',' && c != (inObject ? '}' : ']')) {
                p = JsonBytes.skipWhitespace(b, end, p);
                c = at(p);
            }
            if (c == ',') {
                int comma = p;
                p = JsonBytes.skipWhitespace(b, end, p + 1);
                if (inObject) {
                    if (stopAtIdOrObject && open == 1 && isIdOrObjectName(p)) {
                        return -comma - 1;
                    }
                    p = skipMemberName(p);
                }
                atValue = true;
                continue;
            }
            if (c != (inObject ? '}' : ']')) {
                throw unexpected(c, p, inObject ? "',' or '}' after an object member" : "',' or ']' after an array element");
            }
            p++;
            open--;
            inObject = open > 0 && (kinds[(open - 1) >>> 6] & (1L << (open - 1))) != 0;
            atValue = false;
        }
    }

    /** Whether a member name starting at {@code p} (if it is one) is {@code "id"} or {@code "object"}, or escaped. */
    private boolean isIdOrObjectName(int p) {
        if (at(p) != '"') {
            return false; // not a name at all: skipMemberName reports it
        }
        int stop = p + 1;
        while (stop < end && b[stop] != '"') {
            if (b[stop] == '\\') {
                return true; // could decode to either; the careful path reads it
            }
            stop++;
        }
        int length = stop - p - 1;
        return (length == 2 && b[p + 1] == 'i' && b[p + 2] == 'd')
                || (length == 6 && b[p + 1] == 'o' && b[p + 2] == 'b' && b[p + 3] == 'j' && b[p + 4] == 'e'
                        && b[p + 5] == 'c' && b[p + 6] == 't');
    }

    /** Steps over {@code "name" :} and the whitespace after it, from the opening quote at {@code p}. */
    private int skipMemberName(int p) {
        int c = at(p);
        if (c != '"') {
            throw unexpected(c, p, "a member name in double quotes");
        }
        int stop = JsonBytes.skipString(b, end, p + 1, true);
        checkNameLength(p + 1, stop - 1);
        if (stop + 2 < end && b[stop] == ':' && b[stop + 1] == ' ' && b[stop + 2] > ' ') {
            return stop + 2; // Stripe's ": "
        }
        stop = JsonBytes.skipWhitespace(b, end, stop);
        if (at(stop) != ':') {
            throw unexpected(at(stop), stop, "':' after a member name");
        }
        return JsonBytes.skipWhitespace(b, end, stop + 1);
    }

    /**
     * Checks the number at {@code p} and records whether it is integral; returns the position after
     * it. The common case, an integer, is kept small enough for the JIT to inline into {@link #skip}.
     */
    private int skipNumber(int p) {
        final byte[] b = this.b;
        int intStart = b[p] == '-' ? p + 1 : p;
        if (intStart >= end) {
            throw truncated("inside a number");
        }
        byte first = b[intStart];
        int stop;
        if (first >= '1' && first <= '9') {
            stop = JsonBytes.skipDigits(b, end, intStart + 1);
        } else if (first == '0') {
            stop = intStart + 1;
        } else {
            throw malformed("a '-' not followed by a digit", intStart);
        }
        if (stop < end && (b[stop] == '.' || b[stop] == 'e' || b[stop] == 'E' || JsonBytes.isDigit(b[stop]))) {
            return skipNumberRest(p, intStart, stop); // a fraction, an exponent, or a leading zero
        }
        if (stop - intStart > MAX_NUMBER_LENGTH) {
            throw malformed("a number of " + (stop - intStart) + " digits, more than " + MAX_NUMBER_LENGTH, p);
        }
        numberIntegral = true;
        return stop;
    }

    /** {@link #skipNumber} from {@code p}, after the integer part {@code b[intStart, stop)}. */
    private int skipNumberRest(int start, int intStart, int stop) {
        final byte[] b = this.b;
        int p = stop;
        if (JsonBytes.isDigit(b[p])) {
            throw malformed("a number with a leading zero", p); // only "0" stops before a digit
        }
        int digits = p - intStart;
        if (b[p] == '.') {
            int fractionStart = ++p;
            p = JsonBytes.skipDigits(b, end, p);
            if (p == fractionStart) {
                if (p >= end) {
                    throw truncated("inside a number");
                }
                throw malformed("a decimal point not followed by a digit", p);
            }
            digits += p - fractionStart;
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int exponentStart = p;
            p = JsonBytes.skipDigits(b, end, p);
            if (p == exponentStart) {
                if (p >= end) {
                    throw truncated("inside a number");
                }
                throw malformed("an exponent not followed by a digit", p);
            }
            digits += p - exponentStart;
        }
        if (digits > MAX_NUMBER_LENGTH) {
            throw malformed("a number of " + digits + " digits, more than " + MAX_NUMBER_LENGTH, start);
        }
        numberIntegral = false;
        return p;
    }

    /** The byte at {@code p}, or -1 past the end. */
    private int at(int p) {
        return p < end ? b[p] & 0xff : -1;
    }

    private void checkDepth(int depth, int p) {
        if (depth > MAX_DEPTH) {
            throw malformed("nesting deeper than " + MAX_DEPTH + " levels", p);
        }
    }

    private void checkNameLength(int start, int stop) {
        if (stop - start > MAX_NAME_BYTES && JsonBytes.decodedLength(b, start, stop) > MAX_NAME_BYTES) {
            throw malformed("a member name longer than " + MAX_NAME_BYTES + " bytes", start);
        }
    }

    private MalformedEventException unexpected(int c, int p, String expected) {
        if (c < 0) {
            return truncated("where " + expected + " was expected");
        }
        String found = c >= 0x21 && c <= 0x7e ? "'" + (char) c + "'" : "byte 0x" + Integer.toHexString(c);
        return malformed(found + " where " + expected + " was expected", p);
    }

    private MalformedEventException truncated(String where) {
        return JsonBytes.truncated(where, end);
    }

    private static MalformedEventException malformed(String what, int offset) {
        return JsonBytes.malformed(what, offset);
    }
}
