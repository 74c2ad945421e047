package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.net.Webhook;
import dev.hookwise.core.signature.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Hookwise and stripe-java agree on what a valid signature is, in both directions. */
class StripeJavaCompatibilityTest {

    @Test
    void headerGeneratedByStripeJavaVerifiesInHookwise() throws Exception {
        long now = Instant.now().getEpochSecond();
        byte[] body = TestEvents.event("evt_compat_1", "payment_intent.succeeded", Instant.ofEpochSecond(now));
        String payload = new String(body, StandardCharsets.UTF_8);

        String header = Webhook.Signature.generateSignatureHeader(payload, SECRET, now);

        SignatureVerifier verifier = SignatureVerifier.builder().secrets(SECRET).build();
        assertThat(verifier.verify(body, header)).isEqualTo(Instant.ofEpochSecond(now));
    }

    @Test
    void headerComputedWithStripeJavasHmacVerifiesInHookwise() throws Exception {
        long now = Instant.now().getEpochSecond();
        byte[] body = TestEvents.event("evt_compat_2", "charge.refunded", Instant.ofEpochSecond(now));
        String payload = new String(body, StandardCharsets.UTF_8);
        String v1 = Webhook.Util.computeHmacSha256(SECRET, now + "." + payload);

        SignatureVerifier verifier = SignatureVerifier.builder().secrets(SECRET).build();
        assertThat(verifier.verify(body, "t=" + now + ",v1=" + v1)).isEqualTo(Instant.ofEpochSecond(now));
    }

    @Test
    void headerThatHookwiseAcceptsIsAcceptedByStripeJava() throws Exception {
        Instant now = Instant.now();
        byte[] body = TestEvents.event("evt_compat_3", "payment_intent.succeeded", now);
        String header = TestEvents.header(SECRET, now, body);
        SignatureVerifier.builder().secrets(SECRET).build().verify(body, header);

        Event event = Webhook.constructEvent(new String(body, StandardCharsets.UTF_8), header, SECRET);

        assertThat(event.getId()).isEqualTo("evt_compat_3");
        assertThat(event.getDataObjectDeserializer().getObject()).get().isInstanceOf(PaymentIntent.class);
    }
}
