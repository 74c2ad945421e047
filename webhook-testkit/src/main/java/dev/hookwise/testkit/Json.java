package dev.hookwise.testkit;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Small Gson helpers for writing Stripe-shaped JSON. Gson is what stripe-java itself reads with, and
 * its {@link JsonObject} keeps insertion order, so payloads keep the field order Stripe sends.
 */
final class Json {
    /** Stripe sends events pretty-printed with two-space indentation and explicit nulls. */
    static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
    static final Gson COMPACT = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Json() {}

    /** An object from alternating keys and values, in order. */
    static JsonObject obj(@Nullable Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        JsonObject o = new JsonObject();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            o.add((String) keysAndValues[i], of(keysAndValues[i + 1]));
        }
        return o;
    }

    /** An array of the given values. */
    static JsonArray arr(@Nullable Object... values) {
        JsonArray a = new JsonArray();
        for (Object v : values) {
            a.add(of(v));
        }
        return a;
    }

    /** Converts a Java value (null, String, Number, Boolean, Map, Collection, JsonElement) to JSON. */
    static JsonElement of(@Nullable Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof JsonElement e) {
            return e.deepCopy();
        }
        if (value instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (value instanceof Map<?, ?> m) {
            JsonObject o = new JsonObject();
            m.forEach((k, v) -> o.add(String.valueOf(k), of(v)));
            return o;
        }
        if (value instanceof Collection<?> c) {
            JsonArray a = new JsonArray();
            c.forEach(v -> a.add(of(v)));
            return a;
        }
        throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON: use null, a"
                + " String, Number, Boolean, Map, Collection or Gson JsonElement");
    }

    /** Parses text that must be a JSON object. */
    static JsonObject parseObject(String json, String what) {
        JsonElement e;
        try {
            e = JsonParser.parseString(json);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + ex.getMessage(), ex);
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
        return e.getAsJsonObject();
    }

    /** A string member, or null when absent or not a string. */
    static @Nullable String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
