package dev.hookwise.core;

/**
 * Reacts to an event. Handlers must be idempotent in effect where they can: the pipeline runs a
 * handler once per event under normal operation, but a crash between the handler's effect and the
 * store's record of it means a later attempt runs it again.
 *
 * <p>Throw {@link PermanentWebhookFailure} for what retrying cannot fix, {@link RetryLaterException}
 * when a prerequisite has not happened yet; any other exception is treated as transient and retried.
 */
@FunctionalInterface
public interface WebhookHandler {
    void handle(EventContext context) throws Exception;
}
