package dev.hookwise.core.state;

import dev.hookwise.core.PermanentWebhookFailure;

/**
 * The event does not name the entity a rule should move (no {@code metadata.order_id}, say).
 * Redelivering the same payload cannot add it, so this is a {@link PermanentWebhookFailure}: the
 * event is recorded dead, answered 200, and can be replayed once the resolver or the payment's
 * metadata is fixed. Nothing is written to the state store.
 */
public class MissingEntityIdException extends PermanentWebhookFailure {
    private static final long serialVersionUID = 1L;

    public MissingEntityIdException(String message) {
        super(message);
    }
}
