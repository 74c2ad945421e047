package dev.hookwise.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Small helpers for core tests (the testkit depends on core, so core cannot use it). */
final class TestEvents {
    static final String SECRET = "whsec_test_secret_0123456789";
    static final String OTHER_SECRET = "whsec_other_secret_9876543210";
    static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");

    private TestEvents() {}

    static String hmacHex(String secret, long t, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            byte[] out = mac.doFinal(payload);
            StringBuilder hex = new StringBuilder();
            for (byte b : out) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String header(String secret, Instant at, byte[] payload) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + hmacHex(secret, t, payload);
    }

    static byte[] event(String id, String type, Instant created) {
        return event(id, type, created, "{\"id\":\"pi_123\",\"object\":\"payment_intent\",\"amount\":2000,"
                + "\"currency\":\"eur\",\"status\":\"succeeded\",\"metadata\":{\"order_id\":\"ord_1\"}}");
    }

    static byte[] event(String id, String type, Instant created, String dataObject) {
        String json = "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"" + com.stripe.Stripe.API_VERSION
                + "\",\"created\":" + created.getEpochSecond() + ",\"data\":{\"object\":" + dataObject
                + "},\"livemode\":false,\"pending_webhooks\":1,\"request\":{\"id\":\"req_abc\",\"idempotency_key\":\"ik_1\"},"
                + "\"type\":\"" + type + "\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
