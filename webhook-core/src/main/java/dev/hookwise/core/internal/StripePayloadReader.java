package dev.hookwise.core.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.stripe.Stripe;
import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.model.Event;
import com.stripe.model.EventDataClassLookup;
import com.stripe.model.EventDataObjectDeserializer;
import com.stripe.model.StripeObject;
import com.stripe.model.StripeRawJsonObject;
import com.stripe.net.ApiResource;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.UnreadablePayloadException;
import java.io.IOException;
import java.io.StringReader;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an event's bytes into stripe-java objects and, when stripe-java cannot, throws an
 * {@link UnreadablePayloadException} that names the event and the field.
 *
 * <p>The hazard: stripe-java 33.3.0 reports an unreadable payload in many shapes, and some of them
 * look transient. An event without {@code api_version} makes
 * {@link EventDataObjectDeserializer#getObject()} (and {@code deserializeUnsafe()}'s error path)
 * throw a {@link NullPointerException}; a {@code data.object} without {@code "object"} does too; a
 * {@code data.object} that is not a JSON object is an {@link IllegalStateException}; a wrong-typed
 * field is a {@code JsonSyntaxException} or an {@link EventDataObjectDeserializationException}.
 * Every one of them would fail again on every redelivery, so every one is wrapped here, and
 * nothing stripe-java throws while reading leaves this class as anything else.
 *
 * <p>Naming the field: Gson 2.10 puts the path in its message only for some errors ("Expected
 * STRING but was BEGIN_OBJECT at path $.shipping.address.city"); a number field holding a string
 * gives only {@code NumberFormatException: For input string: …}, and stripe-java's own exception
 * keeps the message but drops the cause. So after a failure the object is read once more with the
 * same Gson adapter from a streaming {@link JsonReader}, whose {@link JsonReader#getPath()} says
 * where it stopped. Custom stripe-java deserialisers (expandable fields) re-read their subtree from
 * its own root, so a path in their message is relative to where the outer reader stopped and the
 * two are joined. The field's value never goes into the message: it may be personal data.
 */
public final class StripePayloadReader {
    private static final Logger log = LoggerFactory.getLogger(EventEnvelope.class);

    private static final Pattern GSON_PATH = Pattern.compile("path (\\$\\S*)");
    private static final Pattern GSON_EXPECTED = Pattern.compile("Expected (?:an? )?([A-Za-z_]+) but was ([A-Za-z_]+)\\b");

    private StripePayloadReader() {}

    /**
     * The stripe-java event for a snapshot envelope.
     *
     * @throws UnreadablePayloadException when stripe-java cannot read the event
     */
    public static Event event(EventEnvelope envelope) {
        Event event;
        try {
            event = ApiResource.GSON.fromJson(envelope.rawJson(), Event.class);
        } catch (RuntimeException e) {
            throw diagnose(envelope, false, e);
        }
        if (event == null) {
            throw unreadable(envelope, false, null, null, "Gson found no event in the body", null);
        }
        return event;
    }

    /**
     * The typed {@code data.object} of {@code event}. An event rendered with another API version than
     * stripe-java's, or without one, is read by stripe-java's unsafe deserialisation (no version
     * check) with a warning.
     *
     * @throws UnreadablePayloadException when stripe-java cannot read {@code data.object}
     */
    public static StripeObject dataObject(EventEnvelope envelope, Event event) {
        StripeObject object;
        try {
            EventDataObjectDeserializer deserializer = event.getDataObjectDeserializer();
            // the safe path compares versions and throws a NullPointerException when there is none
            if (envelope.apiVersion().isPresent()) {
                Optional<StripeObject> safe = deserializer.getObject();
                if (safe.isPresent()) {
                    return safe.get();
                }
            }
            object = deserializer.deserializeUnsafe();
        } catch (EventDataObjectDeserializationException | RuntimeException e) {
            throw diagnose(envelope, true, e);
        }
        if (object == null) {
            throw unreadable(envelope, true, null, "data.object", "was read as nothing", null);
        }
        if (envelope.apiVersion().isEmpty()) {
            log.warn("event {} ({}) has no api_version; deserialised data.object with stripe-java {}'s model for {}"
                    + " without the version check", envelope.id(), envelope.type(), Stripe.VERSION, Stripe.API_VERSION);
        } else {
            log.warn("event {} ({}) has api_version {} but stripe-java {} expects {}; deserialised data.object without"
                            + " the version check", envelope.id(), envelope.type(), envelope.apiVersion().get(),
                    Stripe.VERSION, Stripe.API_VERSION);
        }
        return object;
    }

    /** Works out which field stripe-java could not read; never throws anything but the result. */
    private static UnreadablePayloadException diagnose(EventEnvelope envelope, boolean dataObject, Exception failure) {
        try {
            JsonObject root = JsonParser.parseString(envelope.rawJson()).getAsJsonObject();
            UnreadablePayloadException shape = shapeProblem(envelope, dataObject, root, failure);
            if (shape != null) {
                return shape;
            }
            JsonElement input = root;
            Class<?> target = Event.class;
            String prefix = "";
            if (dataObject) {
                JsonObject object = root.getAsJsonObject("data").getAsJsonObject("object");
                input = object;
                target = classFor(object);
                prefix = "data.object";
            }
            JsonReader reader = new JsonReader(new StringReader(input.toString()));
            try {
                (dataObject ? ApiResource.INTERNAL_GSON : ApiResource.GSON).getAdapter(target).read(reader);
            } catch (IOException | RuntimeException reread) {
                String fromReader = reader.getPath();
                @Nullable String fromMessage = messagePath(reread);
                String path = joinPaths(fromMessage == null ? null : normalise(fromMessage), normalise(fromReader));
                // Gson names a map but not the key whose value failed: "$.metadata."
                String last = path.equals(normalise(fromReader)) || fromMessage == null ? fromReader : fromMessage;
                String problem = describe(reread);
                return unreadable(envelope, dataObject, target, field(prefix, path),
                        last.endsWith(".") ? "has a value that " + problem : problem, failure);
            }
            return unreadable(envelope, dataObject, target, null,
                    "stripe-java threw " + failure.getClass().getSimpleName() + " and Gson could not name the field", failure);
        } catch (RuntimeException e) {
            UnreadablePayloadException unnamed = unreadable(envelope, dataObject, null, null,
                    "stripe-java threw " + failure.getClass().getSimpleName() + " and Gson could not name the field", failure);
            unnamed.addSuppressed(e);
            return unnamed;
        }
    }

    /** The problems stripe-java turns into NullPointerException or IllegalStateException. */
    private static @Nullable UnreadablePayloadException shapeProblem(EventEnvelope envelope, boolean dataObject,
            JsonObject root, Exception failure) {
        JsonElement data = root.get("data");
        if (data == null || data.isJsonNull()) {
            return dataObject ? unreadable(envelope, true, null, "data", "is missing", failure) : null;
        }
        if (!data.isJsonObject()) {
            return unreadable(envelope, dataObject, null, "data", "is " + kindOf(data) + ", not a JSON object", failure);
        }
        JsonElement object = data.getAsJsonObject().get("object");
        if (object == null || object.isJsonNull()) {
            return dataObject ? unreadable(envelope, true, null, "data.object", "is missing", failure) : null;
        }
        if (!object.isJsonObject()) {
            return unreadable(envelope, dataObject, null, "data.object", "is " + kindOf(object) + ", not a JSON object",
                    failure);
        }
        JsonElement kind = object.getAsJsonObject().get("object");
        if (dataObject && !(kind instanceof JsonPrimitive p && p.isString())) {
            return unreadable(envelope, true, null, "data.object.object",
                    "is missing or not a string, and stripe-java needs it to choose the class", failure);
        }
        return null;
    }

    private static Class<? extends StripeObject> classFor(JsonObject object) {
        Class<? extends StripeObject> type = EventDataClassLookup.classLookup.get(object.get("object").getAsString());
        return type != null ? type : StripeRawJsonObject.class;
    }

    /** The first {@code path $…} in the exception chain's messages, as Gson wrote it, if it did. */
    private static @Nullable String messagePath(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = GSON_PATH.matcher(t.getMessage());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    /**
     * Joins the path from Gson's message with the streaming reader's. A message path inside the
     * reader's (or equal to it) is absolute; one that is not was written by a reader a custom
     * deserialiser started on the subtree where the outer reader stopped.
     */
    private static String joinPaths(@Nullable String fromMessage, String fromReader) {
        if (fromMessage == null || fromMessage.equals(fromReader)) {
            return fromReader;
        }
        if (isWithin(fromMessage, fromReader)) {
            return fromMessage;
        }
        if (isWithin(fromReader, fromMessage)) {
            return fromReader;
        }
        return fromReader + fromMessage.substring(1);
    }

    private static boolean isWithin(String path, String ancestor) {
        return ancestor.equals("$") || path.startsWith(ancestor + ".") || path.startsWith(ancestor + "[");
    }

    /** Gson leaves a trailing dot inside a map ({@code $.metadata.}). */
    private static String normalise(String gsonPath) {
        String p = gsonPath;
        while (p.length() > 1 && p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** {@code data.object} + {@code $.amount} = {@code data.object.amount}; the root is the prefix itself. */
    private static @Nullable String field(String prefix, String gsonPath) {
        String relative = gsonPath.equals("$") ? "" : gsonPath.substring(gsonPath.startsWith("$.") ? 2 : 1);
        if (relative.isEmpty()) {
            return prefix.isEmpty() ? null : prefix;
        }
        return prefix.isEmpty() ? relative : prefix + "." + relative;
    }

    /** What Gson objected to, without the value (a NumberFormatException's message contains it). */
    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NumberFormatException) {
                return "is not a number its type can hold";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = GSON_EXPECTED.matcher(t.getMessage());
                if (m.find()) {
                    return "should be " + token(m.group(1)) + " but is " + token(m.group(2));
                }
            }
        }
        return "was rejected by Gson (" + failure.getClass().getSimpleName() + ")";
    }

    private static String token(String gson) {
        return switch (gson.toUpperCase(Locale.ROOT)) {
            case "BEGIN_OBJECT" -> "an object";
            case "BEGIN_ARRAY" -> "an array";
            case "STRING" -> "a string";
            case "NUMBER", "LONG", "INT", "DOUBLE" -> "a number";
            case "BOOLEAN" -> "a boolean";
            case "NULL" -> "null";
            default -> gson.toLowerCase(Locale.ROOT);
        };
    }

    private static String kindOf(JsonElement element) {
        if (element.isJsonArray()) {
            return "an array";
        }
        if (element.isJsonPrimitive()) {
            JsonPrimitive p = element.getAsJsonPrimitive();
            return p.isString() ? "a string" : p.isNumber() ? "a number" : "a boolean";
        }
        return "null";
    }

    /**
     * @param problem what is wrong with {@code field}, phrased to follow it ("is missing"), or a
     *     whole sentence when the field is unknown
     */
    private static UnreadablePayloadException unreadable(EventEnvelope envelope, boolean dataObject,
            @Nullable Class<?> target, @Nullable String field, String problem, @Nullable Throwable cause) {
        String what = !dataObject ? "the event" : target == null ? "data.object" : "data.object as a " + target.getSimpleName();
        String message = "event " + envelope.id() + " (" + envelope.type() + "): stripe-java " + Stripe.VERSION
                + " cannot read " + what + ": " + (field == null ? problem : field + " " + problem)
                + ". Redelivery sends the same bytes, so this is"
                + " permanent: have the handler read the raw JSON (EventContext.rawJson()) or upgrade stripe-java,"
                + " then replay the event";
        return new UnreadablePayloadException(envelope.id(), field, message, cause);
    }
}
