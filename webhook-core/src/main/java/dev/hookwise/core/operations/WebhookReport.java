package dev.hookwise.core.operations;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What happened to the events created in a time window: the troubleshooting guide's dashboard
 * queries as one value. Built by {@link WebhookReports}; {@link #toJson()} renders it.
 *
 * @param from inclusive start of the window (event creation time)
 * @param to exclusive end of the window
 * @param total events in the window
 * @param countsByType event type → status name → count
 * @param processingTime percentiles of successful processing times
 * @param errors the last error's first line (up to 120 characters) → count, over failed and dead events
 * @param failedEvents failed and dead events, oldest first, at most {@link WebhookReports#MAX_FAILED_LISTED}
 * @param truncated whether the window held more events than the report reads
 */
public record WebhookReport(
        Instant from,
        Instant to,
        long total,
        Map<String, Map<String, Long>> countsByType,
        Percentiles processingTime,
        Map<String, Long> errors,
        List<FailedEvent> failedEvents,
        boolean truncated) {

    public WebhookReport {
        countsByType = Map.copyOf(countsByType);
        errors = Map.copyOf(errors);
        failedEvents = List.copyOf(failedEvents);
    }

    /** Nearest-rank percentiles; null when no event completed. */
    public record Percentiles(long count, @Nullable Duration p50, @Nullable Duration p95, @Nullable Duration p99,
            @Nullable Duration max) {}

    /** One failed or dead event. */
    public record FailedEvent(String id, String type, String status, int attempts, Instant created,
            @Nullable String lastError) {}

    /** The report as JSON (times ISO-8601, durations in milliseconds). */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("from", from.toString());
            g.writeStringField("to", to.toString());
            g.writeNumberField("total", total);
            g.writeBooleanField("truncated", truncated);
            g.writeObjectFieldStart("counts_by_type");
            for (Map.Entry<String, Map<String, Long>> type : new java.util.TreeMap<>(countsByType).entrySet()) {
                g.writeObjectFieldStart(type.getKey());
                for (Map.Entry<String, Long> status : new java.util.TreeMap<>(type.getValue()).entrySet()) {
                    g.writeNumberField(status.getKey(), status.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("processing_time_ms");
            g.writeNumberField("count", processingTime.count());
            writeMillis(g, "p50", processingTime.p50());
            writeMillis(g, "p95", processingTime.p95());
            writeMillis(g, "p99", processingTime.p99());
            writeMillis(g, "max", processingTime.max());
            g.writeEndObject();
            g.writeObjectFieldStart("errors");
            for (Map.Entry<String, Long> e : new java.util.TreeMap<>(errors).entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("failed_events");
            for (FailedEvent f : failedEvents) {
                g.writeStartObject();
                g.writeStringField("id", f.id());
                g.writeStringField("type", f.type());
                g.writeStringField("status", f.status());
                g.writeNumberField("attempts", f.attempts());
                g.writeStringField("created", f.created().toString());
                g.writeStringField("last_error", f.lastError());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeMillis(JsonGenerator g, String name, @Nullable Duration d) throws IOException {
        if (d == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, d.toNanos() / 1_000_000.0);
        }
    }
}
