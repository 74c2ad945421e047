package dev.hookwise.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.MalformedEventException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * The envelope parser Hookwise used before issue 16 (Jackson's streaming parser, everything but the
 * routing fields skipped with {@code skipChildren}), kept (with a factory per body, see below) as the oracle that
 * {@link EnvelopeParserTest} compares the byte-level {@link EnvelopeParser} with.
 */
final class JacksonEnvelopeReference {

    /** Longest id or type accepted; stores size their columns to it. */
    public static final int MAX_ID_LENGTH = 255;

    // Not shared, unlike the production parser's: Jackson's name table pads the last four bytes of a
    // name with 0xFF, so a name holding an invalid 0xFF byte ("\xFFd") was found as a shorter name
    // ("d") the factory had seen before, from any earlier body, and accepted without its UTF-8 being
    // checked. A factory per body keeps the oracle deterministic; EnvelopeParserTest allows that one
    // known difference within a body (see assertSameAsJackson).
    private static JsonFactory factory() {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
                .build();
    }

    private JacksonEnvelopeReference() {}

    static EventEnvelope parse(byte[] body) {
        Fields f = new Fields();
        try (JsonParser p = factory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("body is not a JSON object");
            }
            readEvent(p, f);
            if (p.nextToken() != null) {
                throw new MalformedEventException("body has content after the JSON object");
            }
        } catch (IOException e) {
            throw new MalformedEventException("body is not valid JSON: " + firstLine(e.getMessage()));
        }
        return f.toEnvelope(body);
    }

    private static void readEvent(JsonParser p, Fields f) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "id" -> f.id = text(p, value, "id");
                case "type" -> f.type = text(p, value, "type");
                case "object" -> f.object = text(p, value, "object");
                case "api_version" -> f.apiVersion = text(p, value, "api_version");
                case "account" -> f.account = text(p, value, "account");
                case "context" -> f.context = text(p, value, "context");
                case "livemode" -> f.livemode = value == JsonToken.VALUE_TRUE;
                case "created" -> f.created = created(p, value);
                case "data" -> readData(p, value, f);
                case "request" -> readRequest(p, value, f);
                case "related_object" -> readRelatedObject(p, value, f);
                default -> p.skipChildren();
            }
        }
    }

    private static void readData(JsonParser p, JsonToken value, Fields f) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("object") && v == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken fv = p.nextToken();
                    if (field.equals("id")) {
                        f.objectId = text(p, fv, "data.object.id");
                    } else if (field.equals("object")) {
                        f.objectType = text(p, fv, "data.object.object");
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private static void readRequest(JsonParser p, JsonToken value, Fields f) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            f.requestId = p.getText(); // API versions before 2017-05-25 sent the id alone
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> f.requestId = text(p, v, "request.id");
                case "idempotency_key" -> f.idempotencyKey = text(p, v, "request.idempotency_key");
                default -> p.skipChildren();
            }
        }
    }

    private static void readRelatedObject(JsonParser p, JsonToken value, Fields f) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> f.objectId = text(p, v, "related_object.id");
                case "type" -> f.objectType = text(p, v, "related_object.type");
                default -> p.skipChildren();
            }
        }
    }

    private static @Nullable String text(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw new MalformedEventException("field " + field + " is not a string");
        }
        return p.getText();
    }

    private static Instant created(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            long seconds = p.getLongValue();
            if (seconds < 0) {
                throw new MalformedEventException("field created is negative");
            }
            return Instant.ofEpochSecond(seconds);
        }
        if (value == JsonToken.VALUE_STRING) {
            try {
                return Instant.parse(p.getText());
            } catch (DateTimeParseException e) {
                throw new MalformedEventException("field created is not an ISO-8601 time");
            }
        }
        p.skipChildren();
        throw new MalformedEventException("field created is neither Unix seconds nor an ISO-8601 time");
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
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
