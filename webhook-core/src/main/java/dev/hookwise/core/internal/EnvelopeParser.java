package dev.hookwise.core.internal;

import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the envelope fields of a Stripe event ({@code id}, {@code type}, {@code created},
 * {@code livemode}, {@code api_version}, {@code data.object.id} and {@code .object}, {@code request},
 * …) in one pass over the bytes, and checks everything else without reading it.
 *
 * <p>Snapshot events ({@code "object":"event"}) carry {@code created} as Unix seconds and the
 * object under {@code data.object}; thin events ({@code "object":"v2.core.event"}) carry an
 * ISO-8601 {@code created} and a {@code related_object}.
 *
 * <p>Where the time goes: Stripe writes {@code type} last, after {@code data}, which holds nearly
 * the whole body, so the event cannot be routed before {@code data} has been passed over. The
 * {@link JsonCursor} checks it as JSON (a body Jackson would reject is still rejected, with reason
 * {@code malformed_event}) without producing a token or a string for it. Duplicate members are
 * read like Jackson reads them: the last one counts.
 */
public final class EnvelopeParser {

    /** Longest id or type accepted: the SPI's limit, which stores size their columns to. */
    public static final int MAX_ID_LENGTH = dev.hookwise.core.spi.NewEvent.MAX_ID_LENGTH;

    private static final byte[] ID = ascii("id");
    private static final byte[] TYPE = ascii("type");
    private static final byte[] OBJECT = ascii("object");
    private static final byte[] API_VERSION = ascii("api_version");
    private static final byte[] ACCOUNT = ascii("account");
    private static final byte[] CONTEXT = ascii("context");
    private static final byte[] LIVEMODE = ascii("livemode");
    private static final byte[] CREATED = ascii("created");
    private static final byte[] DATA = ascii("data");
    private static final byte[] REQUEST = ascii("request");
    private static final byte[] RELATED_OBJECT = ascii("related_object");
    private static final byte[] IDEMPOTENCY_KEY = ascii("idempotency_key");

    private EnvelopeParser() {}

    /**
     * Parses an event body.
     *
     * @throws MalformedEventException when the body is not JSON, not an event, or lacks id, type or created
     */
    public static EventEnvelope parse(byte[] body) {
        JsonCursor json = new JsonCursor(body);
        Fields f = new Fields();
        if (json.peek() != '{') {
            throw new MalformedEventException("body is not a JSON object");
        }
        json.enterObject(1);
        readEvent(json, f);
        if (!json.atEnd()) {
            throw new MalformedEventException("body has content after the JSON object");
        }
        return f.toEnvelope(body);
    }

    private static void readEvent(JsonCursor json, Fields f) {
        for (boolean first = true; json.nextName(first); first = false) {
            if (json.nameIs(DATA)) {
                readData(json, f);
            } else if (json.nameIs(ID)) {
                f.id = text(json, 1, "id");
            } else if (json.nameIs(TYPE)) {
                f.type = text(json, 1, "type");
            } else if (json.nameIs(OBJECT)) {
                f.object = text(json, 1, "object");
            } else if (json.nameIs(CREATED)) {
                f.created = created(json);
            } else if (json.nameIs(LIVEMODE)) {
                f.livemode = livemode(json);
            } else if (json.nameIs(API_VERSION)) {
                f.apiVersion = text(json, 1, "api_version");
            } else if (json.nameIs(REQUEST)) {
                readRequest(json, f);
            } else if (json.nameIs(ACCOUNT)) {
                f.account = text(json, 1, "account");
            } else if (json.nameIs(CONTEXT)) {
                f.context = text(json, 1, "context");
            } else if (json.nameIs(RELATED_OBJECT)) {
                readRelatedObject(json, f);
            } else {
                json.skipValue(1);
            }
        }
    }

    private static void readData(JsonCursor json, Fields f) {
        if (json.peek() != '{') {
            json.skipValue(1);
            return;
        }
        json.enterObject(2);
        for (boolean first = true; json.nextName(first); first = false) {
            if (json.nameIs(OBJECT) && json.peek() == '{') {
                json.enterObject(3);
                // Every Stripe object starts with id and object: once a member has been read, the
                // rest is checked in one pass that stops only at another id or object (the last wins).
                for (boolean firstField = true; json.nextName(firstField); firstField = false) {
                    if (json.nameIs(ID)) {
                        f.objectId = text(json, 3, "data.object.id");
                    } else if (json.nameIs(OBJECT)) {
                        f.objectType = text(json, 3, "data.object.object");
                    } else {
                        json.skipValue(3);
                    }
                    if (json.skipRestOfObjectUntilIdOrObject(3)) {
                        break;
                    }
                }
            } else {
                json.skipValue(2);
            }
        }
    }

