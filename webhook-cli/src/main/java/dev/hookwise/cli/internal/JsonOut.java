package dev.hookwise.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON output for {@code --json}: one object per run, keys in snake_case, times ISO-8601 UTC,
 * durations in milliseconds (as {@code WebhookReport.toJson()} writes them).
 */
public final class JsonOut {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOut() {}

    /** An ordered map to fill. */
    public static Map<String, @Nullable Object> object() {
        return new LinkedHashMap<>();
    }

    /** Prints {@code value} (maps, lists, strings, numbers, booleans) as indented JSON. */
    public static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints JSON that is already rendered (a core report's {@code toJson()}), indented like the rest. */
    public static void printRendered(PrintWriter out, String json) {
        try {
            print(out, MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static @Nullable String time(@Nullable Instant t) {
        return t == null ? null : t.toString();
    }

    public static @Nullable Double millis(@Nullable Duration d) {
        return d == null ? null : d.toNanos() / 1_000_000.0;
    }
}
