package dev.hookwise.core;

import com.stripe.model.Event;
import com.stripe.model.StripeObject;
import dev.hookwise.core.internal.EnvelopeParser;
import dev.hookwise.core.internal.StripePayloadReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The routing fields of a Stripe event, read without building the whole object, plus lazy access
 * to the stripe-java {@link Event} and its typed data object.
 *
 * <p>An event rendered with an API version other than stripe-java's ({@link com.stripe.Stripe#API_VERSION}),
 * or without {@code api_version}, does not crash: the typed object falls back to stripe-java's
 * unsafe deserialisation with a warning, and the raw JSON is always available. A payload stripe-java
 * cannot read at all is an {@link UnreadablePayloadException} (permanent) that names the event and
 * the field. Thin events (Stripe event destinations' v2
 * payloads, {@link #isThin()}) carry only a reference to the object: {@link #objectId()} and
 * {@link #objectType()} name it, and {@link #dataObject()} is empty.
 *
 * <p>Instances are immutable apart from the cached lazy values, and safe to share between threads.
 */
public final class EventEnvelope {
    private final String id;
    private final String type;
    private final Instant created;
    private final @Nullable String apiVersion;
    private final boolean livemode;
    private final @Nullable String account;
    private final @Nullable String objectId;
    private final @Nullable String objectType;
    private final @Nullable String requestId;
    private final @Nullable String idempotencyKey;
    private final boolean thin;
    private final byte[] raw;

    private volatile @Nullable Event event;
    private volatile @Nullable StripeObject dataObject;

    /** Use {@link #parse(byte[])}; public for stores and tests that rebuild envelopes. */
    public EventEnvelope(String id, String type, Instant created, @Nullable String apiVersion, boolean livemode,
            @Nullable String account, @Nullable String objectId, @Nullable String objectType,
            @Nullable String requestId, @Nullable String idempotencyKey, boolean thin, byte[] raw) {
        this.id = id;
        this.type = type;
        this.created = created;
        this.apiVersion = apiVersion;
        this.livemode = livemode;
        this.account = account;
        this.objectId = objectId;
        this.objectType = objectType;
        this.requestId = requestId;
        this.idempotencyKey = idempotencyKey;
        this.thin = thin;
        this.raw = raw;
    }

    /**
     * Parses an event body.
     *
     * @throws MalformedEventException when the body is not JSON, not an event, or lacks id, type or created
     */
    public static EventEnvelope parse(byte[] body) {
        return EnvelopeParser.parse(body);
    }

    /** Stripe's event id, {@code evt_…}. */
    public String id() {
        return id;
    }

    /** The event type, e.g. {@code payment_intent.succeeded}. */
    public String type() {
        return type;
    }

    /** When Stripe created the event; a redelivery days later keeps the same value. */
    public Instant created() {
        return created;
    }

    /** The API version the payload was rendered with, if present (thin events have none). */
    public Optional<String> apiVersion() {
        return Optional.ofNullable(apiVersion);
    }

    public boolean livemode() {
        return livemode;
    }

    /** The connected account ({@code acct_…}) for Connect events; for thin events, the context. */
    public Optional<String> account() {
        return Optional.ofNullable(account);
    }

    /** The id of {@code data.object} (snapshot) or {@code related_object} (thin). */
    public Optional<String> objectId() {
        return Optional.ofNullable(objectId);
    }

    /** The kind of {@code data.object} ({@code payment_intent}) or {@code related_object.type}. */
    public Optional<String> objectType() {
        return Optional.ofNullable(objectType);
    }

    /** The API request that caused the event, if any. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** The idempotency key of that request, if any. */
    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    /** Whether this is a thin (v2 event destination) event. */
    public boolean isThin() {
        return thin;
    }

    /** The raw body exactly as received (a copy). */
    public byte[] rawBytes() {
        return raw.clone();
    }

    /** The raw body as UTF-8 text. */
    public String rawJson() {
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** Size of the raw body in bytes. */
    public int size() {
        return raw.length;
    }

    /** Whether the payload's API version differs from the one this stripe-java release is built for. */
    public boolean apiVersionMismatch() {
        return apiVersion != null && !apiVersion.equals(com.stripe.Stripe.API_VERSION);
    }

    /**
     * The stripe-java event, deserialised on first use.
     *
     * @throws UnsupportedOperationException for thin events, which have no snapshot
     * @throws UnreadablePayloadException (permanent) when stripe-java cannot read the event, e.g.
     *     {@code data.object} is not a JSON object; the message names the event and the field
     */
    public Event stripeEvent() {
        if (thin) {
            throw new UnsupportedOperationException("event " + id + " is a thin event: it carries no snapshot;"
                    + " fetch the related object " + objectId + " instead");
        }
        Event e = event;
        if (e == null) {
            e = StripePayloadReader.event(this);
            event = e;
        }
        return e;
    }

    /**
     * The typed {@code data.object} ({@link com.stripe.model.PaymentIntent}, …), deserialised on
     * first use. When the payload's API version differs from stripe-java's, or the event has no
     * {@code api_version} at all, stripe-java's unsafe deserialisation is used and a warning logged;
     * fields renamed between versions may be null.
     *
     * <p>A payload stripe-java cannot read fails the same way on every redelivery, so whatever
     * stripe-java or Gson throws ({@code JsonSyntaxException}, {@code NullPointerException},
     * {@code IllegalStateException}, …) comes out as an {@link UnreadablePayloadException}, which the
     * pipeline treats as permanent: the event is recorded dead and answered 200
     * {@code failed_permanent}, ready for replay once a handler can read it.
     *
     * @return empty for thin events
     * @throws UnreadablePayloadException when stripe-java cannot read the object; the message names
     *     the event and the field ({@code data.object.amount}) where Gson can tell
     */
    public Optional<StripeObject> dataObject() {
        if (thin) {
            return Optional.empty();
        }
        StripeObject o = dataObject;
        if (o == null) {
            o = StripePayloadReader.dataObject(this, stripeEvent());
            dataObject = o;
        }
        return Optional.of(o);
    }

    @Override
    public String toString() {
        return "EventEnvelope[id=" + id + ", type=" + type + ", created=" + created + (thin ? ", thin" : "") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventEnvelope e && id.equals(e.id) && Arrays.equals(raw, e.raw);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
