package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.stripe.model.PaymentIntent;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13, item 4: a payload stripe-java cannot read is a deterministic failure. It must reach the
 * store as DEAD with a reason naming the event and the field, be answered 200 failed_permanent, and
 * be replayable; an event without api_version must still reach its typed handler.
 */
class UnreadablePayloadTest {

    private static final String TYPE = "payment_intent.succeeded";
    private static final RetryPolicy FAST_RETRY = RetryPolicy.builder()
            .maxAttempts(3).initialInterval(Duration.ofMillis(1)).maxInterval(Duration.ofMillis(2)).build();

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(clock);
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger typedCalls = new AtomicInteger();

    private WebhookProcessor processor(HandlerRegistry handlers) {
        return WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .handlers(handlers).retryPolicy(FAST_RETRY).build();
    }

    /** The handler a user writes first: typed, trusting stripe-java. */
    private HandlerRegistry typed() {
        return HandlerRegistry.builder()
                .on(TYPE, PaymentIntent.class, (intent, ctx) -> {
                    typedCalls.incrementAndGet();
                    seen.add(ctx.eventId() + ":" + intent.getId() + ":" + intent.getAmount());
                })
                .build();
    }

    /** The "fixed" handler: reads the raw JSON instead of the stripe-java object. */
    private HandlerRegistry rawJsonReader() {
        return HandlerRegistry.builder()
                .on(TYPE, ctx -> {
                    JsonObject object = JsonParser.parseString(ctx.rawJson()).getAsJsonObject()
                            .getAsJsonObject("data").getAsJsonObject("object");
                    seen.add("raw:" + ctx.eventId() + ":" + object.get("id").getAsString() + ":"
                            + object.get("amount").getAsString());
                })
                .build();
    }

