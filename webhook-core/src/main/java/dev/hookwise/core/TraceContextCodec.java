package dev.hookwise.core;

import dev.hookwise.core.spi.NewEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns the propagation fields a tracer writes at enqueue ({@code traceparent}, {@code tracestate},
 * {@code b3}, baggage …) into the short text the event log keeps, and back: one {@code name=value}
 * per line, at most {@link NewEvent#MAX_TRACE_CONTEXT_LENGTH} characters of printable ASCII.
 *
 * <p>Propagation headers are ASCII by their specifications; a field that is not, or whose name holds
 * {@code =}, is left out rather than stored damaged. Fields are kept in the tracer's order until the
 * next one would pass the limit, so the trace id itself (written first by every propagator we know)
 * survives a long baggage list. Nothing here depends on Micrometer.
 */
final class TraceContextCodec {

    private TraceContextCodec() {}

    /** The stored form of {@code fields}, or null when none of them can be kept. */
    static @Nullable String encode(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            String name = field.getKey();
            String value = field.getValue();
            if (name == null || value == null || name.isEmpty() || name.indexOf('=') >= 0
                    || !printable(name) || !printable(value)) {
                continue;
            }
            int length = (out.length() == 0 ? 0 : 1) + name.length() + 1 + value.length();
            if (out.length() + length > NewEvent.MAX_TRACE_CONTEXT_LENGTH) {
                break;
            }
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(name).append('=').append(value);
        }
        return out.length() == 0 ? null : out.toString();
    }

    /** The fields of a stored trace context, in their order; empty for null or unreadable text. */
    static Map<String, String> decode(@Nullable String stored) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (stored == null) {
            return fields;
        }
        for (String line : stored.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return fields;
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
