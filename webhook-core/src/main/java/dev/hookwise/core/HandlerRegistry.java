package dev.hookwise.core;

import com.stripe.model.StripeObject;
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
            return HandlerRegistry.matches(pattern, type);
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

    /** The registered patterns, in order (for diagnostics). */
    public List<String> patterns() {
        return registrations.stream().map(Registration::pattern).toList();
    }

    /** Whether a validated pattern (exact, {@code prefix.*} or {@code *}) matches {@code type}. */
    static boolean matches(String pattern, String type) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }

    /** Checks a type pattern and returns it; shared by the registry and {@link EventFilter}. */
    static String validatePattern(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isBlank()) {
            throw new HookwiseConfigurationException("an event type pattern is empty");
        }
        int star = pattern.indexOf('*');
        boolean ok = star < 0 || pattern.equals("*") || (star == pattern.length() - 1 && pattern.endsWith(".*") && pattern.length() > 2);
        if (!ok) {
            throw new HookwiseConfigurationException("event type pattern '" + pattern + "' is not valid: use an exact"
                    + " type (payment_intent.succeeded), a prefix ending in .* (invoice.*), or * alone");
        }
        return pattern;
    }

    /** Builder for {@link HandlerRegistry}. */
    public static final class Builder {
        private final List<Registration> registrations = new ArrayList<>();

        private Builder() {}

        /** Registers a handler for a type pattern. */
        public Builder on(String pattern, WebhookHandler handler) {
            Objects.requireNonNull(handler, "handler");
            registrations.add(new Registration(validatePattern(pattern), handler));
            return this;
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

        public HandlerRegistry build() {
            return new HandlerRegistry(registrations);
        }
    }
}
