package dev.hookwise.testkit;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Sets the fields of one event, then {@link #build()}s it. Obtained from a {@link StripeEventFactory}
 * method; every setter is optional and sensible defaults fill the rest.
 *
 * <pre>{@code
 * TestEvent refund = events.chargeRefunded()
 *         .objectId("ch_3PkRefund")
 *         .paymentIntent("pi_3PkOrder")
 *         .amount(1500).currency("usd")
 *         .customer("cus_Q1")
 *         .metadata("order_id", "ord_42")
 *         .created(Instant.parse("2026-03-01T10:00:00Z"))
 *         .build();
 * }</pre>
 *
 * <p>Setters about {@code data.object} ({@link #amount}, {@link #currency}, {@link #customer},
 * {@link #status}, {@link #metadata}) feed the built-in shape, so related fields stay consistent
 * (a succeeded intent's {@code amount_received} follows {@code amount}). {@link #objectField} writes
 * any field verbatim, last.
 */
public final class StripeEventBuilder {
    private final StripeEventFactory factory;
    private final EventKind kind;
    private final String type;

    private @Nullable String id;
    private @Nullable Instant created;
    private boolean livemode;
    private String apiVersion = com.stripe.Stripe.API_VERSION;
    private @Nullable String account;
    private int pendingWebhooks = 1;
    private @Nullable String requestId;
    private @Nullable String idempotencyKey;
    private boolean automatic;
    private @Nullable Long amount;
    private String currency = "usd";
    private @Nullable String customer;
    private @Nullable String status;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private @Nullable String objectId;
    private @Nullable String paymentIntent;
    private @Nullable String charge;
    private @Nullable String subscription;
    private @Nullable Map<String, Object> previousAttributes;
    private final Map<String, @Nullable Object> objectFields = new LinkedHashMap<>();
    private @Nullable JsonObject rawObject;

    StripeEventBuilder(StripeEventFactory factory, EventKind kind) {
        this(factory, kind, kind.type());
    }

    StripeEventBuilder(StripeEventFactory factory, EventKind kind, String type) {
        this.factory = factory;
        this.kind = kind;
        this.type = type;
    }

    /** The event id; default a random {@code evt_…}. */
    public StripeEventBuilder id(String value) {
        this.id = requirePrefix(value, "evt_", "id");
        return this;
    }

    /** The event's {@code created} (truncated to seconds, as Stripe sends it); default the factory clock's now. */
    public StripeEventBuilder created(Instant value) {
        this.created = Objects.requireNonNull(value, "created").truncatedTo(ChronoUnit.SECONDS);
        return this;
    }

    /** Live or test mode, on the event and its object (default test mode). */
    public StripeEventBuilder livemode(boolean value) {
        this.livemode = value;
        return this;
    }

    /** The {@code api_version} the payload claims; default stripe-java's {@link com.stripe.Stripe#API_VERSION}. */
    public StripeEventBuilder apiVersion(String value) {
        this.apiVersion = Objects.requireNonNull(value, "apiVersion");
        return this;
    }

    /** The connected account ({@code acct_…}) of a Connect event; default none. */
    public StripeEventBuilder account(String value) {
        this.account = requirePrefix(value, "acct_", "account");
        return this;
    }

    /** {@code pending_webhooks}; default 1. */
    public StripeEventBuilder pendingWebhooks(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("pendingWebhooks must be >= 0, but was " + value);
        }
        this.pendingWebhooks = value;
        return this;
    }

    /** {@code request.id}; default a random {@code req_…}. */
    public StripeEventBuilder requestId(String value) {
        this.requestId = requirePrefix(value, "req_", "requestId");
        this.automatic = false;
        return this;
    }

    /** {@code request.idempotency_key}; default a random UUID. */
    public StripeEventBuilder idempotencyKey(String value) {
        this.idempotencyKey = Objects.requireNonNull(value, "idempotencyKey");
        this.automatic = false;
        return this;
    }

    /** Marks the event as caused by Stripe itself (a renewal, say): {@code request} id and key are null. */
    public StripeEventBuilder automatic() {
        this.automatic = true;
        return this;
    }

    /** The amount in the currency's smallest unit (default 2000): amount, totals and received/captured amounts. */
    public StripeEventBuilder amount(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("amount must be >= 0, but was " + value);
        }
        this.amount = value;
        return this;
    }

    /** Three-letter ISO code, lower-cased as Stripe writes it; default {@code usd}. */
    public StripeEventBuilder currency(String value) {
        Objects.requireNonNull(value, "currency");
        if (value.length() != 3) {
            throw new IllegalArgumentException("currency must be a three-letter ISO code, but was '" + value + "'");
        }
        this.currency = value.toLowerCase(Locale.ROOT);
        return this;
    }

    /** The customer ({@code cus_…}); default a random one. For {@code customer.*} events, the object's id. */
    public StripeEventBuilder customer(String value) {
        this.customer = requirePrefix(value, "cus_", "customer");
        return this;
    }

    /** {@code data.object.status}; default the status the event type implies (succeeded, needs_response, …). */
    public StripeEventBuilder status(String value) {
        this.status = Objects.requireNonNull(value, "status");
        return this;
    }

    /** Adds a metadata entry to {@code data.object.metadata}, e.g. {@code ("order_id", "ord_42")}. */
    public StripeEventBuilder metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** The id of {@code data.object}; default a random id with the type's prefix ({@code pi_}, {@code cs_test_}, …). */
    public StripeEventBuilder objectId(String value) {
        this.objectId = Objects.requireNonNull(value, "objectId");
        return this;
    }

    /** The related PaymentIntent ({@code pi_…}) of a charge, dispute or checkout session. */
    public StripeEventBuilder paymentIntent(String value) {
        this.paymentIntent = requirePrefix(value, "pi_", "paymentIntent");
        return this;
    }

    /** The related charge ({@code ch_…}) of a dispute, or an intent's {@code latest_charge}. */
    public StripeEventBuilder charge(String value) {
        this.charge = requirePrefix(value, "ch_", "charge");
        return this;
    }

    /** The related subscription ({@code sub_…}) of an invoice or a subscription-mode checkout session. */
    public StripeEventBuilder subscription(String value) {
        this.subscription = requirePrefix(value, "sub_", "subscription");
        return this;
    }

    /**
     * Adds an entry to {@code data.previous_attributes}. Any call replaces the default that
     * {@code *.updated} events get; on other types it adds the member.
     */
    public StripeEventBuilder previousAttribute(String key, @Nullable Object value) {
        if (previousAttributes == null) {
            previousAttributes = new LinkedHashMap<>();
        }
        previousAttributes.put(Objects.requireNonNull(key, "key"), value);
        return this;
    }

    /**
     * Writes any field of {@code data.object} verbatim, after everything else: a String, Number,
     * Boolean, null, Map or List. Use it for fields without a setter, e.g.
     * {@code objectField("client_reference_id", "cart_9")}.
     */
    public StripeEventBuilder objectField(String key, @Nullable Object value) {
        Json.of(value); // fail now, not at build(), for values that cannot be written
        objectFields.put(Objects.requireNonNull(key, "key"), value);
        return this;
    }

    /**
     * Replaces the generated {@code data.object} with this JSON object; setters called on the builder
     * still apply on top of it (only those actually called).
     */
    public StripeEventBuilder dataObject(String json) {
        this.rawObject = Json.parseObject(json, "data object");
        return this;
    }

    /** Builds the event; each call draws new default ids. */
    public TestEvent build() {
        Instant eventCreated = created != null ? created : factory.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        String eventId = id != null ? id : factory.newId("evt_");
        JsonObject object;
        if (rawObject != null || kind == EventKind.RAW) {
            object = rawObject != null ? rawObject.deepCopy() : minimalObject(eventCreated);
            applyExplicit(object);
        } else {
            object = new StripeObjects(this, eventCreated).build();
        }
        objectFields.forEach((k, v) -> object.add(k, Json.of(v)));
        JsonObject data = new JsonObject();
        data.add("object", object);
        Map<String, Object> previous = previousAttributes != null ? previousAttributes : defaultPrevious();
        if (previous != null) {
            data.add("previous_attributes", Json.of(previous));
        }

        JsonObject event = new JsonObject();
        event.addProperty("id", eventId);
        event.addProperty("object", "event");
        if (account != null) {
            event.addProperty("account", account);
        }
        event.addProperty("api_version", apiVersion);
        event.addProperty("created", eventCreated.getEpochSecond());
        event.add("data", data);
        event.addProperty("livemode", livemode);
        event.addProperty("pending_webhooks", pendingWebhooks);
        event.add("request", automatic ? Json.obj("id", null, "idempotency_key", null)
                : Json.obj("id", requestId != null ? requestId : "req_" + factory.randomAlphanumeric(14),
                        "idempotency_key", idempotencyKey != null ? idempotencyKey : factory.randomUuid()));
        event.addProperty("type", type);
        String builtObjectId = Json.string(object, "id");
        return new TestEvent(eventId, type, eventCreated, builtObjectId == null ? "" : builtObjectId,
                Json.PRETTY.toJson(event));
    }

    private @Nullable Map<String, Object> defaultPrevious() {
        if (kind == EventKind.CUSTOMER_SUBSCRIPTION_UPDATED) {
            return Map.of("status", "incomplete");
        }
        if (type.endsWith(".updated")) {
            return Map.of("metadata", Map.of());
        }
        return null;
    }

    private JsonObject minimalObject(Instant eventCreated) {
        String[] parts = type.split("\\.");
        String objectName = parts.length > 1 ? type.substring(0, type.lastIndexOf('.')) : type;
        return Json.obj("id", objectId != null ? objectId : factory.newId("obj_"), "object", objectName,
                "created", eventCreated.getEpochSecond(), "livemode", livemode, "metadata", Map.of());
    }

    /** For caller-supplied objects: only what the test set explicitly. */
    private void applyExplicit(JsonObject object) {
        if (objectId != null) {
            object.addProperty("id", objectId);
        }
        if (amount != null) {
            object.addProperty("amount", amount);
        }
        if (customer != null) {
            object.addProperty("customer", customer);
        }
        if (status != null) {
            object.addProperty("status", status);
        }
        if (!metadata.isEmpty()) {
            object.add("metadata", Json.of(metadata));
        }
        if (livemode) {
            object.addProperty("livemode", true);
        }
        if (!"usd".equals(currency)) {
            object.addProperty("currency", currency);
        }
    }

    private static String requirePrefix(String value, String prefix, String name) {
        Objects.requireNonNull(value, name);
        if (!value.startsWith(prefix) || value.length() == prefix.length()) {
            throw new IllegalArgumentException(name + " must start with " + prefix + ", but was '" + value + "'");
        }
        return value;
    }

    // Read by StripeObjects.
    StripeEventFactory factory() { return factory; }
    EventKind kind() { return kind; }
    boolean livemode() { return livemode; }
    long amountOr(long fallback) { return amount != null ? amount : fallback; }
    String currency() { return currency; }
    @Nullable String customerOrNull() { return customer; }
    @Nullable String statusOrNull() { return status; }
    Map<String, String> metadata() { return metadata; }
    @Nullable String objectIdOrNull() { return objectId; }
    @Nullable String paymentIntentOrNull() { return paymentIntent; }
    @Nullable String chargeOrNull() { return charge; }
    @Nullable String subscriptionOrNull() { return subscription; }
}
