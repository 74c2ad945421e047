package dev.hookwise.jdbc.multi;

import com.stripe.net.Webhook;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookRequest;
import dev.hookwise.core.spi.IdempotencyStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Realistic Stripe event bodies with a known id scheme, signed by stripe-java exactly as Stripe
 * signs them, so both JVMs of a test build the same events independently.
 */
public final class SignedEvents {

    /** The endpoint secret of the tests (not a real one). */
    public static final String SECRET = "whsec_hookwise_multi_instance_test";

    private SignedEvents() {}

    /**
     * A processor of the tests' signed deliveries into {@code store}, every event to {@code handler};
     * the caller adds its mode, clock, lease and instance id.
     */
    public static WebhookProcessor.Builder processor(IdempotencyStore store, WebhookHandler handler) {
        return WebhookProcessor.builder()
                .signingSecrets(SECRET)
                .store(store)
                .handlers(HandlerRegistry.builder().onAny(handler).build());
    }

    /** The id of event {@code index} of a run. */
    public static String id(String run, int index) {
        return "evt_" + run + "_" + index;
    }

    /** A snapshot {@code payment_intent.succeeded} event. */
    public static String payload(String run, int index, Instant created) {
        return "{\n  \"id\": \"" + id(run, index) + "\",\n  \"object\": \"event\",\n"
                + "  \"api_version\": \"2026-07-29.dahlia\",\n  \"created\": " + created.getEpochSecond() + ",\n"
                + "  \"data\": {\n    \"object\": {\n      \"id\": \"pi_" + run + "_" + index + "\",\n"
                + "      \"object\": \"payment_intent\",\n      \"amount\": " + (1000 + index) + ",\n"
                + "      \"currency\": \"eur\",\n      \"status\": \"succeeded\"\n    }\n  },\n"
                + "  \"livemode\": false,\n  \"pending_webhooks\": 1,\n"
                + "  \"request\": {\n    \"id\": null,\n    \"idempotency_key\": null\n  },\n"
                + "  \"type\": \"payment_intent.succeeded\"\n}";
    }

    /** A delivery of {@code payload} signed at {@code signedAt}. */
    public static WebhookRequest sign(String payload, Instant signedAt) {
        try {
            String header = Webhook.Signature.generateSignatureHeader(payload, SECRET, signedAt.getEpochSecond());
            return WebhookRequest.of(payload.getBytes(StandardCharsets.UTF_8), header);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a test event", e);
        }
    }

    /**
     * Every event of a run, each {@code copies} times in a row (so copies run concurrently on a
     * thread pool), signed now with stripe-java's current-time variant.
     */
    public static List<WebhookRequest> deliveries(String run, int events, int copies) {
        List<WebhookRequest> out = new ArrayList<>(events * copies);
        Instant created = Instant.now();
        for (int i = 0; i < events; i++) {
            String payload = payload(run, i, created);
            WebhookRequest request;
            try {
                String header = Webhook.Signature.generateSignatureHeader(payload, SECRET);
                request = WebhookRequest.of(payload.getBytes(StandardCharsets.UTF_8), header);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign a test event", e);
            }
            for (int c = 0; c < copies; c++) {
                out.add(request);
            }
        }
        return out;
    }
}
