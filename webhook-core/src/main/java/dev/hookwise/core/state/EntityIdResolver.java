package dev.hookwise.core.state;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.hookwise.core.EventContext;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the id of the entity an event concerns. The factories read the raw event JSON, so they
 * work for every object type, whatever API version rendered it.
 *
 * <pre>{@code
 * EntityIdResolver.metadata("order_id")          // data.object.metadata.order_id
 * EntityIdResolver.objectId()                    // data.object.id (or a thin event's related object)
 * EntityIdResolver.field("payment_intent")       // data.object.payment_intent
 * ctx -> orders.findIdByPaymentIntent(...)       // anything the application knows
 * }</pre>
 */
@FunctionalInterface
public interface EntityIdResolver {

    /** The entity id named by the event; empty when the event does not name one. */
    Optional<String> resolve(EventContext context);

    /** How the id is found, for error messages. */
    default String description() {
        return "a custom resolver";
    }

    /** {@code data.object.metadata.<key>}: the id the application put into the Stripe object's metadata. */
    static EntityIdResolver metadata(String key) {
        requireText(key, "metadata key");
        return new Described("data.object.metadata." + key,
                ctx -> dataObject(ctx).map(o -> o.get("metadata")).flatMap(m -> text(m, key)));
    }

    /** The id of {@code data.object} (for thin events, the related object's id). */
    static EntityIdResolver objectId() {
        return new Described("data.object.id", ctx -> ctx.envelope().objectId().filter(s -> !s.isBlank()));
    }

    /**
     * A string field of {@code data.object}, by a dotted path ({@code payment_intent},
     * {@code metadata.order_id}).
     */
    static EntityIdResolver field(String dottedPath) {
        requireText(dottedPath, "path");
        List<String> parts = List.of(dottedPath.split("\\."));
        return new Described("data.object." + dottedPath, ctx -> {
            Optional<JsonElement> at = dataObject(ctx).map(o -> o);
            for (int i = 0; i < parts.size() - 1 && at.isPresent(); i++) {
                String part = parts.get(i);
                at = at.flatMap(e -> e.isJsonObject() ? Optional.ofNullable(e.getAsJsonObject().get(part)) : Optional.empty());
            }
            return at.flatMap(e -> text(e, parts.get(parts.size() - 1)));
        });
    }

    /** The first id that one of {@code resolvers} finds, tried in order. */
    static EntityIdResolver firstOf(EntityIdResolver... resolvers) {
        List<EntityIdResolver> all = List.of(resolvers);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("firstOf needs at least one resolver");
        }
        String description = String.join(" or ", all.stream().map(EntityIdResolver::description).toList());
        return new Described(description, ctx -> {
            for (EntityIdResolver r : all) {
                Optional<String> id = r.resolve(ctx);
                if (id.isPresent()) {
                    return id;
                }
            }
            return Optional.empty();
        });
    }

    private static Optional<JsonObject> dataObject(EventContext ctx) {
        if (ctx.envelope().isThin()) {
            return Optional.empty();
        }
        try {
            JsonElement root = JsonParser.parseString(ctx.rawJson());
            if (!root.isJsonObject()) {
                return Optional.empty();
            }
            JsonElement data = root.getAsJsonObject().get("data");
            if (data == null || !data.isJsonObject()) {
                return Optional.empty();
            }
            JsonElement object = data.getAsJsonObject().get("object");
            return object != null && object.isJsonObject() ? Optional.of(object.getAsJsonObject()) : Optional.empty();
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonElement parent, String key) {
        if (parent == null || !parent.isJsonObject()) {
            return Optional.empty();
        }
        JsonElement value = parent.getAsJsonObject().get(key);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            return Optional.empty();
        }
        String s = value.getAsString().trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    /** A resolver with a description. */
    record Described(String description, EntityIdResolver delegate) implements EntityIdResolver {
        @Override
        public Optional<String> resolve(EventContext context) {
            return delegate.resolve(context);
        }
    }
}
