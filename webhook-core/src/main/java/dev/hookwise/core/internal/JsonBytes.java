package dev.hookwise.core.internal;

import dev.hookwise.core.MalformedEventException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The byte-level scans of {@link JsonCursor}: strings (escapes, control characters, UTF-8 sequences
 * by Jackson's rules, and decoding the few the envelope parser reads), digits, whitespace and
 * literals. The cursor keeps the structure (objects, arrays, nesting, numbers' shape); these are
 * static and allocation-free except for {@link #decode}, so the JIT inlines them into the cursor's
 * loops as if they were written there.
 */
final class JsonBytes {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long NIBBLES_HIGH = 0xF0F0F0F0F0F0F0F0L;
    private static final long DIGIT_HIGH = 0x3030303030303030L;
    private static final long SIXES = 0x0606060606060606L;
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /*
     * What a byte means inside a string: 0 for the common case (printable ASCII other than quote and
     * backslash), so the scanning loop tests one table entry per byte.
     */
    private static final byte PLAIN = 0;
    private static final byte QUOTE = 1;
    private static final byte BACKSLASH = 2;
    private static final byte CONTROL = 3;
    private static final byte LEAD_2 = 4; // a UTF-8 lead byte followed by 1 continuation byte
    private static final byte LEAD_3 = 5;
    private static final byte LEAD_4 = 6;
    private static final byte INVALID = 7;
    static final byte[] IN_STRING = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            byte kind;
            if (c < 0x20) {
                kind = CONTROL;
            } else if (c == '"') {
                kind = QUOTE;
            } else if (c == '\\') {
                kind = BACKSLASH;
            } else if (c < 0x80) {
                kind = PLAIN;
            } else if ((c & 0xE0) == 0xC0) {
                kind = LEAD_2;
            } else if ((c & 0xF0) == 0xE0) {
                kind = LEAD_3;
            } else if ((c & 0xF8) == 0xF0) {
                kind = LEAD_4;
            } else {
                kind = INVALID; // a stray continuation byte, or 0xF8..0xFF
            }
            IN_STRING[c] = kind;
        }
    }

    private JsonBytes() {}

    /**
     * Steps over the rest of a string from {@code p}, just after its opening quote, checking
     * escapes, control characters and UTF-8 sequences.
     *
     * <p>Eight bytes at a time while none of them needs a look (a quote, a backslash, a control
     * character or a byte from 0x80 up), which is most of a Stripe body's strings; the byte that
     * does is then handled one at a time. Of the flags the word tests set, the lowest is always a
     * real one (a borrow only runs upwards from a flagged byte), and that is the only one used.
     *
     * @param name whether the string is a member name (for the error message)
     * @return the position after the closing quote
     */
    static int skipString(byte[] b, int end, int p, boolean name) {
        while (true) {
            while (p + 8 <= end) {
                long w = (long) LONGS.get(b, p);
                long quote = w ^ QUOTES;
                long backslash = w ^ BACKSLASHES;
                long flags = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((w - SPACES) & ~w) | w;
                flags &= HIGH_BITS;
                if (flags != 0) {
                    p += Long.numberOfTrailingZeros(flags) >>> 3;
                    break;
                }
                p += 8;
            }
            if (p >= end) {
                throw truncated(name ? "inside a member name" : "inside a string", end);
            }
            int c = b[p] & 0xff;
            if (c == '"') {
                return p + 1;
            }
            switch (IN_STRING[c]) {
                case PLAIN -> p++;
                case BACKSLASH -> p = skipEscape(b, end, p);
                case CONTROL -> throw malformed("an unescaped control character (code " + c + ") inside a "
                        + (name ? "member name" : "string"), p);
                case LEAD_2 -> p = skipContinuations(b, end, p, 1);
                case LEAD_3 -> p = skipContinuations(b, end, p, 2);
                case LEAD_4 -> p = skipContinuations(b, end, p, 3);
                default -> throw malformed("a byte that cannot start a UTF-8 character (0x"
                        + Integer.toHexString(c) + ") inside a " + (name ? "member name" : "string"), p);
            }
        }
    }

    /** @return the position after the escape that starts with the backslash at {@code p} */
    private static int skipEscape(byte[] b, int end, int p) {
        if (p + 1 >= end) {
            throw truncated("inside a string escape", end);
        }
        switch (b[p + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return p + 2;
            }
            case 'u' -> {
                for (int i = p + 2; i < p + 6; i++) {
                    if (i >= end) {
                        throw truncated("inside a \\u escape", end);
                    }
                    if (hexValue(b[i]) < 0) {
                        throw malformed("a \\u escape with a character that is not a hex digit", i);
                    }
                }
                return p + 6;
            }
            default -> throw malformed("an unknown escape sequence inside a string", p);
        }
    }

    /** @return the position after the lead byte at {@code p} and its {@code count} continuation bytes */
    private static int skipContinuations(byte[] b, int end, int p, int count) {
        for (int i = p + 1; i <= p + count; i++) {
            if (i >= end) {
                throw truncated("inside a UTF-8 character", end);
            }
            if ((b[i] & 0xC0) != 0x80) {
                throw malformed("an invalid UTF-8 continuation byte inside a string", i);
            }
        }
        return p + count + 1;
    }

    /** The length in bytes of a checked name once its escapes are decoded (Jackson's measure), other bytes as they are. */
    static int decodedLength(byte[] b, int start, int stop) {
        int length = 0;
        for (int p = start; p < stop; length++) {
            if (b[p] != '\\') {
                p++;
            } else if (b[p + 1] != 'u') {
                p += 2;
            } else {
                int v = 0;
                for (int i = p + 2; i < p + 6; i++) {
                    v = (v << 4) | hexValue(b[i]);
                }
                length += v < 0x80 ? 0 : v < 0x800 ? 1 : 2;
                p += 6;
            }
        }
        return length;
    }

    static boolean hasBackslash(byte[] b, int start, int stop) {
        for (int i = start; i < stop; i++) {
            if (b[i] == '\\') {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code b[start, stop)} holds neither a backslash nor a byte from 0x80 up. */
    static boolean isPlainAscii(byte[] b, int start, int stop) {
        for (int i = start; i < stop; i++) {
            byte c = b[i];
            if (c < 0 || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes a checked string's content, {@code b[start, stop)}: escapes, and UTF-8 the way Jackson
     * decodes it (a four-byte sequence becomes a surrogate pair; a lone {@code \}{@code uD800} stays).
     */
    static String decode(byte[] b, int start, int stop) {
        StringBuilder out = new StringBuilder(stop - start);
        int p = start;
        while (p < stop) {
            int c = b[p] & 0xff;
            if (c == '\\') {
                char e = (char) b[p + 1];
                switch (e) {
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        int v = 0;
                        for (int i = p + 2; i < p + 6; i++) {
                            v = (v << 4) | hexValue(b[i]);
                        }
                        out.append((char) v);
                        p += 4;
                    }
                    default -> out.append(e); // '"', '\\', '/'
                }
                p += 2;
            } else if (c < 0x80) {
                out.append((char) c);
                p++;
            } else if (IN_STRING[c] == LEAD_2) {
                out.append((char) (((c & 0x1F) << 6) | (b[p + 1] & 0x3F)));
                p += 2;
            } else if (IN_STRING[c] == LEAD_3) {
                out.append((char) (((c & 0x0F) << 12) | ((b[p + 1] & 0x3F) << 6) | (b[p + 2] & 0x3F)));
                p += 3;
            } else {
                int v = ((c & 0x07) << 18) | ((b[p + 1] & 0x3F) << 12) | ((b[p + 2] & 0x3F) << 6) | (b[p + 3] & 0x3F);
                v -= 0x10000;
                out.append((char) (0xD800 | (v >> 10)));
                out.append((char) (0xDC00 | (v & 0x3FF)));
                p += 4;
            }
        }
        return out.toString();
    }

    static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * The position of the first byte from {@code p} that is not an ASCII digit. Eight at a time: a
     * byte is a digit when its high nibble is 3 and adding 6 does not carry it out of the nibble.
     */
    static int skipDigits(byte[] b, int end, int p) {
        while (p + 8 <= end) {
            long w = (long) LONGS.get(b, p);
            long notDigit = ((w & NIBBLES_HIGH) ^ DIGIT_HIGH) | (((w + SIXES) & NIBBLES_HIGH) ^ DIGIT_HIGH);
            if (notDigit != 0) {
                return p + (Long.numberOfTrailingZeros(notDigit) >>> 3);
            }
            p += 8;
        }
        while (p < end && isDigit(b[p])) {
            p++;
        }
        return p;
    }

    /** Checks that {@code word} is at {@code p}; returns the position after it. */
    static int literal(byte[] b, int end, int p, byte[] word) {
        int length = word.length;
        // The last four bytes of the word in one read: "true", "null", "alse".
        if (p + length <= end && (int) INTS.get(b, p + length - 4) == (int) INTS.get(word, length - 4) && b[p] == word[0]) {
            return p + length;
        }
        for (int i = 0; i < length; i++) {
            if (p + i >= end) {
                throw truncated("inside the literal " + new String(word, StandardCharsets.US_ASCII), end);
            }
            if (b[p + i] != word[i]) {
                break;
            }
        }
        throw malformed("an unknown word where a value was expected (JSON's words are true, false and null)", p);
    }

    /**
     * Skips JSON whitespace from {@code p}. Pretty-printed bodies (Stripe indents by two spaces) are
     * nearly half indentation, so a run of spaces is measured a word at a time: the lowest byte of
     * the word that is not a space ends it.
     */
    static int skipWhitespace(byte[] b, int end, int p) {
        while (p < end) {
            byte c = b[p];
            if (c == ' ' || c == '\n') {
                p++;
                while (p + 8 <= end) {
                    long notSpace = (long) LONGS.get(b, p) ^ SPACES;
                    if (notSpace != 0) {
                        p += Long.numberOfTrailingZeros(notSpace) >>> 3;
                        break;
                    }
                    p += 8;
                }
            } else if (c == '\r' || c == '\t') {
                p++;
            } else {
                break;
            }
        }
        return p;
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    static MalformedEventException truncated(String where, int end) {
        return new MalformedEventException("body is not valid JSON: it ends " + where + " (" + end + " bytes)");
    }

    static MalformedEventException malformed(String what, int offset) {
        return new MalformedEventException("body is not valid JSON: " + what + " at byte " + offset);
    }
}
