package dev.hookwise.core;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to answer a delivery with: status, a small JSON body and headers.
 *
 * <p>The body is {@code {"outcome":"processed","event_id":"evt_…"}}; a rejection adds a short
 * {@code "detail"} that names the problem. Nothing in it ever contains a stack trace, a secret or
 * the payload.
 *
 * @param outcome what happened
 * @param eventId the event's id when it could be read, else null
 * @param detail a short human explanation for rejections and failures, else null
 * @param headers extra response headers, e.g. {@code Retry-After}
 */
public record WebhookResponse(
        Outcome outcome, @Nullable String eventId, @Nullable String detail, Map<String, String> headers) {

    public WebhookResponse {
        Objects.requireNonNull(outcome, "outcome");
        headers = Map.copyOf(headers);
    }

    public static WebhookResponse of(Outcome outcome, @Nullable String eventId) {
        return new WebhookResponse(outcome, eventId, null, Map.of());
    }

    // detail is nullable because it is often an exception's message, which Java allows to be absent
    public static WebhookResponse rejected(Outcome outcome, @Nullable String eventId, @Nullable String detail) {
        return new WebhookResponse(outcome, eventId, detail, Map.of());
    }

    /** The HTTP status to send. */
    public int status() {
        return outcome.httpStatus();
    }

    /** The content type of {@link #body()}. */
    public String contentType() {
        return "application/json";
    }

    /** The JSON body. */
    public String body() {
        StringBuilder json = new StringBuilder(96).append("{\"outcome\":\"").append(outcome.code()).append('"');
        if (eventId != null) {
            json.append(",\"event_id\":");
            appendJsonString(json, eventId);
        }
        if (detail != null) {
            json.append(",\"detail\":");
            appendJsonString(json, detail);
        }
        return json.append('}').toString();
    }

    private static void appendJsonString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
