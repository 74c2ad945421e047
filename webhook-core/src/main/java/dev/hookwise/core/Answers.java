package dev.hookwise.core;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How {@link WebhookProcessor} answers: 503s with {@code Retry-After}, and the listener told of each answer. */
final class Answers {
    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);

    private final WebhookListener listener;
    private final Duration retryAfter;

    Answers(WebhookListener listener, Duration retryAfter) {
        this.listener = listener;
        this.retryAfter = retryAfter;
    }

    WebhookResponse unavailable(Outcome outcome, String eventId, String detail) {
        return new WebhookResponse(outcome, eventId, detail,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds()))));
    }

    WebhookResponse notify(WebhookResponse response, @Nullable String eventType) {
        listenerSafely(() -> listener.onResponse(response, eventType));
        return response;
    }

    /** Runs a listener call; a listener that throws is logged, never thrown into the pipeline. */
    static void listenerSafely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("a WebhookListener failed; the pipeline continues", e);
        }
    }
}
