package dev.hookwise.core;

import com.stripe.model.Event;
import com.stripe.model.StripeObject;
import dev.hookwise.core.spi.EventSource;
import java.time.Instant;
import java.util.Objects;

/**
 * What a handler gets with each event: the envelope, which attempt this is, and how the event
 * reached the pipeline.
 *
 * @param envelope the parsed event
 * @param attempt the store's attempt number, 1 for the first claim
 * @param source how the event arrived (webhook, replay, recovery, reconciliation)
 */
public record EventContext(EventEnvelope envelope, int attempt, EventSource source) {

    public EventContext {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(source, "source");
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
     * The event's data object as {@code type}.
     *
     * @throws PermanentWebhookFailure when the event carries no such object (a thin event, or a
     *     handler registered for the wrong class): retrying cannot change the payload
     */
    public <T extends StripeObject> T dataObject(Class<T> type) {
        StripeObject object = envelope.dataObject().orElseThrow(() -> new PermanentWebhookFailure(
                "event " + eventId() + " (" + eventType() + ") has no data object to read as " + type.getSimpleName()));
        if (!type.isInstance(object)) {
            throw new PermanentWebhookFailure("event " + eventId() + " (" + eventType() + ") carries a "
                    + object.getClass().getSimpleName() + ", not a " + type.getSimpleName()
                    + ": check the handler's registration");
        }
        return type.cast(object);
    }
}
