package dev.hookwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.hookwise.core.signature.SignatureException;
import dev.hookwise.core.signature.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    private static final String SECRET = "whsec_testkit_signer_secret";
    private static final String OLD_SECRET = "whsec_testkit_previous_secret";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final WebhookSigner signer = WebhookSigner.forSecret(SECRET);
    private final TestEvent event = StripeEventFactory.create(clock, 3).paymentIntentSucceeded().build();
    private final SignatureVerifier verifier = SignatureVerifier.builder().secrets(SECRET).clock(clock).build();

    @Test
    void headerHasTimestampAndOneV1() {
        String header = signer.sign(event, NOW);

        assertThat(header).matches("t=" + NOW.getEpochSecond() + ",v1=[0-9a-f]{64}");
    }

    @Test
    void stripeJavaAcceptsTheHeader() throws Exception {
        String header = signer.sign(event, NOW);

        Event parsed = Webhook.constructEvent(event.json(), header, SECRET, 300, clock);

        assertThat(parsed.getId()).isEqualTo(event.id());
        assertThat(parsed.getType()).isEqualTo("payment_intent.succeeded");
    }

    @Test
    void stripeJavaAcceptsTheHeaderAgainstTheSystemClock() throws Exception {
        String header = signer.sign(event, Instant.now());

        assertThat(Webhook.constructEvent(event.json(), header, SECRET).getId()).isEqualTo(event.id());
    }

    @Test
    void hookwiseVerifierAcceptsTheHeader() {
        assertThat(verifier.verify(event.bytes(), signer.sign(event, NOW))).isEqualTo(NOW);
    }

    @Test
    void signsArbitraryBytesExactly() {
        byte[] body = "{\"id\":\"evt_1\",\"note\":\"ü\"}".getBytes(StandardCharsets.UTF_8);

        String header = signer.sign(body, NOW);

        assertThat(verifier.verify(body, header)).isEqualTo(NOW);
        byte[] altered = "{\"id\":\"evt_1\",\"note\":\"u\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifier.verify(altered, header)).isInstanceOf(SignatureException.class)
                .extracting(e -> ((SignatureException) e).kind()).isEqualTo(SignatureException.Reason.NO_MATCH);
    }

    @Test
    void rotationHeaderIsAcceptedWithEitherSecret() throws Exception {
        String header = signer.sign(event, NOW, WebhookSigner.Options.defaults().alsoSignedWith(OLD_SECRET));
        SignatureVerifier oldOnly = SignatureVerifier.builder().secrets(OLD_SECRET).clock(clock).build();

        assertThat(header.split(",")).hasSize(3).filteredOn(p -> p.startsWith("v1=")).hasSize(2);
        assertThat(verifier.verify(event.bytes(), header)).isEqualTo(NOW);
        assertThat(oldOnly.verify(event.bytes(), header)).isEqualTo(NOW);
        assertThat(Webhook.constructEvent(event.json(), header, OLD_SECRET, 300, clock).getId()).isEqualTo(event.id());
    }

    @Test
    void v0EntryIsIgnoredByBothVerifiers() throws Exception {
        String header = signer.sign(event, NOW, WebhookSigner.Options.defaults().withV0());

        assertThat(header).contains(",v0=");
        assertThat(verifier.verify(event.bytes(), header)).isEqualTo(NOW);
        assertThat(Webhook.constructEvent(event.json(), header, SECRET, 300, clock).getId()).isEqualTo(event.id());
    }

    @Test
    void onlyV0IsNotEnough() {
        String header = signer.sign(event, NOW, WebhookSigner.Options.defaults().withoutV1().withV0());

        assertThat(header).doesNotContain("v1=");
        assertThatThrownBy(() -> verifier.verify(event.bytes(), header)).isInstanceOf(SignatureException.class);
        assertThatThrownBy(() -> Webhook.constructEvent(event.json(), header, SECRET, 300, clock))
                .isInstanceOf(SignatureVerificationException.class);
    }

    @Test
    void garbageExtraV1DoesNotHideTheValidOne() {
        String header = signer.sign(event, NOW, WebhookSigner.Options.defaults().withExtraV1("zz-not-hex"));

        assertThat(verifier.verify(event.bytes(), header)).isEqualTo(NOW);
    }

    @Test
    void wrongSecretIsRejectedByBothVerifiers() {
        String header = signer.sign(event, NOW, WebhookSigner.Options.defaults().wrongSecret());

        assertThatThrownBy(() -> verifier.verify(event.bytes(), header))
                .isInstanceOf(SignatureException.class)
                .extracting(e -> ((SignatureException) e).kind()).isEqualTo(SignatureException.Reason.NO_MATCH);
        assertThatThrownBy(() -> Webhook.constructEvent(event.json(), header, SECRET, 300, clock))
                .isInstanceOf(SignatureVerificationException.class);
    }

    @Test
    void oldSignatureIsRejectedOutsideTheTolerance() {
        String header = signer.sign(event, NOW, WebhookSigner.Options.defaults().olderBy(Duration.ofMinutes(6)));

        assertThat(header).startsWith("t=" + NOW.minusSeconds(360).getEpochSecond() + ",");
        assertThatThrownBy(() -> verifier.verify(event.bytes(), header))
                .isInstanceOf(SignatureException.class)
                .extracting(e -> ((SignatureException) e).kind())
                .isEqualTo(SignatureException.Reason.TIMESTAMP_TOO_OLD);
        assertThatThrownBy(() -> Webhook.constructEvent(event.json(), header, SECRET, 300, clock))
                .isInstanceOf(SignatureVerificationException.class).hasMessageContaining("tolerance");
    }

    @Test
    void editedTimestampBreaksTheSignature() {
        String header = signer.sign(event, NOW.minus(Duration.ofHours(1)),
                WebhookSigner.Options.defaults().headerTimestamp(NOW));

        assertThatThrownBy(() -> verifier.verify(event.bytes(), header))
                .isInstanceOf(SignatureException.class)
                .extracting(e -> ((SignatureException) e).kind()).isEqualTo(SignatureException.Reason.NO_MATCH);
    }

    @Test
    void signerClockAndRequestHelper() {
        WebhookSigner clocked = signer.withClock(clock);

        assertThat(clocked.sign(event)).isEqualTo(signer.sign(event, NOW));
        assertThat(clocked.request(event).body()).isEqualTo(event.bytes());
        assertThat(verifier.verify(event.bytes(), clocked.request(event).signatureHeader())).isEqualTo(NOW);
    }

    @Test
    void rejectsNonWhsecSecretsWithoutEchoingThem() {
        assertThatThrownBy(() -> WebhookSigner.forSecret("sk_test_leaky"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whsec_")
                .hasMessageNotContaining("leaky");
        assertThatThrownBy(() -> WebhookSigner.Options.defaults().alsoSignedWith("nope"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(signer.toString()).doesNotContain("signer_secret");
    }
}