    private static void readRequest(JsonCursor json, Fields f) {
        int c = json.peek();
        if (c == '"') {
            f.requestId = json.readString(); // API versions before 2017-05-25 sent the id alone
            return;
        }
        if (c != '{') {
            json.skipValue(1);
            return;
        }
        json.enterObject(2);
        for (boolean first = true; json.nextName(first); first = false) {
            if (json.nameIs(ID)) {
                f.requestId = text(json, 2, "request.id");
            } else if (json.nameIs(IDEMPOTENCY_KEY)) {
                f.idempotencyKey = text(json, 2, "request.idempotency_key");
            } else {
                json.skipValue(2);
            }
        }
    }

    private static void readRelatedObject(JsonCursor json, Fields f) {
        if (json.peek() != '{') {
            json.skipValue(1);
            return;
        }
        json.enterObject(2);
        for (boolean first = true; json.nextName(first); first = false) {
            if (json.nameIs(ID)) {
                f.objectId = text(json, 2, "related_object.id");
            } else if (json.nameIs(TYPE)) {
                f.objectType = text(json, 2, "related_object.type");
            } else {
                json.skipValue(2);
            }
        }
    }

    /** A string or null; anything else is malformed once it has been checked as JSON. */
    private static @Nullable String text(JsonCursor json, int depth, String field) {
        int c = json.peek();
        if (c == '"') {
            return json.readString();
        }
        if (json.readNull()) {
            return null;
        }
        json.skipValue(depth);
        throw new MalformedEventException("field " + field + " is not a string");
    }

    /** {@code true} is true; any other scalar is false, as before; an object or array is malformed. */
    private static boolean livemode(JsonCursor json) {
        if (json.readTrue()) {
            return true;
        }
        int c = json.peek();
        json.skipValue(1);
        if (c == '{' || c == '[') {
            throw new MalformedEventException("field livemode is not a boolean");
        }
        return false;
    }

    private static Instant created(JsonCursor json) {
        int c = json.peek();
        if (c == '-' || (c >= '0' && c <= '9')) {
            json.readNumber();
            if (json.numberIsIntegral()) {
                long seconds = json.numberAsLong("created");
                if (seconds < 0) {
                    throw new MalformedEventException("field created is negative");
                }
                return Instant.ofEpochSecond(seconds);
            }
        } else if (c == '"') {
            String text = json.readString();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new MalformedEventException("field created is not an ISO-8601 time");
            }
        } else {
            json.skipValue(1);
        }
        throw new MalformedEventException("field created is neither Unix seconds nor an ISO-8601 time");
    }

    private static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    private static final class Fields {
        @Nullable String id;
        @Nullable String type;
        @Nullable String object;
        @Nullable String apiVersion;
        @Nullable String account;
        @Nullable String context;
        boolean livemode;
        @Nullable Instant created;
        @Nullable String objectId;
        @Nullable String objectType;
        @Nullable String requestId;
        @Nullable String idempotencyKey;

        EventEnvelope toEnvelope(byte[] body) {
            String eventId = require(id, "id");
            String eventType = require(type, "type");
            if (created == null) {
                throw new MalformedEventException("event " + eventId + " has no created time");
            }
            boolean thin = "v2.core.event".equals(object);
            if (object != null && !thin && !object.equals("event")) {
                throw new MalformedEventException("body is a \"" + abbreviate(object) + "\", not an event");
            }
            return new EventEnvelope(eventId, eventType, created, apiVersion, livemode,
                    thin ? context : account, objectId, objectType, requestId, idempotencyKey, thin, body);
        }

        private static String require(@Nullable String value, String field) {
            if (value == null || value.isEmpty()) {
                throw new MalformedEventException("event has no " + field);
            }
            if (value.length() > MAX_ID_LENGTH) {
                throw new MalformedEventException("event " + field + " is " + value.length()
                        + " characters, more than " + MAX_ID_LENGTH);
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x21 || c > 0x7e) {
                    throw new MalformedEventException("event " + field + " contains a character outside printable ASCII");
                }
            }
            return value;
        }

        private static String abbreviate(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "…" : s;
        }
    }
}
