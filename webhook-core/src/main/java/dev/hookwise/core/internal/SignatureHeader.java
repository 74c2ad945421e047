package dev.hookwise.core.internal;

import dev.hookwise.core.signature.SignatureException.Reason;
import dev.hookwise.core.signature.SignatureException;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code Stripe-Signature} header: {@code t=<unix seconds>,v1=<hex>[,v1=<hex>…]}.
 * Unknown keys (such as {@code v0}) and blanks around items are tolerated; items without
 * {@code =} are skipped, as Stripe's own libraries do.
 */
public record SignatureHeader(long timestamp, List<String> v1Signatures) {

    /** Stripe never sends headers this long; a bound keeps parsing cheap under attack. */
    private static final int MAX_HEADER_LENGTH = 8 * 1024;

    public static SignatureHeader parse(String header) {
        if (header.isBlank()) {
            throw new SignatureException(Reason.MISSING_HEADER, "Stripe-Signature header is empty");
        }
        if (header.length() > MAX_HEADER_LENGTH) {
            throw new SignatureException(Reason.MALFORMED_HEADER,
                    "Stripe-Signature header is " + header.length() + " characters, more than " + MAX_HEADER_LENGTH);
        }
        Long timestamp = null;
        List<String> v1 = new ArrayList<>(2);
        // Item by item without split and trim: this runs for every delivery.
        int length = header.length();
        for (int start = 0; start <= length; ) {
            int comma = header.indexOf(',', start);
            int stop = comma < 0 ? length : comma;
            int eq = header.indexOf('=', start);
            if (eq >= 0 && eq < stop) {
                int keyStart = skipBlanks(header, start, eq);
                int keyEnd = trimBlanks(header, keyStart, eq);
                int valueStart = skipBlanks(header, eq + 1, stop);
                int valueEnd = trimBlanks(header, valueStart, stop);
                if (keyEnd - keyStart == 1 && header.charAt(keyStart) == 't') {
                    if (timestamp != null) {
                        throw new SignatureException(Reason.MALFORMED_HEADER, "Stripe-Signature header has more than one t");
                    }
                    timestamp = parseTimestamp(header, valueStart, valueEnd);
                } else if (keyEnd - keyStart == 2 && header.startsWith("v1", keyStart)) {
                    v1.add(header.substring(valueStart, valueEnd));
                }
            }
            start = stop + 1;
        }
        if (timestamp == null) {
            throw new SignatureException(Reason.MALFORMED_HEADER, "Stripe-Signature header has no timestamp (t=…)");
        }
        if (v1.isEmpty()) {
            throw new SignatureException(Reason.NO_V1_SIGNATURE, "Stripe-Signature header has no v1 signature");
        }
        return new SignatureHeader(timestamp, List.copyOf(v1));
    }

    private static long parseTimestamp(String header, int start, int end) {
        if (start == end || end - start > 12) {
            throw new SignatureException(Reason.MALFORMED_HEADER, "Stripe-Signature timestamp is not a Unix time");
        }
        long result = 0;
        for (int i = start; i < end; i++) {
            char c = header.charAt(i);
            if (c < '0' || c > '9') {
                throw new SignatureException(Reason.MALFORMED_HEADER, "Stripe-Signature timestamp is not a Unix time");
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    /** The first position from {@code i} before {@code end} that is not blank, as {@link String#trim()} sees blanks. */
    private static int skipBlanks(String s, int i, int end) {
        while (i < end && s.charAt(i) <= ' ') {
            i++;
        }
        return i;
    }

    /** The end of {@code s[start, end)} without trailing blanks. */
    private static int trimBlanks(String s, int start, int end) {
        while (end > start && s.charAt(end - 1) <= ' ') {
            end--;
        }
        return end;
    }
}
