package dev.hookwise.spring;

import dev.hookwise.core.WebhookHandler;
import java.util.List;
import java.util.Objects;

/**
 * A handler and the event types it receives, declared as a bean: the way to register a
 * {@link WebhookHandler} (a lambda, a library's handler) without annotating its class.
 *
 * <pre>{@code
 * @Bean
 * HookwiseHandlerRegistration refunds(RefundService service) {
 *     return HookwiseHandlerRegistration.of("charge.refunded", ctx -> service.refund(ctx.eventId()));
 * }
 * }</pre>
 *
 * <p>A {@link TransactionalStripeHandler} registered this way runs inside the event log's transaction:
 * {@code HookwiseHandlerRegistration.of("invoice.paid", (TransactionalStripeHandler) ctx -> ledger.book(ctx))}.
 *
 * @param patterns event type patterns ({@code payment_intent.succeeded}, {@code invoice.*}, {@code *})
 * @param handler the handler
 */
public record HookwiseHandlerRegistration(List<String> patterns, WebhookHandler handler) {

    public HookwiseHandlerRegistration {
        patterns = List.copyOf(patterns);
        Objects.requireNonNull(handler, "handler");
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("a handler registration needs at least one event type pattern");
        }
    }

    /** A registration of {@code handler} for one or more patterns. */
    public static HookwiseHandlerRegistration of(String pattern, WebhookHandler handler, String... morePatterns) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        all.add(pattern);
        all.addAll(List.of(morePatterns));
        return new HookwiseHandlerRegistration(all, handler);
    }
}
