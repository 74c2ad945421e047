package dev.hookwise.core.signature;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.internal.Hex;
import dev.hookwise.core.internal.SignatureHeader;
import dev.hookwise.core.signature.SignatureException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Proves that a request came from Stripe: HMAC-SHA256 of {@code t + "." + body} with an endpoint
 * secret, compared in constant time with every {@code v1} in the {@code Stripe-Signature} header.
 *
 * <p>Several secrets may be configured at once: while a secret is rolled, Stripe signs with both
 * the old and the new one for up to 24 hours. The check runs on the raw bytes exactly as
 * received; re-serialised JSON would not match. The signature is checked before the timestamp, so
 * that a forged request learns nothing about the tolerance.
 *
 * <pre>{@code
 * SignatureVerifier verifier = SignatureVerifier.builder()
 *         .secrets("whsec_current", "whsec_previous")
 *         .tolerance(Duration.ofMinutes(5))
 *         .build();
 * Instant signedAt = verifier.verify(body, request.getHeader("Stripe-Signature"));
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SignatureVerifier {

    /** Stripe's recommended tolerance between the signature timestamp and now. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    /** Default body size limit: 1 MiB. Stripe's events are far smaller. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

    private static final int SHA256_BYTES = 32;

    private final List<SecretKeySpec> keys;
    private final Duration tolerance;
    private final Clock clock;
    private final int maxPayloadBytes;
    // One Mac per secret and thread, keyed once: HmacSHA256 resets to its keyed state after doFinal,
    // so a delivery pays for the hash only, not for the provider lookup and key schedule of init.
    private final ThreadLocal<Mac[]> macs = ThreadLocal.withInitial(this::newMacs);

    private SignatureVerifier(Builder b) {
        List<SecretKeySpec> specs = new ArrayList<>(b.secrets.size());
        for (String secret : b.secrets) {
            specs.add(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        }
        this.keys = List.copyOf(specs);
        this.tolerance = b.tolerance;
        this.clock = b.clock;
        this.maxPayloadBytes = b.maxPayloadBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a delivery.
     *
     * @param payload the raw body
     * @param header the {@code Stripe-Signature} header, or null when the request had none
     * @return the signature timestamp
     * @throws SignatureException with the typed {@link Reason} when the request is not authentic,
     *     outside the tolerance, or too large
     */
    public Instant verify(byte[] payload, @Nullable String header) {
        checkSize(payload.length);
        if (header == null) {
            throw new SignatureException(Reason.MISSING_HEADER, "no Stripe-Signature header");
        }
        SignatureHeader parsed = SignatureHeader.parse(header);
        if (!matchesAnySecret(parsed, payload)) {
            throw new SignatureException(Reason.NO_MATCH,
                    "no v1 signature matched any of the " + keys.size() + " configured secret(s)");
        }
        Instant signedAt = Instant.ofEpochSecond(parsed.timestamp());
        checkTolerance(signedAt);
        return signedAt;
    }

    /** Rejects a body larger than the limit; callers that stream the body check before reading it all. */
    public void checkSize(long payloadBytes) {
        if (payloadBytes > maxPayloadBytes) {
            throw new SignatureException(Reason.PAYLOAD_TOO_LARGE,
                    "body is " + payloadBytes + " bytes, more than the limit of " + maxPayloadBytes);
        }
    }

    /** The configured body size limit in bytes. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    private boolean matchesAnySecret(SignatureHeader header, byte[] payload) {
        byte[] prefix = timestampPrefix(header.timestamp());
        List<byte[]> candidates = new ArrayList<>(header.v1Signatures().size());
        for (String v1 : header.v1Signatures()) {
            byte[] decoded = Hex.decode(v1, SHA256_BYTES);
            if (decoded != null) {
                candidates.add(decoded);
            }
        }
        if (candidates.isEmpty()) {
            return false;
        }
        Mac[] keyed = macs.get();
        boolean matched = false;
        for (Mac mac : keyed) {
            byte[] expected = hmac(mac, prefix, payload);
            for (byte[] candidate : candidates) {
                // Keep going after a match: the time taken must not depend on which pair matched.
                matched |= MessageDigest.isEqual(expected, candidate);
            }
        }
        return matched;
    }

    private void checkTolerance(Instant signedAt) {
        if (tolerance.isZero() || tolerance.isNegative()) {
            return; // the time check is disabled; the signature above was still checked
        }
        // In seconds and nanoseconds rather than now.minus(tolerance): Duration arithmetic on an
        // Instant goes through TemporalUnit and costs more than the rest of this check, per delivery.
        Instant now = clock.instant();
        long nowSeconds = now.getEpochSecond();
        int nowNanos = now.getNano();
        long behind = nowSeconds - signedAt.getEpochSecond(); // signedAt has no fraction
        if (exceedsTolerance(behind, nowNanos)) {
            throw new SignatureException(Reason.TIMESTAMP_TOO_OLD,
                    "signature timestamp " + signedAt + " is older than the tolerance of " + tolerance);
        }
        long ahead = -behind;
        int aheadNanos = 0;
        if (nowNanos > 0) {
            ahead--;
            aheadNanos = 1_000_000_000 - nowNanos;
        }
        if (exceedsTolerance(ahead, aheadNanos)) {
            throw new SignatureException(Reason.TIMESTAMP_IN_FUTURE,
                    "signature timestamp " + signedAt + " is further in the future than the tolerance of " + tolerance);
        }
    }

    /** Whether {@code seconds} s + {@code nanos} ns (0 ≤ nanos < 10⁹) is longer than the tolerance. */
    private boolean exceedsTolerance(long seconds, int nanos) {
        return seconds > tolerance.getSeconds() || (seconds == tolerance.getSeconds() && nanos > tolerance.getNano());
    }

    /** {@code t + "."} in ASCII, the start of the signed text. */
    private static byte[] timestampPrefix(long t) {
        int digits = 1;
        for (long v = t / 10; v > 0; v /= 10) {
            digits++;
        }
        byte[] prefix = new byte[digits + 1];
        prefix[digits] = '.';
        long v = t;
        for (int i = digits - 1; i >= 0; i--) {
            prefix[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return prefix;
    }

    private static byte[] hmac(Mac mac, byte[] prefix, byte[] payload) {
        mac.reset(); // cheap, and no state from a computation an error cut short can leak into this one
        mac.update(prefix);
        mac.update(payload);
        return mac.doFinal();
    }

    private Mac[] newMacs() {
        Mac[] keyed = new Mac[keys.size()];
        for (int i = 0; i < keyed.length; i++) {
            try {
                keyed[i] = Mac.getInstance("HmacSHA256");
                keyed[i].init(keys.get(i));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM has no HmacSHA256, or it rejected a configured key", e);
            }
        }
        return keyed;
    }

    /**
     * Builder for {@link SignatureVerifier}; every setter validates its argument and
     * {@link #build()} fails with a {@link HookwiseConfigurationException} that says what to change.
     */
    public static final class Builder {
        private List<String> secrets = List.of();
        private Duration tolerance = DEFAULT_TOLERANCE;
        private Clock clock = Clock.systemUTC();
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;

        private Builder() {}

        /** The endpoint's signing secrets ({@code whsec_…}); several while a secret is rolled. */
        public Builder secrets(String... values) {
            return secrets(List.of(values));
        }

        /** The endpoint's signing secrets ({@code whsec_…}); several while a secret is rolled. */
        public Builder secrets(List<String> values) {
            List<String> copy = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                String s = values.get(i);
                if (s == null || s.isBlank()) {
                    throw new HookwiseConfigurationException("signing secret #" + (i + 1) + " is empty: copy the"
                            + " endpoint's secret (whsec_…) from the Stripe Dashboard or `stripe listen`");
                }
                String trimmed = s.trim();
                if (!trimmed.startsWith("whsec_")) {
                    throw new HookwiseConfigurationException("signing secret #" + (i + 1)
                            + " does not start with whsec_: use the webhook endpoint's signing secret,"
                            + " not an API key (the value is not shown here)");
                }
                copy.add(trimmed);
            }
            this.secrets = List.copyOf(copy);
            return this;
        }

        /** How far the signature timestamp may be from now, either way; zero or negative disables the time check only. */
        public Builder tolerance(Duration value) {
            this.tolerance = Objects.requireNonNull(value, "tolerance");
            return this;
        }

        /** The time source; tests inject a fixed clock. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The largest body accepted, in bytes; at least 1. */
        public Builder maxPayloadBytes(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("maxPayloadBytes must be >= 1, but was " + value);
            }
            this.maxPayloadBytes = value;
            return this;
        }

        public SignatureVerifier build() {
            if (secrets.isEmpty()) {
                throw new HookwiseConfigurationException("no signing secret configured: set the endpoint's"
                        + " secret (whsec_…) from the Stripe Dashboard, or from `stripe listen` in development");
            }
            return new SignatureVerifier(this);
        }
    }
}
