package dev.hookwise.core.internal;

import org.jspecify.annotations.Nullable;

/** Lower-case hex, without allocation on the decode path's failure cases. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();
    /** The value of each ASCII hex digit, either case; -1 for every other character below 128. */
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < 16; i++) {
            VALUES["0123456789abcdef".charAt(i)] = (byte) i;
            VALUES["0123456789ABCDEF".charAt(i)] = (byte) i;
        }
    }

    private Hex() {}

    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /**
     * Decodes {@code hex} (ASCII digits, either case) into exactly {@code length} bytes, or returns
     * null if it is not such a string. A table, not {@link Character#digit}: this runs for every
     * signature of every delivery.
     */
    public static byte @Nullable [] decode(String hex, int length) {
        if (hex.length() != length * 2) {
            return null;
        }
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            int hi = value(hex.charAt(2 * i));
            int lo = value(hex.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    private static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }
}
