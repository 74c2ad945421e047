package dev.hookwise.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Observes the pipeline: metrics, health and audit hook in here. Every method is a no-op by
 * default, so an implementation overrides only what it needs and the hot path never checks for
 * null. A listener's exception is logged and never reaches the pipeline.
 */
public interface WebhookListener {

    /** A no-op listener. */
    WebhookListener NONE = new WebhookListener() {};

    /** A listener that tells each of {@code listeners}, in order; one failing does not stop the others. */
    static WebhookListener composite(WebhookListener... listeners) {
        java.util.List<WebhookListener> all = java.util.List.of(listeners);
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WebhookListener.class);
        return new WebhookListener() {
            @Override
            public void onResponse(WebhookResponse response, @Nullable String eventType) {
                each(l -> l.onResponse(response, eventType));
            }

            @Override
            public void onHandled(String eventType, Outcome outcome, Duration processingTime, boolean dead) {
                each(l -> l.onHandled(eventType, outcome, processingTime, dead));
            }

            @Override
            public void onOverload(String reason) {
                each(l -> l.onOverload(reason));
            }

            @Override
            public void onHandlerTimeout(String eventType, String eventId) {
                each(l -> l.onHandlerTimeout(eventType, eventId));
            }

            private void each(java.util.function.Consumer<WebhookListener> call) {
                for (WebhookListener l : all) {
                    try {
                        call.accept(l);
                    } catch (RuntimeException e) {
                        log.warn("a WebhookListener failed; the others still run", e);
                    }
                }
            }
        };
    }

    /**
     * Every answer given to a delivery, rejections included.
     *
     * @param eventType the event's type, or null when the request was rejected before parsing
     */
    default void onResponse(WebhookResponse response, @Nullable String eventType) {}

    /**
     * Every run of an event's handlers, in a request (sync) or in a worker (async).
     *
     * @param outcome {@link Outcome#PROCESSED}, {@link Outcome#FAILED_PERMANENT},
     *     {@link Outcome#RETRY_LATER} or {@link Outcome#FAILED_TRANSIENT}
     * @param dead whether the event is now dead (permanent failure or attempts exhausted)
     */
    default void onHandled(String eventType, Outcome outcome, Duration processingTime, boolean dead) {}

    /** A delivery refused because of backlog or in-flight limits. */
    default void onOverload(String reason) {}

    /**
     * A handler run passed the processor's {@code handlerTimeout} and was interrupted; told from the
     * lease keeper's thread while the handler may still be running.
     *
     * @since 0.2.0
     */
    default void onHandlerTimeout(String eventType, String eventId) {}
}
