package dev.hookwise.core.internal;

import dev.hookwise.core.SignatureException;
import dev.hookwise.core.SignatureException.Reason;
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
        for (String item : header.split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (key.equals("t")) {
                if (timestamp != null) {
                    throw new SignatureException(Reason.MALFORMED_HEADER, "Stripe-Signature header has more than one t");
                }
                timestamp = parseTimestamp(value);
            } else if (key.equals("v1")) {
                v1.add(value);
            }
        }
        if (timestamp == null) {
            throw new SignatureException(Reason.MALFORMED_HEADER, "Stripe-Signature header has no timestamp (t=…)");
        }
        if (v1.isEmpty()) {
            throw new SignatureException(Reason.NO_V1_SIGNATURE, "Stripe-Signature header has no v1 signature");
        }
        return new SignatureHeader(timestamp, List.copyOf(v1));
    }

    private static long parseTimestamp(String value) {
        if (value.isEmpty() || value.length() > 12) {
            throw new SignatureException(Reason.MALFORMED_HEADER, "Stripe-Signature timestamp is not a Unix time");
        }
        long result = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new SignatureException(Reason.MALFORMED_HEADER, "Stripe-Signature timestamp is not a Unix time");
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }
}
