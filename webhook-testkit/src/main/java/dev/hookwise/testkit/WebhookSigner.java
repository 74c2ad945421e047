package dev.hookwise.testkit;

import dev.hookwise.core.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Writes the {@code Stripe-Signature} header Stripe would send for a body:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body" with the endpoint secret>}. Both
 * stripe-java's {@code Webhook.constructEvent} and Hookwise's {@code SignatureVerifier} accept it.
 *
 * <pre>{@code
 * WebhookSigner signer = WebhookSigner.forSecret("whsec_test_secret");
 * String header = signer.sign(event, clock.instant());
 * WebhookResponse answer = processor.process(WebhookRequest.of(event.bytes(), header));
 * }</pre>
 *
 * <p>{@link Options} produce the headers a verifier must also get right: a second {@code v1} (secret
 * rotation), a {@code v0} entry (ignored by verifiers), a signature made with the wrong secret, an
 * old signature, or a header whose {@code t} differs from the signed time (a replay with an edited
 * timestamp). Immutable and thread-safe; {@link #toString()} never shows the secret.
 */
public final class WebhookSigner {
    private final String secret;
    private final Clock clock;

    private WebhookSigner(String secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    /**
     * A signer for an endpoint secret.
     *
     * @throws IllegalArgumentException when the value is not a {@code whsec_…} secret (the message does
     *     not repeat the value)
     */
    public static WebhookSigner forSecret(String whsecSecret) {
        return new WebhookSigner(checkSecret(whsecSecret, "secret"), Clock.systemUTC());
    }

    /** The same signer, taking "now" from {@code clock} in {@link #sign(TestEvent)} and {@link #request(TestEvent)}. */
    public WebhookSigner withClock(Clock value) {
        return new WebhookSigner(secret, Objects.requireNonNull(value, "clock"));
    }

    /** The endpoint secret, to configure the processor under test with the same value. */
    public String secret() {
        return secret;
    }

    /** The header for {@code payload} signed at {@code at}. */
    public String sign(byte[] payload, Instant at) {
        return sign(payload, at, Options.DEFAULT);
    }

    /** The header for the event's exact bytes signed at {@code at}. */
    public String sign(TestEvent event, Instant at) {
        return sign(event.bytes(), at);
    }

    /** The header for the event signed at the signer's clock's now. */
    public String sign(TestEvent event) {
        return sign(event.bytes(), clock.instant());
    }

    /** The header for the event signed at {@code at}, shaped by {@code options}. */
    public String sign(TestEvent event, Instant at, Options options) {
        return sign(event.bytes(), at, options);
    }

    /**
     * The header for {@code payload} signed at {@code at}, shaped by {@code options}.
     *
     * <pre>{@code
     * String rotated = signer.sign(body, now, WebhookSigner.Options.defaults().alsoSignedWith("whsec_old"));
     * }</pre>
     */
    public String sign(byte[] payload, Instant at, Options options) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(options, "options");
        long signedAt = at.minus(options.age).getEpochSecond();
        long headerT = options.headerTimestamp != null ? options.headerTimestamp.getEpochSecond() : signedAt;
        List<String> parts = new ArrayList<>();
        parts.add("t=" + headerT);
        if (options.includeV1) {
            String key = options.wrongSecret ? "whsec_wrong_" + Integer.toHexString(secret.hashCode()) : secret;
            parts.add("v1=" + hmacHex(key, signedAt, payload));
        }
        for (String other : options.additionalSecrets) {
            parts.add("v1=" + hmacHex(other, signedAt, payload));
        }
        for (String raw : options.rawV1) {
            parts.add("v1=" + raw);
        }
        if (options.v0) {
            // v0 is a scheme verifiers must ignore; Stripe sends it in test mode. Any hex will do.
            parts.add("v0=" + hmacHex("whsec_v0_scheme", signedAt, payload));
        }
        return String.join(",", parts);
    }

    /** A {@link WebhookRequest} with the event's bytes and a header signed at the signer's clock's now. */
    public WebhookRequest request(TestEvent event) {
        return WebhookRequest.of(event.bytes(), sign(event));
    }

    /** A {@link WebhookRequest} with the event's bytes and a header signed at {@code at}. */
    public WebhookRequest request(TestEvent event, Instant at) {
        return WebhookRequest.of(event.bytes(), sign(event, at));
    }

    /** A {@link WebhookRequest} with the event's bytes and a header shaped by {@code options}. */
    public WebhookRequest request(TestEvent event, Instant at, Options options) {
        return WebhookRequest.of(event.bytes(), sign(event, at, options));
    }

    private static String hmacHex(String key, long timestamp, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            mac.update(payload);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot compute HmacSHA256", e);
        }
    }

    private static String checkSecret(@Nullable String value, String name) {
        if (value == null || !value.startsWith("whsec_") || value.length() == "whsec_".length()) {
            throw new IllegalArgumentException(name + " must be a webhook signing secret starting with whsec_"
                    + " (the value is not shown here)");
        }
        return value;
    }

    @Override
    public String toString() {
        return "WebhookSigner[secret=whsec_…]";
    }

    /**
     * How to shape a signature header beyond the plain {@code t=…,v1=…}. Immutable; each method
     * returns a changed copy.
     *
     * <pre>{@code
     * Options rotation = Options.defaults().alsoSignedWith("whsec_previous");
     * Options forged   = Options.defaults().wrongSecret();
     * Options stale    = Options.defaults().olderBy(Duration.ofMinutes(10));
     * Options noisy    = Options.defaults().withV0().withExtraV1("00ff");
     * }</pre>
     */
    public static final class Options {
        static final Options DEFAULT = new Options(true, List.of(), List.of(), false, false, Duration.ZERO, null);

        private final boolean includeV1;
        private final List<String> additionalSecrets;
        private final List<String> rawV1;
        private final boolean v0;
        private final boolean wrongSecret;
        private final Duration age;
        private final @Nullable Instant headerTimestamp;

        private Options(boolean includeV1, List<String> additionalSecrets, List<String> rawV1, boolean v0,
                boolean wrongSecret, Duration age, @Nullable Instant headerTimestamp) {
            this.includeV1 = includeV1;
            this.additionalSecrets = List.copyOf(additionalSecrets);
            this.rawV1 = List.copyOf(rawV1);
            this.v0 = v0;
            this.wrongSecret = wrongSecret;
            this.age = age;
            this.headerTimestamp = headerTimestamp;
        }

        /** The plain header: {@code t} and one {@code v1}. */
        public static Options defaults() {
            return DEFAULT;
        }

        /** Adds a {@code v1} made with another secret, as Stripe does while a secret is rolled. */
        public Options alsoSignedWith(String otherWhsecSecret) {
            List<String> secrets = new ArrayList<>(additionalSecrets);
            secrets.add(checkSecret(otherWhsecSecret, "otherWhsecSecret"));
            return new Options(includeV1, secrets, rawV1, v0, wrongSecret, age, headerTimestamp);
        }

        /** Adds a {@code v1} with exactly this value (garbage, a truncated hash, …). */
        public Options withExtraV1(String value) {
            List<String> raw = new ArrayList<>(rawV1);
            raw.add(Objects.requireNonNull(value, "value"));
            return new Options(includeV1, additionalSecrets, raw, v0, wrongSecret, age, headerTimestamp);
        }

        /** Adds a {@code v0} entry, which verifiers must ignore. */
        public Options withV0() {
            return new Options(includeV1, additionalSecrets, rawV1, true, wrongSecret, age, headerTimestamp);
        }

        /** Leaves out the signer's own {@code v1} (only {@code t}, plus whatever else is configured). */
        public Options withoutV1() {
            return new Options(false, additionalSecrets, rawV1, v0, wrongSecret, age, headerTimestamp);
        }

        /** Signs the main {@code v1} with a secret other than the signer's: a forgery. */
        public Options wrongSecret() {
            return new Options(includeV1, additionalSecrets, rawV1, v0, true, age, headerTimestamp);
        }

        /** Signs as of {@code age} before the given time: an old (replayed or delayed) signature. */
        public Options olderBy(Duration value) {
            Objects.requireNonNull(value, "age");
            return new Options(includeV1, additionalSecrets, rawV1, v0, wrongSecret, value, headerTimestamp);
        }

        /** Writes this {@code t} into the header while signing with the real time: a tampered timestamp. */
        public Options headerTimestamp(Instant value) {
            return new Options(includeV1, additionalSecrets, rawV1, v0, wrongSecret, age,
                    Objects.requireNonNull(value, "headerTimestamp"));
        }

        @Override
        public String toString() {
            return "Options[v1=" + includeV1 + ", additionalSecrets=" + additionalSecrets.size() + ", rawV1="
                    + rawV1.size() + ", v0=" + v0 + ", wrongSecret=" + wrongSecret + ", age=" + age
                    + ", headerTimestamp=" + headerTimestamp + "]";
        }
    }
}
