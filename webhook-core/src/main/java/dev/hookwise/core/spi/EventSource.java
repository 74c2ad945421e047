package dev.hookwise.core.spi;

/** How an event reached the pipeline. */
public enum EventSource {
    /** Delivered by Stripe to the endpoint, signature checked. */
    WEBHOOK,
    /** Sent through the pipeline again from the event log by an operator or the API. */
    REPLAY,
    /** Found missing by listing Stripe's Events API and processed late. */
    RECOVERY,
    /** Produced by a reconciler correcting drift. */
    RECONCILIATION
}
