package dev.hookwise.testkit;

import com.google.gson.JsonObject;
import dev.hookwise.core.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A Stripe event as the testkit built it: the exact JSON body Stripe would send, plus the fields a
 * test usually needs without parsing it. Sign {@link #bytes()} with a {@link WebhookSigner}; never
 * re-serialise the JSON, the signature covers these bytes.
 *
 * <pre>{@code
 * TestEvent paid = StripeEventFactory.create().paymentIntentSucceeded().amount(2500).build();
 * String header = WebhookSigner.forSecret("whsec_test").sign(paid, Instant.now());
 * }</pre>
 *
 * @param id the event id ({@code evt_…})
 * @param type the event type, e.g. {@code payment_intent.succeeded}
 * @param created the event's {@code created} time (whole seconds)
 * @param objectId the id of {@code data.object}, e.g. {@code pi_…}
 * @param json the event body, pretty-printed the way Stripe sends it
 */
public record TestEvent(String id, String type, Instant created, String objectId, String json) {

    public TestEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(json, "json");
    }

    /**
     * Wraps an event body written elsewhere (a fixture file, a capture from {@code stripe listen}).
     *
     * @throws IllegalArgumentException when the body is not an event with id, type and created
     */
    public static TestEvent fromJson(String json) {
        JsonObject event = Json.parseObject(json, "event body");
        String id = Json.string(event, "id");
        String type = Json.string(event, "type");
        if (id == null || type == null || !event.has("created")) {
            throw new IllegalArgumentException("event body needs id, type and created");
        }
        Instant created = Instant.ofEpochSecond(event.get("created").getAsLong());
        String objectId = "";
        if (event.has("data") && event.get("data").isJsonObject()) {
            JsonObject data = event.getAsJsonObject("data");
            if (data.has("object") && data.get("object").isJsonObject()) {
                String oid = Json.string(data.getAsJsonObject("object"), "id");
                objectId = oid == null ? "" : oid;
            }
        }
        return new TestEvent(id, type, created, objectId, json);
    }

    /** The body as UTF-8 bytes: what goes over the wire and what the signature covers. */
    public byte[] bytes() {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code data.object} as pretty-printed JSON, e.g. to put it into a {@link FakeStripeApi}. */
    public String dataObjectJson() {
        return Json.PRETTY.toJson(dataObject());
    }

    /** The value of {@code data.object.object}, e.g. {@code payment_intent} or {@code checkout.session}. */
    public String objectType() {
        String t = Json.string(dataObject(), "object");
        return t == null ? "" : t;
    }

    /** The body parsed by Hookwise's envelope parser, for {@code WebhookProcessor.processVerified}. */
    public EventEnvelope envelope() {
        return EventEnvelope.parse(bytes());
    }

    JsonObject dataObject() {
        JsonObject event = Json.parseObject(json, "event " + id);
        return event.getAsJsonObject("data").getAsJsonObject("object");
    }

    @Override
    public String toString() {
        // Never the body: tests print these in assertion messages.
        return "TestEvent[" + id + " " + type + " " + objectId + " created=" + created + "]";
    }
}
