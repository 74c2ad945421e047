package dev.hookwise.core;

import com.stripe.model.StripeObject;
import dev.hookwise.core.internal.EventTypePatterns;
import dev.hookwise.core.policy.EventFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which handlers run for which event types. A pattern is an exact type
 * ({@code payment_intent.succeeded}), a prefix ending in {@code .*} ({@code invoice.*}), or
 * {@code *} for every event. All handlers whose pattern matches run, in registration order.
 *
 * <pre>{@code
 * HandlerRegistry handlers = HandlerRegistry.builder()
 *         .on("payment_intent.succeeded", PaymentIntent.class, (pi, ctx) -> orders.markPaid(pi))
 *         .on("invoice.*", ctx -> audit.record(ctx.eventId()))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe once built.
 */
public final class HandlerRegistry {

    private record Registration(String pattern, WebhookHandler handler) {
        boolean matches(String type) {
            return EventTypePatterns.matches(pattern, type);
        }
    }

    private final List<Registration> registrations;
    private final Map<String, List<WebhookHandler>> byType = new ConcurrentHashMap<>();

    private HandlerRegistry(List<Registration> registrations) {
        this.registrations = List.copyOf(registrations);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A registry without handlers: every event is answered {@code ignored}. */
    public static HandlerRegistry empty() {
        return new HandlerRegistry(List.of());
    }

    /** The handlers for {@code type}, in registration order; empty when nobody handles it. */
    public List<WebhookHandler> handlersFor(String type) {
        return byType.computeIfAbsent(type, t -> {
            List<WebhookHandler> out = new ArrayList<>();
            for (Registration r : registrations) {
                if (r.matches(t)) {
                    out.add(r.handler());
                }
            }
            return List.copyOf(out);
        });
    }

    /** Whether any handler matches {@code type}. */
    public boolean handles(String type) {
        return !handlersFor(type).isEmpty();
    }

    /**
     * Whether any registered handler is a {@link TransactionalWebhookHandler}, which needs a
     * {@link dev.hookwise.core.spi.TransactionalStore}.
     *
     * @since 0.2.0
     */
    public boolean hasTransactionalHandlers() {
        return registrations.stream().anyMatch(r -> r.handler() instanceof TransactionalWebhookHandler);
    }

    /** The patterns of the transactional handlers, in order (for configuration messages). */
    List<String> transactionalPatterns() {
        return registrations.stream().filter(r -> r.handler() instanceof TransactionalWebhookHandler)
                .map(Registration::pattern).toList();
    }

    /** Whether any of {@code handlers} is a {@link TransactionalWebhookHandler}: the event then runs in the store's transaction. */
    static boolean anyTransactional(List<WebhookHandler> handlers) {
        for (WebhookHandler h : handlers) {
            if (h instanceof TransactionalWebhookHandler) {
                return true;
            }
        }
        return false;
    }

    /** The registered patterns, in order (for diagnostics). */
    public List<String> patterns() {
        return registrations.stream().map(Registration::pattern).toList();
    }

    /** Builder for {@link HandlerRegistry}. */
    public static final class Builder {
        private final List<Registration> registrations = new ArrayList<>();

        private Builder() {}

        /** Registers a handler for a type pattern. */
        public Builder on(String pattern, WebhookHandler handler) {
            Objects.requireNonNull(handler, "handler");
            registrations.add(new Registration(EventTypePatterns.validate(pattern), handler));
            return this;
        }

        /**
         * Registers a handler whose writes commit with the event's completion (see
         * {@link TransactionalWebhookHandler}); the processor's store must be a
         * {@link dev.hookwise.core.spi.TransactionalStore}.
         *
         * <pre>{@code
         * registry.on("invoice.paid", (ctx, tx) -> ledger.record(tx.unwrap(Connection.class), ctx.eventId()));
         * }</pre>
         *
         * @since 0.2.0
         */
        public Builder on(String pattern, TransactionalWebhookHandler handler) {
            return on(pattern, (WebhookHandler) handler);
        }

        /**
         * Registers a handler that receives {@code data.object} as {@code objectType}.
         *
         * <p>The object is read before the handler runs. A payload stripe-java cannot read (a field
         * of the wrong type, no {@code data.object}) fails the run with an
         * {@link UnreadablePayloadException}, which is permanent: the event is recorded dead and
         * answered 200 {@code failed_permanent} instead of failing on every redelivery. What the
         * handler itself throws keeps its own classification.
         */
        public <T extends StripeObject> Builder on(String pattern, Class<T> objectType, TypedWebhookHandler<T> handler) {
            Objects.requireNonNull(objectType, "objectType");
            Objects.requireNonNull(handler, "handler");
            return on(pattern, ctx -> handler.handle(ctx.dataObject(objectType), ctx));
        }

        /** Registers a handler for every event. */
        public Builder onAny(WebhookHandler handler) {
            return on("*", handler);
        }

        /**
         * Registers a transactional handler for every event.
         *
         * @since 0.2.0
         */
        public Builder onAny(TransactionalWebhookHandler handler) {
            return on("*", handler);
        }

        public HandlerRegistry build() {
            return new HandlerRegistry(registrations);
        }
    }
}
