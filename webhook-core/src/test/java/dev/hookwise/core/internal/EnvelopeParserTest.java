package dev.hookwise.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.MalformedEventException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte-level envelope parser against the Jackson streaming parser it replaced
 * ({@link JacksonEnvelopeReference}): on real Stripe bodies, on the JSON corners that a hand-written
 * scanner gets wrong, and on tens of thousands of seeded mutations, both must accept the same bodies
 * with the same fields and reject the same bodies as {@code malformed_event}.
 */
class EnvelopeParserTest {

    /** Captured-shape Stripe events (old and current API versions), from benchmarks/payloads. */
    static List<String> realEvents() {
        return List.of("charge.succeeded-2015-10-16", "payment_intent.succeeded-2026-07-29.dahlia",
                "customer.subscription.updated-2026-07-29.dahlia", "invoice.payment_succeeded-2019-05-16");
    }

    static byte[] resource(String name) {
        try (InputStream in = EnvelopeParserTest.class.getResourceAsStream("/stripe-events/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EventEnvelope parse(String json) {
        return EnvelopeParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Every routing field, for comparing two envelopes (equals compares id and bytes only). */
    private static List<Object> fields(EventEnvelope e) {
        return Arrays.asList(e.id(), e.type(), e.created(), e.apiVersion(), e.livemode(), e.account(), e.objectId(),
                e.objectType(), e.requestId(), e.idempotencyKey(), e.isThin(), e.size());
    }

    /** Both parsers accept with equal fields, or both reject with reason malformed_event. */
    private static void assertSameAsJackson(byte[] body, String what) {
        EventEnvelope expected = null;
        MalformedEventException expectedFailure = null;
        try {
            expected = JacksonEnvelopeReference.parse(body);
        } catch (MalformedEventException e) {
            expectedFailure = e;
        }
        EventEnvelope actual;
        try {
            actual = EnvelopeParser.parse(body);
        } catch (MalformedEventException e) {
            if (expectedFailure == null && !e.getMessage().contains("(0xff) inside a member name")) {
                // (Jackson's name table finds "\xFFd" as a shorter name "d" seen before in the body,
                // without checking its UTF-8: a Jackson quirk not worth copying.)
                fail(what + ": Jackson accepted the body, the parser rejected it: " + e.getMessage()
                        + "\nbody: " + printable(body));
            }
            assertThat(e.reason()).isEqualTo("malformed_event");
            return;
        }
        if (expectedFailure != null) {
            fail(what + ": Jackson rejected the body (" + expectedFailure.getMessage() + "), the parser accepted it"
                    + "\nbody: " + printable(body));
        }
        assertThat(fields(actual)).as(what).isEqualTo(fields(expected));
    }

    private static String printable(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }

    @ParameterizedTest
    @MethodSource("realEvents")
    void readsRealStripeEventsLikeJackson(String name) {
        byte[] body = resource(name);
        EventEnvelope e = EnvelopeParser.parse(body);

        assertThat(e.id()).startsWith("evt_");
        assertThat(name).startsWith(e.type() + "-");
        assertThat(e.apiVersion()).hasValue(name.substring(e.type().length() + 1));
        assertThat(e.objectId()).isPresent();
        assertThat(e.requestId()).isPresent();
        assertThat(e.livemode()).isTrue();
        assertThat(fields(e)).isEqualTo(fields(JacksonEnvelopeReference.parse(body)));
    }

    @Test
    void readsTheOldBareRequestIdOfARealEvent() {
        EventEnvelope e = EnvelopeParser.parse(resource("charge.succeeded-2015-10-16"));
        assertThat(e.requestId()).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
        assertThat(e.idempotencyKey()).isEmpty();
        assertThat(e.objectType()).contains("charge");
    }

    @ParameterizedTest
    @MethodSource("realEvents")
    void rejectsEveryTruncationOfARealEvent(String name) {
        byte[] body = resource(name);
        int last = lastNonWhitespace(body);
        for (int length = 0; length <= last; length++) {
            byte[] cut = Arrays.copyOf(body, length);
            assertThatThrownBy(() -> EnvelopeParser.parse(cut)).as("first %d bytes", length)
                    .isInstanceOfSatisfying(MalformedEventException.class,
                            ex -> assertThat(ex.reason()).isEqualTo("malformed_event"));
        }
    }

    private static int lastNonWhitespace(byte[] body) {
        int i = body.length - 1;
        while (body[i] == '\n' || body[i] == ' ') {
            i--;
        }
        return i;
    }

    @Test
    void decodesEscapesInTheFieldsItReads() {
        EventEnvelope e = parse("""
                {"id":"evt_\\u0031\\u0041","type":"invoice\\/paid","created":1,"api_version":"2024-06-20\\t",
                 "account":"acct_\\"q\\\\","request":{"id":"req_\\u00e9\\ud83d\\ude00","idempotency_key":"k\\nk"},
                 "data":{"object":{"id":"in_\\u007b1\\u007d","object":"invoice"}}}
                """);

        assertThat(e.id()).isEqualTo("evt_1A");
        assertThat(e.type()).isEqualTo("invoice/paid");
        assertThat(e.apiVersion()).contains("2024-06-20\t");
        assertThat(e.account()).contains("acct_\"q\\");
        assertThat(e.requestId()).contains("req_é😀");
        assertThat(e.idempotencyKey()).contains("k\nk");
        assertThat(e.objectId()).contains("in_{1}");
    }

    @Test
    void readsMemberNamesWrittenWithEscapes() {
        EventEnvelope e = parse("{\"\\u0069d\":\"evt_1\",\"t\\u0079pe\":\"a.b\",\"cr\\u0065ated\":5,"
                + "\"d\\u0061ta\":{\"\\u006fbject\":{\"\\u0069d\":\"pi_1\"}}}");
        assertThat(e.id()).isEqualTo("evt_1");
        assertThat(e.type()).isEqualTo("a.b");
        assertThat(e.created()).isEqualTo(Instant.ofEpochSecond(5));
        assertThat(e.objectId()).contains("pi_1");
    }

    @Test
    void skipsBracesQuotesAndLookalikeNamesInsideStrings() {
        EventEnvelope e = parse("""
                {"id":"evt_1","object":"event","created":7,"data":{"object":{"id":"pi_1","object":"payment_intent",
                 "description":"} ] { [ \\" \\\\\\" , : \\"type\\": \\"fake\\"",
                 "metadata":{"type":"not.this","id":"nor_this","}":"{"},"list":[{"id":"x"},"]",[[]],{}]},
                 "previous_attributes":{"type":"neither"}},"livemode":false,"type":"payment_intent.succeeded"}
                """);
        assertThat(e.type()).isEqualTo("payment_intent.succeeded");
        assertThat(e.objectId()).contains("pi_1");
        assertThat(e.objectType()).contains("payment_intent");
    }

    @Test
    void readsUnicodeWrittenAsUtf8() {
        EventEnvelope e = parse("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"account\":\"Grüße 日本 🎉\","
                + "\"data\":{\"object\":{\"name\":\"Zoë 🎉\",\"id\":\"cus_ü\"}},\"api_version\":\"ß\"}");
        assertThat(e.account()).contains("Grüße 日本 🎉");
        assertThat(e.objectId()).contains("cus_ü");
        assertThat(e.apiVersion()).contains("ß");
    }

    @Test
    void acceptsEveryJsonNumberFormInSkippedContent() {
        EventEnvelope e = parse("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":0,\"data\":{\"object\":{\"n\":"
                + "[0,-0,1,-1,0.5,-0.5,1e3,1E3,1e+3,1e-3,-1.25E-10,123456789012345678901234567890,"
                + "0.0000001,9.999e999]}}}");
        assertThat(e.created()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void readsCreatedAtTheEdgesOfItsRange() {
        assertThat(parse("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":-0}").created()).isEqualTo(Instant.EPOCH);
        assertThat(parse("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":31556889864403199}").created())
                .isEqualTo(Instant.MAX.minusNanos(999_999_999));
        assertThat(parse("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":\"2026-01-01T00:00:00Z\"}").created())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void acceptsAnyJsonWhitespaceAndAByteOrderMark() {
        String spaced = " \t\r\n{ \"id\" \t:\r\n\"evt_1\" , \"type\"\n:\n\"a.b\"\r\n,\"created\"   :   1 ,"
                + " \"data\" : { \"object\" : { \"id\" : \"pi_1\" } , \"x\" : [ 1 , { } , [ ] ] } } \r\n\t ";
        assertThat(parse(spaced).objectId()).contains("pi_1");
        byte[] json = "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        assertThat(EnvelopeParser.parse(withBom).id()).isEqualTo("evt_1");
    }

    @Test
    void takesTheLastOfDuplicateMembersAsJacksonDid() {
        EventEnvelope e = parse("{\"id\":\"evt_first\",\"type\":\"a.b\",\"created\":1,\"id\":\"evt_last\","
                + "\"livemode\":true,\"livemode\":false,"
                + "\"data\":{\"object\":{\"id\":\"pi_1\",\"object\":\"payment_intent\",\"id\":\"pi_2\"}},"
                + "\"data\":{\"object\":{\"object\":\"charge\"}},\"type\":\"c.d\"}");
        assertThat(e.id()).isEqualTo("evt_last");
        assertThat(e.type()).isEqualTo("c.d");
        assertThat(e.livemode()).isFalse();
        assertThat(e.objectId()).contains("pi_2");
        assertThat(e.objectType()).contains("charge");
        assertThatThrownBy(() -> parse("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"id\":null}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("no id");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // structure
        "{", "{\"id\"", "{\"id\":", "{\"id\":\"evt_1\"", "{\"id\":\"evt_1\",", "{\"id\":\"evt_1\",}",
        "{,\"id\":\"evt_1\"}", "{\"id\" \"evt_1\"}", "{\"id\":\"evt_1\" \"type\":\"a\"}", "{id:\"evt_1\"}",
        "{'id':'evt_1'}", "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1]", "{\"data\":[1,2,]}",
        "{\"data\":[1 2]}", "{\"data\":{\"a\":1,}}", "{\"data\":{\"a\"}}", "{\"data\":{\"a\":}}", "{\"data\":[}",
        "{\"data\":{]}", "{\"data\":]", "{\"data\":}", "{\"data\":[,1]}", "{\"data\":{\"a\":1 \"b\":2}}",
        // literals
        "{\"data\":tru}", "{\"data\":True}", "{\"data\":nul}", "{\"data\":falsey}", "{\"data\":undefined}",
        "{\"data\":NaN}", "{\"data\":Infinity}", "{\"data\":-Infinity}", "{\"livemode\":tru}",
        // numbers
        "{\"data\":01}", "{\"data\":-01}", "{\"data\":00}", "{\"data\":1.}", "{\"data\":.5}", "{\"data\":-}",
        "{\"data\":+1}", "{\"data\":1e}", "{\"data\":1e+}", "{\"data\":1.e3}", "{\"data\":0x10}", "{\"data\":1.5.5}",
        "{\"data\":--1}", "{\"data\":1ee3}", "{\"created\":99999999999999999999,\"id\":\"evt_1\",\"type\":\"a.b\"}",
        "{\"created\":1.0,\"id\":\"evt_1\",\"type\":\"a.b\"}", "{\"created\":1e3,\"id\":\"evt_1\",\"type\":\"a.b\"}",
        // strings
        "{\"data\":\"abc}", "{\"data\":\"a\\x\"}", "{\"data\":\"a\\u12\"}", "{\"data\":\"a\\u12G4\"}",
        "{\"data\":\"a\\\"}", "{\"data\":\"tab\there\"}", "{\"data\":\"nl\nhere\"}", "{\"da\nta\":1}",
        "{\"data\":'single'}", "{\"data\":\"a\\'\"}",
        // comments and other extensions Jackson has switched off by default
        "{\"data\":1 /* c */}", "{\"data\":1 // c\n}", "{\"data\":1 # c\n}",
        // after the object
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1}x", "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1}}",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1} 1", "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1}\u0000",
        // not an object
        "", " ", "null", "1", "\"evt\"", "[{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1}]",
        // field types
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"livemode\":{}}",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"livemode\":[true]}",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"api_version\":5}",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"data\":{\"object\":{\"id\":{}}}}",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"request\":{\"id\":[]}}",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":null}", "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":{}}"
    })
    void rejectsWhatJacksonRejected(String body) {
        assertThatThrownBy(() -> JacksonEnvelopeReference.parse(body.getBytes(StandardCharsets.UTF_8)))
                .as("the reference rejects it too").isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(MalformedEventException.class,
                        ex -> assertThat(ex.reason()).isEqualTo("malformed_event"));
    }

    @Test
    void rejectsInvalidUtf8InsideStringsAsJacksonDid() {
        byte[][] invalid = {
            {(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xC3}, {(byte) 0xC3, 'a'}, {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xE2, (byte) 0x82, 'a'}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x8E}, {(byte) 0xF8, (byte) 0x80},
            {(byte) 0xFF}, {(byte) 0xFE},
        };
        for (byte[] bad : invalid) {
            for (String where : List.of("{\"data\":\"x%sy\"}", "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,"
                    + "\"account\":\"x%sy\"}", "{\"data\":{\"k%s\":1}}")) {
                byte[] body = withBytes(where, bad);
                assertThatThrownBy(() -> EnvelopeParser.parse(body)).as("%s with %s", where, Arrays.toString(bad))
                        .isInstanceOf(MalformedEventException.class);
                assertSameAsJackson(body, where + " with " + Arrays.toString(bad));
            }
        }
        // outside a string, any byte from 0x80 up is an error
        assertThatThrownBy(() -> EnvelopeParser.parse(withBytes("{\"data\":%s1}", new byte[] {(byte) 0xC3, (byte) 0xA9})))
                .isInstanceOf(MalformedEventException.class);
    }

    private static byte[] withBytes(String template, byte[] bytes) {
        int at = template.indexOf("%s");
        byte[] head = template.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] tail = template.substring(at + 2).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + bytes.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(bytes, 0, out, head.length, bytes.length);
        System.arraycopy(tail, 0, out, head.length + bytes.length, tail.length);
        return out;
    }

    @Test
    void nestsExactlyAsDeepAsBefore() {
        for (int depth = 195; depth <= 205; depth++) {
            // the event object is level 1, data level 2
            String deep = "[".repeat(depth - 2) + "]".repeat(depth - 2);
            String mixed = "{\"a\":".repeat(depth - 2) + "1" + "}".repeat(depth - 2);
            for (String value : List.of(deep, mixed)) {
                assertSameAsJackson(("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"data\":" + value + "}")
                        .getBytes(StandardCharsets.UTF_8), "depth " + depth);
            }
        }
        assertThat(parse("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"x\":" + "[".repeat(199)
                + "]".repeat(199) + "}").id()).isEqualTo("evt_1");
        assertThatThrownBy(() -> parse("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"x\":" + "[".repeat(200)
                + "]".repeat(200) + "}")).isInstanceOf(MalformedEventException.class).hasMessageContaining("nesting");
        // far deeper than the limit: rejected without exhausting the stack
        assertThatThrownBy(() -> parse("{\"x\":" + "[".repeat(100_000)))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void limitsNumbersAndNamesAsJacksonDid() {
        for (int digits : new int[] {999, 1000, 1001}) {
            String number = "7".repeat(digits);
            assertSameAsJackson(("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"data\":[" + number + ",-" + number
                    + "]}").getBytes(StandardCharsets.UTF_8), digits + " digits");
            assertSameAsJackson(("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"data\":[1." + "5".repeat(digits - 1)
                    + "]}").getBytes(StandardCharsets.UTF_8), digits + " digits with a fraction");
        }
        for (int length : new int[] {49_999, 50_000, 50_001}) {
            String name = "n".repeat(length);
            assertSameAsJackson(("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"data\":{\"" + name + "\":1}}")
                    .getBytes(StandardCharsets.UTF_8), "name of " + length);
            // six bytes of escape that decode to one byte: within the limit once decoded
            String escaped = "\\u0041".repeat(length / 6) + "n".repeat(length % 6);
            assertSameAsJackson(("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"data\":{\"" + escaped + "\":1}}")
                    .getBytes(StandardCharsets.UTF_8), "escaped name of " + length);
        }
    }

    @Test
    void agreesWithJacksonOnMutatedRealEvents() {
        Random random = new Random(Long.getLong("fuzz.seed", 0x5EED_16L));
        String[] fragments = {
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\u00e9", "\\ud83d", "null", "true", "false", "-", "0",
            "-0", "01", "1.", "1e", ".5", "1e5", "\"id\"", "\"type\"", "\"data\"", "\"object\"", "\"created\"",
            "\"livemode\"", "\"request\"", "ü", "🎉", "\t", "\n", " ", "\u0001", "/", "'", "NaN",
        };
        List<byte[]> bodies = new ArrayList<>();
        for (String name : realEvents()) {
            bodies.add(resource(name));
        }
        bodies.add("{\"id\":\"evt_1\",\"object\":\"v2.core.event\",\"type\":\"v1.meter\",\"created\":\"2026-09-17T06:20:52Z\",\"related_object\":{\"id\":\"mtr_1\",\"type\":\"billing.meter\"}}"
                .getBytes(StandardCharsets.UTF_8));
        int accepted = 0;
        int cases = Integer.getInteger("fuzz.cases", 30_000);
        for (int i = 0; i < cases; i++) {
            byte[] body = bodies.get(random.nextInt(bodies.size()));
            byte[] mutated = switch (random.nextInt(5)) {
                case 0 -> flipBytes(random, body);
                case 1 -> insert(random, body, fragments[random.nextInt(fragments.length)].getBytes(StandardCharsets.UTF_8));
                case 2 -> delete(random, body);
                case 3 -> replaceToken(random, body, fragments[random.nextInt(fragments.length)].getBytes(StandardCharsets.UTF_8));
                default -> Arrays.copyOf(body, random.nextInt(body.length + 1));
            };
            assertSameAsJackson(mutated, "case " + i);
            try {
                EnvelopeParser.parse(mutated);
                accepted++;
            } catch (MalformedEventException expected) {
                // counted below
            }
        }
        // The mutations land on both sides, or the comparison says little.
        assertThat(accepted).isBetween(cases / 20, cases - cases / 20);
    }

    private static byte[] flipBytes(Random random, byte[] body) {
        byte[] b = body.clone();
        for (int k = 0, n = 1 + random.nextInt(2); k < n; k++) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return b;
    }

    private static byte[] insert(Random random, byte[] body, byte[] fragment) {
        int at = random.nextInt(body.length + 1);
        byte[] b = new byte[body.length + fragment.length];
        System.arraycopy(body, 0, b, 0, at);
        System.arraycopy(fragment, 0, b, at, fragment.length);
        System.arraycopy(body, at, b, at + fragment.length, body.length - at);
        return b;
    }

    private static byte[] delete(Random random, byte[] body) {
        int at = random.nextInt(body.length);
        int n = Math.min(body.length - at, 1 + random.nextInt(8));
        byte[] b = new byte[body.length - n];
        System.arraycopy(body, 0, b, 0, at);
        System.arraycopy(body, at + n, b, at, body.length - at - n);
        return b;
    }

    /** Replaces the bytes from a random position up to the next separator with {@code fragment}. */
    private static byte[] replaceToken(Random random, byte[] body, byte[] fragment) {
        int at = random.nextInt(body.length);
        int stop = at;
        while (stop < body.length && ",:{}[] \n".indexOf(body[stop]) < 0) {
            stop++;
        }
        byte[] b = new byte[body.length - (stop - at) + fragment.length];
        System.arraycopy(body, 0, b, 0, at);
        System.arraycopy(fragment, 0, b, at, fragment.length);
        System.arraycopy(body, stop, b, at + fragment.length, body.length - stop);
        return b;
    }

    @Test
    void malformedMessagesNameTheOffsetNotTheContent() {
        assertThatThrownBy(() -> parse("{\"id\":\"evt_1\",\"data\":{\"secret\":tru_card_4242}}"))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("at byte 31")
                .hasMessageNotContaining("4242");
        assertThatThrownBy(() -> parse("{\"id\":\"evt_1\",\"data\":\"cut"))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("ends inside a string");
    }

    @Test
    void optionalFieldsStayEmptyWhenAbsentOrNull() {
        EventEnvelope e = parse("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"api_version\":null,"
                + "\"request\":null,\"data\":{\"object\":null}}");
        assertThat(e.apiVersion()).isEqualTo(Optional.empty());
        assertThat(e.requestId()).isEmpty();
        assertThat(e.objectId()).isEmpty();
        assertThat(e.livemode()).isFalse();
    }
}
