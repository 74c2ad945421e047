package dev.hookwise.core.state;

/**
 * What {@link StateTransitions} does with an event whose prerequisite has not happened yet: the
 * entity is in a state from which the target can be reached later but not now (a payment
 * succeeded before the order reached {@code pending_payment}), or the entity does not exist yet.
 */
public enum EarlyEventPolicy {
    /**
     * Throw {@link dev.hookwise.core.RetryLaterException}: in synchronous mode the endpoint answers
     * 422 so that Stripe delivers the event again later; the event is recorded as failed and
     * claimable again. The attempt stays in the entity's history.
     */
    RETRY_LATER,
    /**
     * Keep the attempt in the entity's history, log it, and acknowledge the event: it will not
     * move the entity, ever. For events that are informative only, or whose effect a later event
     * also brings.
     */
    RECORD_AND_ACKNOWLEDGE
}
