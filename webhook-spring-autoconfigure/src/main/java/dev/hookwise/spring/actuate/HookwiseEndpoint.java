package dev.hookwise.spring.actuate;

import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.core.operations.WebhookReport;
import dev.hookwise.core.operations.WebhookReports;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.spring.internal.UrlInput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code hookwise} Actuator endpoint: failed events, a report for a window, and replay of one
 * event. Like every Actuator endpoint but health it is not reachable over HTTP unless the
 * application exposes it ({@code management.endpoints.web.exposure.include=hookwise}); protect it
 * as any operational endpoint.
 *
 * <ul>
 *   <li>{@code GET /actuator/hookwise} — failed and dead events, oldest first ({@code ?limit=}, default 100);</li>
 *   <li>{@code GET /actuator/hookwise/{window}} — the report for the last {@code window}
 *       ({@code 24h}, {@code 7d}, {@code PT30M}); 400 {@code invalid_window} otherwise;</li>
 *   <li>{@code POST /actuator/hookwise/{eventId}} — replays a failed or dead event; 400
 *       {@code invalid_event_id} for anything that is not a Stripe event id.</li>
 * </ul>
 *
 * <p><b>Read-only by default.</b> Replay runs handlers again (refunds, e-mails, shipments), so the
 * endpoint declares {@link Access#READ_ONLY} as its default access, Spring Boot's own model: an
 * application that exposes it gets the two {@code GET} operations, and replay is not mapped at all
 * ({@code POST} is answered 405 with {@code Allow: GET}). Grant it explicitly with
 * <pre>
 * management.endpoint.hookwise.access=unrestricted
 * </pre>
 * ({@code management.endpoints.access.default=unrestricted} grants it to every endpoint, and
 * {@code management.endpoints.access.max-permitted=read-only} caps it again). {@code none} turns the
 * endpoint off.
 *
 * <p>Values from the URL are untrusted: an event id is checked to be a Stripe id ({@code evt_…})
 * before anything is looked up, and what is logged of a bad value is made safe first (control
 * characters escaped, length bounded), so a request cannot forge log lines.
 *
 * <p>Times are ISO-8601 strings and durations milliseconds, whichever JSON library Actuator uses.
 * Over HTTP the operations that read a value from the path are served through
 * {@link HookwiseEndpointWebExtension}, which turns a bad value into a 400 with a JSON reason.
 */
@Endpoint(id = "hookwise", defaultAccess = Access.READ_ONLY)
public final class HookwiseEndpoint {
    private static final Logger log = LoggerFactory.getLogger(HookwiseEndpoint.class);
    private static final int DEFAULT_LIMIT = 100;

    private final IdempotencyStore store;
    private final EventReplayer replayer;
    private final WebhookReports reports;
    private final Clock clock;

    public HookwiseEndpoint(IdempotencyStore store, EventReplayer replayer, WebhookReports reports, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.replayer = Objects.requireNonNull(replayer, "replayer");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Failed (retrying) and dead events, oldest first. {@code limit} is optional: Boot 4 reads that
     * from JSpecify's annotation, Boot 3.5 only from Spring's older one, hence both.
     */
    @ReadOperation
    @SuppressWarnings("deprecation")
    public Map<String, Object> failed(@org.springframework.lang.Nullable @Nullable Integer limit) {
        int n = limit == null ? DEFAULT_LIMIT : Math.max(1, Math.min(limit, EventQuery.MAX_LIMIT));
        List<EventRecord> rows = store.search(EventQuery.builder().statuses(EventStatus.FAILED, EventStatus.DEAD).limit(n).build());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", rows.size());
        out.put("events", rows.stream().map(HookwiseEndpoint::describe).toList());
        return out;
    }

    /** The report for the events created in the last {@code window} ({@code 24h}, {@code 7d}, {@code PT30M}). */
    @ReadOperation
    public Map<String, Object> report(@Selector String window) {
        Duration length;
        try {
            length = parseWindow(window);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(Objects.requireNonNullElse(e.getMessage(), "invalid window " + window),
                    "invalid_window"); // answered 400
        }
        Instant to = clock.instant();
        return describe(reports.report(to.minus(length), to));
    }

    /**
     * Replays one failed or dead event; refused (replayed=false) for unknown, completed or
     * in-progress events. Runs only where the application granted write access
     * ({@code management.endpoint.hookwise.access=unrestricted}).
     *
     * @throws InvalidEndpointRequestException (answered 400, reason {@code invalid_event_id}) when
     *     {@code eventId} is not a Stripe event id; nothing is looked up or replayed then
     */
    @WriteOperation
    public Map<String, Object> replay(@Selector String eventId, SecurityContext security) {
        // The principal's name can be what a client typed (a Basic user name): logged as untrusted text too.
        String who = security.getPrincipal() != null ? UrlInput.forLog(security.getPrincipal().getName()) : "actuator";
        if (!UrlInput.isStripeEventId(eventId)) {
            String shown = UrlInput.forLog(eventId);
            log.info("hookwise replay requested by {} refused: '{}' is not a Stripe event id", who, shown);
            throw new InvalidEndpointRequestException("eventId must be a Stripe event id (evt_ then letters, digits or _,"
                    + " at most " + UrlInput.MAX_EVENT_ID_LENGTH + " characters), but was '" + shown + "'", "invalid_event_id");
        }
        EventReplayer.ReplayResult result = replayer.replay(eventId, who);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventId", result.eventId());
        out.put("replayed", result.replayed());
        out.put("outcome", result.outcome().code());
        return out;
    }

    static Duration parseWindow(String window) {
        String w = window.trim();
        try {
            if (w.startsWith("P") || w.startsWith("p")) {
                return positive(Duration.parse(w), window);
            }
            char unit = Character.toLowerCase(w.charAt(w.length() - 1));
            long amount = Long.parseLong(w.substring(0, w.length() - 1));
            Duration d = switch (unit) {
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException();
            };
            return positive(d, window);
        } catch (DateTimeParseException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("window must be like 30m, 24h, 7d or PT30M, but was '" + UrlInput.forLog(window) + "'");
        }
    }

    private static Duration positive(Duration d, String window) {
        if (d.isZero() || d.isNegative() || d.compareTo(Duration.ofDays(366)) > 0) {
            throw new IllegalArgumentException("window must be positive and at most 366 days, but was '" + UrlInput.forLog(window) + "'");
        }
        return d;
    }

    private static Map<String, Object> describe(EventRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("type", r.type());
        m.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("attempts", r.attempts());
        m.put("created", r.created().toString());
        m.put("source", r.source().name().toLowerCase(java.util.Locale.ROOT));
        m.put("lastError", r.lastError());
        m.put("nextAttemptAt", r.nextAttemptAt() == null ? null : r.nextAttemptAt().toString());
        m.put("replayable", r.payload() != null);
        return m;
    }

    private static Map<String, Object> describe(WebhookReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", r.from().toString());
        m.put("to", r.to().toString());
        m.put("total", r.total());
        m.put("truncated", r.truncated());
        m.put("countsByType", r.countsByType());
        Map<String, Object> times = new LinkedHashMap<>();
        WebhookReport.Percentiles p = r.processingTime();
        times.put("count", p.count());
        times.put("p50Ms", millis(p.p50()));
        times.put("p95Ms", millis(p.p95()));
        times.put("p99Ms", millis(p.p99()));
        times.put("maxMs", millis(p.max()));
        m.put("processingTime", times);
        m.put("errors", r.errors());
        m.put("failedEvents", r.failedEvents().stream().map(f -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", f.id());
            e.put("type", f.type());
            e.put("status", f.status());
            e.put("attempts", f.attempts());
            e.put("created", f.created().toString());
            e.put("lastError", f.lastError());
            return e;
        }).toList());
        return m;
    }

    private static @Nullable Long millis(@Nullable Duration d) {
        return d == null ? null : d.toMillis();
    }
}
