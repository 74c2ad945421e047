package dev.hookwise.spring.console;

import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.core.operations.WebhookReport;
import dev.hookwise.core.operations.WebhookReports;
import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.spring.internal.UrlInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The operators' web console: one HTML page (plain JavaScript, charts drawn as inline SVG, nothing
 * loaded from another host) over JSON served below the page's path.
 *
 * <ul>
 *   <li>{@code GET {path}} — the page;</li>
 *   <li>{@code GET {path}/api/summary} — backlog and oldest pending age, the last 24 hours' failure
 *       rate and counts per type and status, processing-time p50/p95/p99 per hour (one
 *       {@link WebhookReports} report per hour), and the failed and dead events with their last error;</li>
 *   <li>{@code GET {path}/api/events/{id}} — one event;</li>
 *   <li>{@code POST {path}/api/events/{id}/replay} — replays it through {@link EventReplayer}. The
 *       request must carry the header {@value #CONSOLE_HEADER} (a cross-site form cannot set it) and,
 *       when Spring Security's CSRF protection is on, the CSRF token the page was rendered with.</li>
 * </ul>
 *
 * <p>Answers are JSON rendered by the application's message converters; a store that does not answer
 * is 503 {@code store_unavailable}, anything else unexpected 500 {@code internal_error}, a bad id 400
 * {@code invalid_event_id}; never a stack trace. Who
 * replayed what is logged with the request's principal. Whether the console may be served at all is
 * {@link ConsoleAccessCheck}'s decision.
 */
public final class HookwiseConsole {
    private static final Logger log = LoggerFactory.getLogger(HookwiseConsole.class);

    /** The header every console {@code POST} carries; requests without it are refused 403. */
    public static final String CONSOLE_HEADER = "X-Hookwise-Console";
    /** How many failed and dead events the summary lists (oldest first). */
    public static final int MAX_FAILED_LISTED = 200;
    /** Hourly buckets of the latency chart. */
    public static final int HOURS = 24;

    private static final boolean SECURITY_PRESENT = ClassUtils.isPresent("org.springframework.security.web.csrf.CsrfToken",
            HookwiseConsole.class.getClassLoader());
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final IdempotencyStore store;
    private final EventReplayer replayer;
    private final WebhookReports reports;
    private final Clock clock;
    private final String path;
    private final String pageTemplate;
    private final String script;
    private final String styles;

    public HookwiseConsole(IdempotencyStore store, EventReplayer replayer, Clock clock, String path) {
        this.store = Objects.requireNonNull(store, "store");
        this.replayer = Objects.requireNonNull(replayer, "replayer");
        this.reports = WebhookReports.of(store);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.path = Objects.requireNonNull(path, "path");
        this.pageTemplate = resource("console.html");
        this.script = resource("console.js");
        this.styles = resource("console.css");
    }

    /** The console's routes under its path. */
    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET(path, this::page)
                .GET(path + "/", this::page)
                .GET(path + "/console.js", r -> asset(script, "text/javascript"))
                .GET(path + "/console.css", r -> asset(styles, "text/css"))
                .GET(path + "/api/summary", this::summary)
                .GET(path + "/api/events/{id}", this::event)
                .POST(path + "/api/events/{id}/replay", this::replay)
                .build();
    }

    ServerResponse page(ServerRequest request) {
        String base = request.requestPath().contextPath().value() + path;
        String[] csrf = SECURITY_PRESENT ? CsrfTokenReader.headerAndToken(request.servletRequest()).orElse(null) : null;
        String html = pageTemplate.replace("{{base}}", html(base))
                .replace("{{csrfHeader}}", csrf == null ? "" : html(csrf[0]))
                .replace("{{csrfToken}}", csrf == null ? "" : html(csrf[1]));
        return ServerResponse.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store").header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer").body(html);
    }

    private static ServerResponse asset(String body, String type) {
        return ServerResponse.ok().contentType(new MediaType(MediaType.parseMediaType(type), StandardCharsets.UTF_8))
                .header("Cache-Control", "no-cache").header("X-Content-Type-Options", "nosniff").body(body);
    }

    ServerResponse summary(ServerRequest request) {
        return guarded(() -> json(HttpStatus.OK, summary()));
    }

    ServerResponse event(ServerRequest request) {
        String id = request.pathVariable("id");
        if (!UrlInput.isStripeEventId(id)) {
            return invalidId(id);
        }
        return guarded(() -> store.find(id)
                .map(r -> json(HttpStatus.OK, describe(r)))
                .orElseGet(() -> json(HttpStatus.NOT_FOUND, Map.of("outcome", "unknown_event", "message", "no event " + id + " in the event log"))));
    }

    ServerResponse replay(ServerRequest request) {
        String id = request.pathVariable("id");
        String who = request.principal().map(Principal::getName).map(UrlInput::forLog).orElse("an unauthenticated user") + " (console)";
        if (request.headers().firstHeader(CONSOLE_HEADER) == null) {
            log.info("hookwise console replay requested by {} refused: no {} header", who, CONSOLE_HEADER);
            return json(HttpStatus.FORBIDDEN, Map.of("replayed", false, "outcome", "console_header_missing",
                    "message", "console requests carry the " + CONSOLE_HEADER + " header; reload the console page"));
        }
        if (!UrlInput.isStripeEventId(id)) {
            log.info("hookwise console replay requested by {} refused: '{}' is not a Stripe event id", who, UrlInput.forLog(id));
            return invalidId(id);
        }
        return guarded(() -> {
            if (store.find(id).isEmpty()) {
                return json(HttpStatus.NOT_FOUND, Map.of("replayed", false, "outcome", "unknown_event", "message", "no event " + id + " in the event log"));
            }
            EventReplayer.ReplayResult result = replayer.replay(id, who);
            Optional<EventRecord> after = store.find(id);
            String status = after.map(r -> lower(r.status())).orElse("unknown");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("eventId", id);
            out.put("replayed", result.replayed());
            out.put("outcome", result.outcome().code());
            out.put("status", status);
            out.put("message", result.replayed()
                    ? "replayed (" + result.outcome().code() + "); the event is now " + status
                    : "not replayed: the event is " + status + " (only failed, dead, ignored and skipped events with a stored"
                            + " payload are replayed, and not while the store is unavailable or overloaded)");
            after.ifPresent(r -> out.put("event", describe(r)));
            return json(HttpStatus.OK, out);
        });
    }

    /**
     * What the page shows, as plain maps and lists: backlog, the last {@value #HOURS} hours (counts,
     * failure rate, errors, processing time per hour) and the failed and dead events.
     */
    public Map<String, Object> summary() {
        Instant now = clock.instant();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", now.toString());
        out.put("backlog", backlog(now));

        // One report per hour (WebhookReports' percentiles per bucket); the day's figures are their sums.
        Instant start = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
        List<Map<String, Object>> hours = new ArrayList<>();
        Map<String, Map<String, Long>> countsByType = new TreeMap<>();
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Long> errors = new TreeMap<>();
        long total = 0;
        boolean truncated = false;
        for (int i = 0; i < HOURS; i++) {
            Instant from = start.plus(Duration.ofHours(i));
            WebhookReport report = reports.report(from, from.plus(Duration.ofHours(1)));
            total += report.total();
            truncated |= report.truncated();
            report.countsByType().forEach((type, statuses) -> statuses.forEach((status, n) -> {
                countsByType.computeIfAbsent(type, k -> new TreeMap<>()).merge(status, n, Long::sum);
                byStatus.merge(status, n, Long::sum);
            }));
            report.errors().forEach((error, n) -> errors.merge(error, n, Long::sum));
            WebhookReport.Percentiles p = report.processingTime();
            Map<String, Object> hour = new LinkedHashMap<>();
            hour.put("from", from.toString());
            hour.put("completed", p.count());
            hour.put("p50Ms", millis(p.p50()));
            hour.put("p95Ms", millis(p.p95()));
            hour.put("p99Ms", millis(p.p99()));
            hours.add(hour);
        }
        long completed = byStatus.getOrDefault("completed", 0L);
        long failed = byStatus.getOrDefault("failed", 0L);
        long dead = byStatus.getOrDefault("dead", 0L);
        Map<String, Object> day = new LinkedHashMap<>();
        day.put("from", start.toString());
        day.put("total", total);
        day.put("byStatus", byStatus);
        // Of the events that reached a verdict, the share that failed (retrying) or died.
        long decided = completed + failed + dead;
        day.put("failureRate", decided == 0 ? null : (double) (failed + dead) / decided);
        day.put("truncated", truncated);
        day.put("countsByType", countsByType);
        day.put("errors", errors);
        day.put("hours", hours);
        out.put("last24h", day);

        List<EventRecord> rows = store.search(EventQuery.builder().statuses(EventStatus.FAILED, EventStatus.DEAD)
                .limit(MAX_FAILED_LISTED).build());
        Map<String, Object> failedEvents = new LinkedHashMap<>();
        failedEvents.put("listed", rows.size());
        failedEvents.put("limit", MAX_FAILED_LISTED);
        failedEvents.put("events", rows.stream().map(HookwiseConsole::describe).toList());
        out.put("failedEvents", failedEvents);
        return out;
    }

    private @Nullable Map<String, Object> backlog(Instant now) {
        Backlog backlog;
        try {
            backlog = store.backlog();
        } catch (UnsupportedOperationException e) {
            return null; // a store without an inbox: nothing waits for a worker
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pending", backlog.pending());
        m.put("processing", backlog.processing());
        m.put("oldestPendingReceivedAt", backlog.oldestPendingReceivedAt() == null ? null : backlog.oldestPendingReceivedAt().toString());
        m.put("oldestPendingAgeSeconds", backlog.oldestPendingAge(now).toSeconds());
        return m;
    }

    static Map<String, Object> describe(EventRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("type", r.type());
        m.put("status", lower(r.status()));
        m.put("attempts", r.attempts());
        m.put("created", r.created().toString());
        m.put("receivedAt", r.receivedAt().toString());
        m.put("source", r.source().name().toLowerCase(Locale.ROOT));
        m.put("lastError", r.lastError());
        m.put("nextAttemptAt", r.nextAttemptAt() == null ? null : r.nextAttemptAt().toString());
        m.put("replayable", r.payload() != null);
        return m;
    }

    private ServerResponse guarded(java.util.function.Supplier<ServerResponse> operation) {
        try {
            return operation.get();
        } catch (StoreUnavailableException e) {
            log.warn("hookwise console: the event store did not answer", e);
            return json(HttpStatus.SERVICE_UNAVAILABLE, Map.of("outcome", "store_unavailable",
                    "message", "the event store did not answer; see the application log"));
        } catch (RuntimeException e) {
            // The details go to the log, never to the page.
            log.error("hookwise console: unexpected failure", e);
            return json(HttpStatus.INTERNAL_SERVER_ERROR, Map.of("outcome", "internal_error",
                    "message", "the console failed unexpectedly; see the application log"));
        }
    }

    private static ServerResponse invalidId(String id) {
        return json(HttpStatus.BAD_REQUEST, Map.of("replayed", false, "outcome", "invalid_event_id",
                "message", "the id must be a Stripe event id (evt_ then letters, digits or _), but was '" + UrlInput.forLog(id) + "'"));
    }

    private static ServerResponse json(HttpStatus status, Object body) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store").body(body);
    }

    private static String lower(EventStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static @Nullable Double millis(@Nullable Duration d) {
        return d == null ? null : d.toNanos() / 1_000_000.0;
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static String resource(String name) {
        try (InputStream in = HookwiseConsole.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("console resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