    /** A snapshot event; {@code apiVersion} null leaves the field out, as some payloads do. */
    private static byte[] event(String id, @Nullable String apiVersion, String dataObject) {
        return ("{\"id\":\"" + id + "\",\"object\":\"event\","
                + (apiVersion == null ? "" : "\"api_version\":\"" + apiVersion + "\",")
                + "\"created\":" + NOW.minusSeconds(10).getEpochSecond() + ",\"data\":{\"object\":" + dataObject + "},"
                + "\"livemode\":false,\"pending_webhooks\":1,\"type\":\"" + TYPE + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] eventWithData(String id, String data) {
        return ("{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"" + com.stripe.Stripe.API_VERSION
                + "\",\"created\":" + NOW.minusSeconds(10).getEpochSecond() + data + ",\"livemode\":false,"
                + "\"type\":\"" + TYPE + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static WebhookRequest signed(byte[] body) {
        return WebhookRequest.of(body, header(SECRET, NOW, body));
    }

    private static String pi(String amount) {
        return "{\"id\":\"pi_77\",\"object\":\"payment_intent\",\"amount\":" + amount + ",\"currency\":\"eur\","
                + "\"status\":\"succeeded\",\"metadata\":{\"order_id\":\"ord_7\"}}";
    }

    private EventRecord row(String eventId) {
        return store.find(eventId).orElseThrow();
    }

    @Test
    void eventWithoutApiVersionReachesTheTypedHandler() {
        WebhookResponse r = processor(typed()).process(signed(event("evt_nover", null, pi("2500"))));

        assertThat(r.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(r.status()).isEqualTo(200);
        assertThat(seen).containsExactly("evt_nover:pi_77:2500");
        assertThat(row("evt_nover").status()).isEqualTo(EventStatus.COMPLETED);
    }

    @Test
    void eventWithoutApiVersionIsReadThroughTheEnvelopeToo() {
        EventEnvelope envelope = EventEnvelope.parse(event("evt_nover_env", null, pi("2500")));

        assertThat(envelope.apiVersion()).isEmpty();
        assertThat(envelope.dataObject()).get().isInstanceOfSatisfying(PaymentIntent.class, intent -> {
            assertThat(intent.getId()).isEqualTo("pi_77");
            assertThat(intent.getAmount()).isEqualTo(2500L);
            assertThat(intent.getMetadata()).containsEntry("order_id", "ord_7");
        });
    }

    @ParameterizedTest(name = "api_version {0}")
    @ValueSource(strings = {"none", "current", "2019-02-19"})
    void wrongTypedFieldIsDeadAtOnceNamingEventAndField(String version) {
        String apiVersion = switch (version) {
            case "none" -> null;
            case "current" -> com.stripe.Stripe.API_VERSION;
            default -> version;
        };
        String id = "evt_badamount_" + version.replace("-", "");
        WebhookProcessor p = processor(typed());

        WebhookResponse r = p.process(signed(event(id, apiVersion, pi("\"lots\""))));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED_PERMANENT);
        assertThat(r.body()).startsWith("{\"outcome\":\"failed_permanent\",\"event_id\":\"" + id + "\"")
                .doesNotContain("Exception");
        assertThat(typedCalls).hasValue(0);
        EventRecord dead = p.store().find(id).orElseThrow();
        assertThat(dead.status()).isEqualTo(EventStatus.DEAD);
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.lastError()).contains(UnreadablePayloadException.class.getName())
                .contains(id).contains("data.object.amount").contains("PaymentIntent")
                .doesNotContain("lots");
        // Stripe's redelivery of the same bytes is not run again.
        assertThat(p.process(signed(event(id, apiVersion, pi("\"lots\"")))).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(typedCalls).hasValue(0);
    }

    @Test
    void deadUnreadableEventCompletesOnReplayOnceTheHandlerReadsRawJson() {
        byte[] body = event("evt_fixme", null, pi("\"lots\""));
        assertThat(processor(typed()).process(signed(body)).outcome()).isEqualTo(Outcome.FAILED_PERMANENT);
        assertThat(row("evt_fixme").status()).isEqualTo(EventStatus.DEAD);

        WebhookProcessor fixed = processor(rawJsonReader());
        EventReplayer.ReplayResult replay = EventReplayer.of(fixed).replay("evt_fixme", "ops@example.com");

        assertThat(replay.replayed()).isTrue();
        assertThat(replay.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(seen).containsExactly("raw:evt_fixme:pi_77:lots");
        assertThat(row("evt_fixme").status()).isEqualTo(EventStatus.COMPLETED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "nested string field holding an object | {\"id\":\"pi_1\",\"object\":\"payment_intent\",\"shipping\":{\"name\":\"A\",\"address\":{\"city\":{\"x\":1}}}} | data.object.shipping.address.city",
        "nested number field holding a string  | {\"id\":\"pi_1\",\"object\":\"payment_intent\",\"amount_details\":{\"tip\":{\"amount\":\"lots\"}}} | data.object.amount_details.tip.amount",
        "array element of the wrong type       | {\"id\":\"pi_1\",\"object\":\"payment_intent\",\"payment_method_types\":[\"card\",{\"x\":1}]} | data.object.payment_method_types[1]",
        "metadata value that is an object      | {\"id\":\"pi_1\",\"object\":\"payment_intent\",\"metadata\":{\"order_id\":{\"x\":1}}} | data.object.metadata",
        "expanded object with a bad number     | {\"id\":\"pi_1\",\"object\":\"payment_intent\",\"latest_charge\":{\"id\":\"ch_1\",\"object\":\"charge\",\"amount\":\"lots\"}} | data.object.latest_charge",
        "expanded object with a bad nested one | {\"id\":\"pi_1\",\"object\":\"payment_intent\",\"latest_charge\":{\"id\":\"ch_1\",\"object\":\"charge\",\"billing_details\":{\"name\":[1]}}} | data.object.latest_charge.billing_details.name",
        "data.object that is a string          | \"pi_1\" | data.object",
        "data.object that is an array          | [{\"id\":\"pi_1\"}] | data.object",
        "data.object that is a number          | 42 | data.object",
        "data.object without its object field  | {\"id\":\"pi_1\",\"amount\":5} | data.object.object"
    })
    void unreadableDataObjectNamesTheField(String description, String dataObject, String field) {
        for (String apiVersion : new String[] {com.stripe.Stripe.API_VERSION, null}) {
            String id = "evt_" + Math.abs((description + apiVersion).hashCode());
            EventEnvelope envelope = EventEnvelope.parse(event(id, apiVersion, dataObject));

            assertThatThrownBy(envelope::dataObject)
                    .as("%s, api_version %s", description, apiVersion)
                    .isInstanceOfSatisfying(UnreadablePayloadException.class, e -> {
                        assertThat(e.eventId()).isEqualTo(id);
                        assertThat(e.field()).contains(field);
                        assertThat(e.reason()).isEqualTo("malformed_event");
                        assertThat(e.getMessage()).contains(id).contains(": " + field + " ").doesNotContain("lots");
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "nested field       | {\"id\":\"pi_1\",\"object\":\"payment_intent\",\"shipping\":{\"address\":{\"city\":{\"x\":1}}}} | data.object.shipping.address.city",
        "non-object object  | \"pi_1\" | data.object",
        "no object field    | {\"id\":\"pi_1\",\"amount\":5} | data.object.object"
    })
    void unreadableDataObjectIsDeadThroughThePipeline(String description, String dataObject, String field) {
        String id = "evt_" + Math.abs(description.hashCode());
        WebhookProcessor p = processor(typed());

        WebhookResponse r = p.process(signed(event(id, null, dataObject)));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED_PERMANENT);
        assertThat(typedCalls).hasValue(0);
        EventRecord dead = row(id);
        assertThat(dead.status()).isEqualTo(EventStatus.DEAD);
        assertThat(dead.lastError()).contains(id).contains(field);
    }

    @Test
    void describesTheProblemWithoutTheValue() {
        String amount = "{\"id\":\"pi_1\",\"object\":\"payment_intent\",\"amount\":{\"secret\":\"s3cr3t\"}}";
        String metadata = "{\"id\":\"pi_1\",\"object\":\"payment_intent\",\"metadata\":{\"email\":[\"a@example.com\"]}}";

        assertThatThrownBy(EventEnvelope.parse(event("evt_obj_amount", null, amount))::dataObject)
                .hasMessageContaining("data.object.amount should be a number but is an object")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(EventEnvelope.parse(event("evt_meta", null, metadata))::dataObject)
                .hasMessageContaining("data.object.metadata has a value that should be a string but is an array")
                .hasMessageNotContaining("a@example.com");
    }

    @Test
    void missingOrNonObjectDataIsPermanent() {
        WebhookProcessor p = processor(typed());

        assertThat(p.process(signed(eventWithData("evt_nodata", ""))).outcome()).isEqualTo(Outcome.FAILED_PERMANENT);
        assertThat(p.process(signed(eventWithData("evt_strdata", ",\"data\":\"x\""))).outcome())
                .isEqualTo(Outcome.FAILED_PERMANENT);
        assertThat(p.process(signed(eventWithData("evt_noobject", ",\"data\":{}"))).outcome())
                .isEqualTo(Outcome.FAILED_PERMANENT);

        assertThat(row("evt_nodata").lastError()).contains("evt_nodata").contains(": data is missing");
        assertThat(row("evt_strdata").lastError()).contains("evt_strdata").contains(": data is a string, not a JSON object");
        assertThat(row("evt_noobject").lastError()).contains("evt_noobject").contains(": data.object is missing");
        assertThat(typedCalls).hasValue(0);
    }

    @Test
    void eventStripeJavaCannotReadNamesTheEventField() {
        byte[] body = ("{\"id\":\"evt_pw\",\"object\":\"event\",\"created\":1767225600,\"pending_webhooks\":\"many\","
                + "\"data\":{\"object\":" + pi("5") + "},\"type\":\"" + TYPE + "\"}").getBytes(StandardCharsets.UTF_8);
        EventEnvelope envelope = EventEnvelope.parse(body);

        assertThatThrownBy(envelope::stripeEvent).isInstanceOfSatisfying(UnreadablePayloadException.class, e -> {
            assertThat(e.field()).contains("pending_webhooks");
            assertThat(e.getMessage()).contains("evt_pw").doesNotContain("many");
        });
        assertThatThrownBy(envelope::dataObject).isInstanceOf(UnreadablePayloadException.class);
    }

    @Test
    void inboxWorkerMarksAnUnreadableEventDeadOnItsFirstAttempt() {
        WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .handlers(typed()).mode(ProcessingMode.ASYNC).allowInMemoryInbox(true).build();
        assertThat(p.process(signed(event("evt_async_lots", null, pi("\"lots\"")))).outcome()).isEqualTo(Outcome.QUEUED);

        assertThat(InboxWorker.builder(p).maxAttempts(5).batchSize(10).build().drainOnce()).isEqualTo(1);

        EventRecord dead = row("evt_async_lots");
        assertThat(dead.status()).isEqualTo(EventStatus.DEAD);
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.lastError()).contains("evt_async_lots").contains("data.object.amount");
        assertThat(typedCalls).hasValue(0);
    }

    @Test
    void exceptionsFromTheHandlersOwnCodeKeepTheirClassification() {
        AtomicInteger calls = new AtomicInteger();
        WebhookProcessor p = processor(HandlerRegistry.builder()
                .on(TYPE, PaymentIntent.class, (intent, ctx) -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("ledger for " + intent.getId() + " is locked");
                })
                .build());

        WebhookResponse r = p.process(signed(event("evt_own", null, pi("5"))));

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(calls).hasValue(FAST_RETRY.maxAttempts());
        assertThat(row("evt_own").status()).isEqualTo(EventStatus.FAILED);
        assertThat(row("evt_own").lastError()).contains("ledger for pi_77 is locked");
    }

    @Test
    void untypedHandlersStillRunForAnUnreadableObject() {
        WebhookProcessor p = processor(rawJsonReader());

        assertThat(p.process(signed(event("evt_raw", null, pi("\"lots\"")))).outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(seen).containsExactly("raw:evt_raw:pi_77:lots");
    }
}
