package dev.hookwise.testkit;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Builds Stripe events with the shape Stripe really sends: {@code evt_…} ids, {@code "object":
 * "event"}, {@code api_version} (stripe-java's {@link com.stripe.Stripe#API_VERSION} unless set),
 * {@code created}, {@code livemode}, {@code pending_webhooks}, {@code request {id,
 * idempotency_key}}, {@code type}, and a {@code data.object} with the object's real fields and id
 * prefixes; {@code *.updated} events carry {@code data.previous_attributes}. Every event this
 * factory builds deserialises with stripe-java into its typed class without a fallback.
 *
 * <pre>{@code
 * StripeEventFactory events = StripeEventFactory.create(clock);
 * TestEvent paid = events.paymentIntentSucceeded()
 *         .amount(4200).currency("eur")
 *         .metadata("order_id", "ord_17")
 *         .build();
 * }</pre>
 *
 * <p>Ids are random; {@link #create(Clock, long)} seeds them, so that one seed and one fixed clock
 * give byte-identical events on every run. {@code created} defaults to the clock's time. A factory is
 * thread-safe; a builder is not (use one per event).
 */
public final class StripeEventFactory {

    /** Every type with a built-in object shape, in the order of the methods below. */
    public static final List<String> SUPPORTED_TYPES = EventKind.typed().stream().map(EventKind::type).toList();

    private static final char[] ALPHANUMERIC =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final Clock clock;
    private final Random random;

    private StripeEventFactory(Clock clock, Random random) {
        this.clock = clock;
        this.random = random;
    }

    /** A factory on the system clock with random ids. */
    public static StripeEventFactory create() {
        return new StripeEventFactory(Clock.systemUTC(), new Random());
    }

    /** A factory whose events are created at {@code clock}'s time, with random ids. */
    public static StripeEventFactory create(Clock clock) {
        return new StripeEventFactory(Objects.requireNonNull(clock, "clock"), new Random());
    }

    /** A reproducible factory: the same seed and clock give the same ids and bytes on every run. */
    public static StripeEventFactory create(Clock clock, long seed) {
        return new StripeEventFactory(Objects.requireNonNull(clock, "clock"), new Random(seed));
    }

    /** The clock whose time new events get as {@code created}. */
    public Clock clock() {
        return clock;
    }

    /** {@code checkout.session.completed}: a paid {@code checkout.session} ({@code cs_…}) in payment mode. */
    public StripeEventBuilder checkoutSessionCompleted() {
        return new StripeEventBuilder(this, EventKind.CHECKOUT_SESSION_COMPLETED);
    }

    /** {@code payment_intent.succeeded}: a {@code payment_intent} ({@code pi_…}) with status succeeded. */
    public StripeEventBuilder paymentIntentSucceeded() {
        return new StripeEventBuilder(this, EventKind.PAYMENT_INTENT_SUCCEEDED);
    }

    /** {@code payment_intent.payment_failed}: a declined card, status requires_payment_method, last_payment_error set. */
    public StripeEventBuilder paymentIntentPaymentFailed() {
        return new StripeEventBuilder(this, EventKind.PAYMENT_INTENT_PAYMENT_FAILED);
    }

    /** {@code payment_intent.canceled}: status canceled with canceled_at and cancellation_reason. */
    public StripeEventBuilder paymentIntentCanceled() {
        return new StripeEventBuilder(this, EventKind.PAYMENT_INTENT_CANCELED);
    }

    /** {@code charge.refunded}: a captured {@code charge} ({@code ch_…}), fully refunded unless amount_refunded is overridden. */
    public StripeEventBuilder chargeRefunded() {
        return new StripeEventBuilder(this, EventKind.CHARGE_REFUNDED);
    }

    /** {@code charge.dispute.created}: a {@code dispute} ({@code dp_…}) with status needs_response. */
    public StripeEventBuilder chargeDisputeCreated() {
        return new StripeEventBuilder(this, EventKind.CHARGE_DISPUTE_CREATED);
    }

    /** {@code charge.dispute.closed}: a {@code dispute} with status lost (set {@code status("won")} for the other ending). */
    public StripeEventBuilder chargeDisputeClosed() {
        return new StripeEventBuilder(this, EventKind.CHARGE_DISPUTE_CLOSED);
    }

    /** {@code customer.subscription.created}: an active monthly {@code subscription} ({@code sub_…}) with one item. */
    public StripeEventBuilder customerSubscriptionCreated() {
        return new StripeEventBuilder(this, EventKind.CUSTOMER_SUBSCRIPTION_CREATED);
    }

    /** {@code customer.subscription.updated}: active, with {@code previous_attributes {"status": "incomplete"}} unless set. */
    public StripeEventBuilder customerSubscriptionUpdated() {
        return new StripeEventBuilder(this, EventKind.CUSTOMER_SUBSCRIPTION_UPDATED);
    }

    /** {@code customer.subscription.deleted}: status canceled with canceled_at and ended_at. */
    public StripeEventBuilder customerSubscriptionDeleted() {
        return new StripeEventBuilder(this, EventKind.CUSTOMER_SUBSCRIPTION_DELETED);
    }

    /** {@code invoice.payment_succeeded}: a paid subscription-cycle {@code invoice} ({@code in_…}). */
    public StripeEventBuilder invoicePaymentSucceeded() {
        return new StripeEventBuilder(this, EventKind.INVOICE_PAYMENT_SUCCEEDED);
    }

    /** {@code invoice.payment_failed}: an open invoice with one failed attempt and a next attempt scheduled. */
    public StripeEventBuilder invoicePaymentFailed() {
        return new StripeEventBuilder(this, EventKind.INVOICE_PAYMENT_FAILED);
    }

    /** {@code customer.created}: a {@code customer} ({@code cus_…}); handy for the fake API's customer lookups. */
    public StripeEventBuilder customerCreated() {
        return new StripeEventBuilder(this, EventKind.CUSTOMER_CREATED);
    }

    /**
     * Any event type. Types listed in {@link #SUPPORTED_TYPES} get their built-in shape; any other type
     * gets a minimal {@code data.object}; give it the real one with
     * {@link StripeEventBuilder#dataObject(String)}.
     *
     * <pre>{@code
     * TestEvent payout = events.event("payout.paid")
     *         .dataObject("{\"id\": \"po_123\", \"object\": \"payout\", \"amount\": 1000}")
     *         .build();
     * }</pre>
     */
    public StripeEventBuilder event(String type) {
        Objects.requireNonNull(type, "type");
        if (type.isBlank() || type.contains(" ")) {
            throw new IllegalArgumentException("event type must look like payment_intent.succeeded, but was '" + type + "'");
        }
        return new StripeEventBuilder(this, EventKind.forType(type), type);
    }

    /** A new Stripe-style id: {@code prefix} followed by 24 letters and digits. */
    public String newId(String prefix) {
        return prefix + randomAlphanumeric(24);
    }

    String randomAlphanumeric(int length) {
        char[] out = new char[length];
        synchronized (random) {
            for (int i = 0; i < length; i++) {
                out[i] = ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)];
            }
        }
        return new String(out);
    }

    String randomUuid() {
        long hi;
        long lo;
        synchronized (random) {
            hi = random.nextLong();
            lo = random.nextLong();
        }
        hi = (hi & ~0xF000L) | 0x4000L; // version 4
        lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new java.util.UUID(hi, lo).toString();
    }
}
