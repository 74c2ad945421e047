package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.OTHER_SECRET;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static dev.hookwise.core.TestEvents.hmacHex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.signature.SignatureException.Reason;
import dev.hookwise.core.signature.SignatureException;
import dev.hookwise.core.signature.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final byte[] BODY = TestEvents.event("evt_1", "payment_intent.succeeded", NOW);
    private static final long T = NOW.getEpochSecond();

    private final SignatureVerifier verifier = verifier(SECRET);

    private static SignatureVerifier verifier(String... secrets) {
        return SignatureVerifier.builder().secrets(secrets).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    private static void assertRejected(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(SignatureException.class, e -> {
                    assertThat(e.kind()).isEqualTo(reason);
                    assertThat(e.reason()).isEqualTo(reason.outcome().code());
                    assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(hmacHex(SECRET, T, BODY));
                });
    }

    @Test
    void acceptsValidSignature() {
        assertThat(verifier.verify(BODY, header(SECRET, NOW, BODY))).isEqualTo(NOW);
    }

    @Test
    void acceptsWhenOneOfSeveralV1Matches() {
        String h = "t=" + T + ",v1=" + hmacHex(OTHER_SECRET, T, BODY) + ",v1=" + hmacHex(SECRET, T, BODY);
        assertThat(verifier.verify(BODY, h)).isEqualTo(NOW);
    }

    @Test
    void ignoresV0NextToValidV1() {
        String h = "t=" + T + ",v1=" + hmacHex(SECRET, T, BODY) + ",v0=" + "ab".repeat(32);
        assertThat(verifier.verify(BODY, h)).isEqualTo(NOW);
    }

    @Test
    void rejectsHeaderWithOnlyV0() {
        // Even a v0 that is the correct HMAC does not count: only v1 is Stripe's signature scheme.
        String h = "t=" + T + ",v0=" + hmacHex(SECRET, T, BODY);
        assertRejected(() -> verifier.verify(BODY, h), Reason.NO_V1_SIGNATURE);
    }

    @Test
    void rejectsWrongSecret() {
        assertRejected(() -> verifier.verify(BODY, header(OTHER_SECRET, NOW, BODY)), Reason.NO_MATCH);
    }

    @Test
    void acceptsEitherOfTwoConfiguredSecrets() {
        SignatureVerifier rotating = verifier(SECRET, OTHER_SECRET);
        assertThat(rotating.verify(BODY, header(SECRET, NOW, BODY))).isEqualTo(NOW);
        assertThat(rotating.verify(BODY, header(OTHER_SECRET, NOW, BODY))).isEqualTo(NOW);
    }

    @Test
    void rejectsTimestampOlderThanTolerance() {
        Instant old = NOW.minus(Duration.ofSeconds(301));
        assertRejected(() -> verifier.verify(BODY, header(SECRET, old, BODY)), Reason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void acceptsTimestampAtTheToleranceEdge() {
        Instant edge = NOW.minus(Duration.ofSeconds(300));
        assertThat(verifier.verify(BODY, header(SECRET, edge, BODY))).isEqualTo(edge);
    }

    @Test
    void rejectsTimestampTooFarInTheFuture() {
        Instant future = NOW.plus(Duration.ofSeconds(301));
        assertRejected(() -> verifier.verify(BODY, header(SECRET, future, BODY)), Reason.TIMESTAMP_IN_FUTURE);
    }

    @Test
    void toleranceEdgesHoldToTheNanosecond() {
        // now has a fraction of a second; signatures carry whole seconds
        Instant now = NOW.plusMillis(500);
        SignatureVerifier v = SignatureVerifier.builder().secrets(SECRET).clock(Clock.fixed(now, ZoneOffset.UTC))
                .tolerance(Duration.ofSeconds(300).plusMillis(500)).build();
        Instant oldest = NOW.minusSeconds(300); // exactly the tolerance behind now
        Instant latest = NOW.plusSeconds(301); // exactly the tolerance ahead of now

        assertThat(v.verify(BODY, header(SECRET, oldest, BODY))).isEqualTo(oldest);
        assertThat(v.verify(BODY, header(SECRET, latest, BODY))).isEqualTo(latest);
        assertRejected(() -> v.verify(BODY, header(SECRET, oldest.minusSeconds(1), BODY)), Reason.TIMESTAMP_TOO_OLD);
        assertRejected(() -> v.verify(BODY, header(SECRET, latest.plusSeconds(1), BODY)), Reason.TIMESTAMP_IN_FUTURE);

        SignatureVerifier tight = SignatureVerifier.builder().secrets(SECRET).clock(Clock.fixed(now, ZoneOffset.UTC))
                .tolerance(Duration.ofMillis(400)).build();
        // 0.5 s behind and 0.5 s ahead are both beyond 0.4 s
        assertRejected(() -> tight.verify(BODY, header(SECRET, NOW, BODY)), Reason.TIMESTAMP_TOO_OLD);
        assertRejected(() -> tight.verify(BODY, header(SECRET, NOW.plusSeconds(1), BODY)), Reason.TIMESTAMP_IN_FUTURE);
    }

    @Test
    void disabledToleranceSkipsTimeCheckButNotSignature() {
        SignatureVerifier lenient = SignatureVerifier.builder().secrets(SECRET).tolerance(Duration.ZERO)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        Instant ancient = NOW.minus(Duration.ofDays(400));

        assertThat(lenient.verify(BODY, header(SECRET, ancient, BODY))).isEqualTo(ancient);
        assertRejected(() -> lenient.verify(BODY, header(OTHER_SECRET, ancient, BODY)), Reason.NO_MATCH);
    }

    @Test
    void rejectsMissingHeader() {
        assertRejected(() -> verifier.verify(BODY, null), Reason.MISSING_HEADER);
    }

    @Test
    void rejectsEmptyHeader() {
        assertRejected(() -> verifier.verify(BODY, ""), Reason.MISSING_HEADER);
        assertRejected(() -> verifier.verify(BODY, "   "), Reason.MISSING_HEADER);
    }

    @Test
    void rejectsHeaderWithoutTimestamp() {
        assertRejected(() -> verifier.verify(BODY, "v1=" + hmacHex(SECRET, T, BODY)), Reason.MALFORMED_HEADER);
    }

    @Test
    void rejectsNonNumericTimestamp() {
        assertRejected(() -> verifier.verify(BODY, "t=abc,v1=" + hmacHex(SECRET, T, BODY)), Reason.MALFORMED_HEADER);
        assertRejected(() -> verifier.verify(BODY, "t=-5,v1=" + hmacHex(SECRET, T, BODY)), Reason.MALFORMED_HEADER);
        assertRejected(() -> verifier.verify(BODY, "t=99999999999999999999,v1=x"), Reason.MALFORMED_HEADER);
    }

    @Test
    void toleratesUnknownKeysAndSpaces() {
        String h = " t = " + T + " , foo=bar, v1= " + hmacHex(SECRET, T, BODY) + " ,  x-extra=1";
        assertThat(verifier.verify(BODY, h)).isEqualTo(NOW);
    }

    @Test
    void rejectsV1ThatIsNotHex() {
        assertRejected(() -> verifier.verify(BODY, "t=" + T + ",v1=zz" + "0".repeat(62)), Reason.NO_MATCH);
        assertRejected(() -> verifier.verify(BODY, "t=" + T + ",v1=abc"), Reason.NO_MATCH);
    }

    @Test
    void verifiesExactBytesOfNonAsciiBody() {
        byte[] body = TestEvents.event("evt_ü", "customer.updated", NOW,
                "{\"id\":\"cus_1\",\"object\":\"customer\",\"name\":\"Zoë Ångström 日本 🎉\"}");
        String h = header(SECRET, NOW, body);
        assertThat(verifier.verify(body, h)).isEqualTo(NOW);

        // The same text re-encoded differently (NFD instead of NFC) is a different byte string.
        String nfd = java.text.Normalizer.normalize(new String(body, StandardCharsets.UTF_8), java.text.Normalizer.Form.NFD);
        assertRejected(() -> verifier.verify(nfd.getBytes(StandardCharsets.UTF_8), h), Reason.NO_MATCH);
    }

    @Test
    void rejectsBodyChangedByOneByte() {
        String h = header(SECRET, NOW, BODY);
        for (int i : new int[] {0, BODY.length / 2, BODY.length - 1}) {
            byte[] changed = BODY.clone();
            changed[i] ^= 0x01;
            assertRejected(() -> verifier.verify(changed, h), Reason.NO_MATCH);
        }
    }

    @Test
    void rejectsBodyOverTheLimitBeforeLookingAtTheHeader() {
        SignatureVerifier small = SignatureVerifier.builder().secrets(SECRET).maxPayloadBytes(100)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        byte[] body = new byte[101];
        assertRejected(() -> small.verify(body, header(SECRET, NOW, body)), Reason.PAYLOAD_TOO_LARGE);
        assertThat(small.verify(new byte[100], header(SECRET, NOW, new byte[100]))).isEqualTo(NOW);
    }

    @Test
    void rejectsDuplicateTimestamp() {
        String h = "t=" + T + ",t=" + (T + 1) + ",v1=" + hmacHex(SECRET, T, BODY);
        assertRejected(() -> verifier.verify(BODY, h), Reason.MALFORMED_HEADER);
    }

    @Test
    void refusesToBuildWithoutSecret() {
        assertThatThrownBy(() -> SignatureVerifier.builder().build())
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("no signing secret");
    }

    @Test
    void refusesSecretThatIsNotWhsecAndDoesNotEchoIt() {
        assertThatThrownBy(() -> SignatureVerifier.builder().secrets("sk_live_very_secret_key"))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("whsec_")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk_live_very_secret_key"));
    }

    @Test
    void refusesEmptySecretAndBadPayloadLimit() {
        assertThatThrownBy(() -> SignatureVerifier.builder().secrets(" "))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> SignatureVerifier.builder().maxPayloadBytes(0))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("maxPayloadBytes must be >= 1, but was 0");
    }
}
