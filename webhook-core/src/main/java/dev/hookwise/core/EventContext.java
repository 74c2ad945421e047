package dev.hookwise.core;

import com.stripe.model.Event;
import com.stripe.model.StripeObject;
import dev.hookwise.core.internal.StripeObjectFetcher;
import dev.hookwise.core.spi.EventSource;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a handler gets with each event: the envelope, which attempt this is, how the event reached
 * the pipeline, and — when the processor has a Stripe client — the object's current state from
 * the API ({@link #fetchLatest()}).
 *
 * <p>One context is shared by all handlers of one event run, so a fetched object is fetched once.
 */
public final class EventContext {
    private final EventEnvelope envelope;
    private final int attempt;
    private final EventSource source;
    private final @Nullable StripeObjectFetcher fetcher;
    private @Nullable StripeObject latest;

    /**
     * @param envelope the parsed event
     * @param attempt the store's attempt number, 1 for the first claim
     * @param source how the event arrived (webhook, replay, recovery, reconciliation)
     */
    public EventContext(EventEnvelope envelope, int attempt, EventSource source) {
        this(envelope, attempt, source, null);
    }

    EventContext(EventEnvelope envelope, int attempt, EventSource source, @Nullable StripeObjectFetcher fetcher) {
        this.envelope = Objects.requireNonNull(envelope, "envelope");
        this.attempt = attempt;
        this.source = Objects.requireNonNull(source, "source");
        this.fetcher = fetcher;
    }

    public EventEnvelope envelope() {
        return envelope;
    }

    /** The store's attempt number, 1 for the first claim. */
    public int attempt() {
        return attempt;
    }

    /** How the event arrived. */
    public EventSource source() {
        return source;
    }

    public String eventId() {
        return envelope.id();
    }

    public String eventType() {
        return envelope.type();
    }

    public Instant created() {
        return envelope.created();
    }

    /** The raw event JSON as received. */
    public String rawJson() {
        return envelope.rawJson();
    }

    /** The stripe-java event. */
    public Event stripeEvent() {
        return envelope.stripeEvent();
    }

    /**
     * The event's data object as {@code type}. An event without {@code api_version}, or rendered
     * with another version than stripe-java's, is read without the version check (see
     * {@link EventEnvelope#dataObject()}).
     *
     * @throws PermanentWebhookFailure when the event carries no such object (a thin event, or a
     *     handler registered for the wrong class): retrying cannot change the payload
     * @throws UnreadablePayloadException (also permanent) when stripe-java cannot read
     *     {@code data.object}: the message names the event and the field; the handler can read
     *     {@link #rawJson()} instead
     */
    public <T extends StripeObject> T dataObject(Class<T> type) {
        StripeObject object = envelope.dataObject().orElseThrow(() -> new PermanentWebhookFailure(
                "event " + eventId() + " (" + eventType() + ") has no data object to read as " + type.getSimpleName()));
        return cast(object, type);
    }

    /**
     * The event's object as Stripe has it now, fetched from the API on first use and shared by the
     * event's other handlers. This is the re-fetch strategy against late events and API-version
     * drift: the payload says what was true when the event was created; this says what is true now.
     *
     * <pre>{@code
     * PaymentIntent now = ctx.fetchLatest(PaymentIntent.class);
     * if ("succeeded".equals(now.getStatus())) { orders.markPaid(now); }
     * }</pre>
     *
     * @throws PermanentWebhookFailure when the processor has no Stripe client, the object kind
     *     cannot be fetched, or Stripe says the object does not exist
     * @throws StripeApiException (transient, retried) when Stripe cannot be reached or rate-limits
     */
    public synchronized StripeObject fetchLatest() {
        if (latest == null) {
            if (fetcher == null) {
                throw new PermanentWebhookFailure("fetchLatest() needs a Stripe client: configure"
                        + " WebhookProcessor.builder().stripeClient(...)");
            }
            String type = envelope.objectType().orElseThrow(() -> new PermanentWebhookFailure(
                    "event " + eventId() + " names no object to fetch"));
            String id = envelope.objectId().orElseThrow(() -> new PermanentWebhookFailure(
                    "event " + eventId() + " names no object to fetch"));
            latest = fetcher.fetch(type, id);
        }
        return latest;
    }

    /** {@link #fetchLatest()} as {@code type}. */
    public <T extends StripeObject> T fetchLatest(Class<T> type) {
        return cast(fetchLatest(), type);
    }

    private <T extends StripeObject> T cast(StripeObject object, Class<T> type) {
        if (!type.isInstance(object)) {
            throw new PermanentWebhookFailure("event " + eventId() + " (" + eventType() + ") carries a "
                    + object.getClass().getSimpleName() + ", not a " + type.getSimpleName()
                    + ": check the handler's registration");
        }
        return type.cast(object);
    }

    @Override
    public String toString() {
        return "EventContext[" + envelope + ", attempt=" + attempt + ", source=" + source + "]";
    }
}
