package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.policy.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 10,000 seeded cases of random and mutated headers and bodies. Mutated bodies are signed
 * correctly half of the time, so the envelope parser sees them too. The pipeline must never answer
 * 5xx, never throw, and always name an outcome.
 */
class BadInputFuzzTest {
    private static final long SEED = 0x5EED_2026L;
    private static final int CASES = 10_000;

    private static final String[] FRAGMENTS = {
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "null", "true", "false", "-1", "1e999",
        "\"id\"", "\"type\"", "\"created\"", "\"object\"", "\"data\"", "\"evt_1\"", "\"v2.core.event\"",
        "ü", "日本", "\uD83C\uDF89", "\n", " ", "99999999999999999999999", "\"2026-01-01T00:00:00Z\""
    };

    @Test
    void randomAndMutatedRequestsNeverCauseServerErrors() {
        Random random = new Random(SEED);
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .maxPayloadBytes(4096)
                .retryPolicy(RetryPolicy.none())
                .handlers(HandlerRegistry.builder()
                        .on("payment_intent.*", com.stripe.model.PaymentIntent.class, (pi, ctx) -> pi.getAmount())
                        .onAny(ctx -> ctx.envelope().dataObject())
                        .build())
                .build();
        byte[] valid = TestEvents.event("evt_fuzz", "payment_intent.succeeded", NOW);
        Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);

        for (int i = 0; i < CASES; i++) {
            byte[] body = body(random, valid, i);
            String header = header(random, body);
            WebhookResponse r;
            try {
                r = p.process(WebhookRequest.of(body, header));
            } catch (RuntimeException e) {
                throw new AssertionError("case " + i + " threw " + e, e);
            }
            assertThat(r.status()).as("case %d (%s)", i, r.outcome()).isLessThan(500);
            assertThat(r.outcome()).isNotNull();
            assertThat(r.body()).startsWith("{\"outcome\":\"" + r.outcome().code() + "\"");
            seen.merge(r.outcome(), 1, Integer::sum);
        }

        // The generator reaches every stage of the pipeline, not just the signature check.
        assertThat(seen).containsKeys(Outcome.SIGNATURE_MISSING, Outcome.SIGNATURE_MALFORMED,
                Outcome.SIGNATURE_NO_MATCH, Outcome.MALFORMED_EVENT, Outcome.PROCESSED, Outcome.PAYLOAD_TOO_LARGE);
    }

    private static byte[] body(Random random, byte[] valid, int i) {
        switch (random.nextInt(6)) {
            case 0: {
                byte[] b = new byte[random.nextInt(300)];
                random.nextBytes(b);
                return b;
            }
            case 1: {
                byte[] b = valid.clone();
                for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                return b;
            }
            case 2:
                return java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 1));
            case 3: {
                StringBuilder s = new StringBuilder();
                for (int k = 0, n = random.nextInt(40); k < n; k++) {
                    s.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                }
                return s.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 4: {
                String s = new String(valid, StandardCharsets.UTF_8)
                        .replace("evt_fuzz", "evt_fuzz_" + i)
                        .replace("\"created\":" + NOW.getEpochSecond(), "\"created\":" + FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                return s.getBytes(StandardCharsets.UTF_8);
            }
            default:
                return random.nextInt(20) == 0 ? new byte[5000]
                        : new String(valid, StandardCharsets.UTF_8).replace("evt_fuzz", "evt_ok_" + i).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String header(Random random, byte[] body) {
        switch (random.nextInt(8)) {
            case 0:
                return null;
            case 1:
                return "";
            case 2: {
                StringBuilder s = new StringBuilder();
                for (int k = 0, n = random.nextInt(80); k < n; k++) {
                    s.append((char) (32 + random.nextInt(95)));
                }
                return s.toString();
            }
            case 3: {
                String h = TestEvents.header(SECRET, NOW, body);
                char[] c = h.toCharArray();
                c[random.nextInt(c.length)] = (char) (32 + random.nextInt(95));
                return new String(c);
            }
            case 4:
                return TestEvents.header(SECRET, NOW.minus(Duration.ofSeconds(random.nextInt(100_000) - 50_000)), body);
            default:
                return TestEvents.header(SECRET, NOW, body);
        }
    }
}
