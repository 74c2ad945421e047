package dev.hookwise.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A signed, routable event whose payload stripe-java cannot turn into objects: {@code data.object}
 * is missing or not a JSON object, or one of its fields has a type the stripe-java model does not
 * accept ({@code "amount":"lots"} in a {@code PaymentIntent}).
 *
 * <p>Redelivering the same bytes fails the same way, so this is permanent: thrown while a handler
 * asks for the typed object ({@link EventContext#dataObject(Class)}, a handler registered with
 * {@link HandlerRegistry.Builder#on(String, Class, TypedWebhookHandler)}), it marks the event
 * {@link dev.hookwise.core.spi.EventStatus#DEAD DEAD}, is answered 200 {@code failed_permanent}, and the
 * event stays replayable once a handler that reads {@link EventContext#rawJson()} (or a newer
 * stripe-java) can cope with it. It is a {@link MalformedEventException} (reason
 * {@code malformed_event}): the event is malformed for stripe-java, even though its envelope was fine.
 *
 * <p>The message names the event and, where Gson could tell, the offending field as a path inside
 * the event ({@link #field()}, e.g. {@code data.object.amount}); it never contains the field's value.
 *
 * @since 0.1.0
 */
public class UnreadablePayloadException extends MalformedEventException {
    private static final long serialVersionUID = 1L;

    private final String eventId;
    private final @Nullable String field;

    /**
     * @param eventId the event's id
     * @param field the offending field as a path inside the event ({@code data.object.amount}), or
     *     null when it could not be determined
     * @param message what was wrong and what to do; never the field's value
     * @param cause what stripe-java or Gson threw, if anything
     */
    public UnreadablePayloadException(String eventId, @Nullable String field, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        this.field = field;
    }

    /** The id of the event whose payload could not be read. */
    public String eventId() {
        return eventId;
    }

    /**
     * The offending field as a dotted path inside the event ({@code data.object.amount},
     * {@code data.object.shipping.address.city}, {@code data.object}), if it could be determined.
     */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
