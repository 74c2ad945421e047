package dev.hookwise.core.operations;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.internal.EventLogPages;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link WebhookReport}s from the event log: counts per type and status, p50/p95/p99
 * processing time, error distribution and the failed events of a window — the dashboard queries
 * of the troubleshooting guide, as code that works on every store.
 *
 * <p>It pages through {@link IdempotencyStore#search}; a window with more than {@code maxEvents}
 * events is reported on its first {@code maxEvents} and flagged {@code truncated}.
 *
 * <pre>{@code
 * WebhookReport lastDay = WebhookReports.of(store).report(now.minus(Duration.ofDays(1)), now);
 * System.out.println(lastDay.toJson());
 * }</pre>
 */
public final class WebhookReports {
    public static final int MAX_FAILED_LISTED = 100;
    public static final int DEFAULT_MAX_EVENTS = 200_000;

    private final IdempotencyStore store;
    private final int maxEvents;

    private WebhookReports(IdempotencyStore store, int maxEvents) {
        this.store = store;
        this.maxEvents = maxEvents;
    }

    public static WebhookReports of(IdempotencyStore store) {
        return new WebhookReports(Objects.requireNonNull(store, "store"), DEFAULT_MAX_EVENTS);
    }

    /** A report reader that reads at most {@code maxEvents} events per report. */
    public WebhookReports withMaxEvents(int value) {
        if (value < 1) {
            throw new HookwiseConfigurationException("maxEvents must be >= 1, but was " + value);
        }
        return new WebhookReports(store, value);
    }

    /** Reports on the events created in {@code [from, to)}. */
    public WebhookReport report(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("report window is empty: from " + from + " is not before to " + to);
        }
        Map<String, Map<String, Long>> counts = new HashMap<>();
        List<Long> nanos = new ArrayList<>();
        Map<String, Long> errors = new HashMap<>();
        List<WebhookReport.FailedEvent> failed = new ArrayList<>();
        long[] total = {0};
        boolean truncated = EventLogPages.forEach(store, EventQuery.builder().createdFrom(from).createdTo(to).build(),
                maxEvents, r -> {
                    total[0]++;
                    String status = r.status().name().toLowerCase(java.util.Locale.ROOT);
                    counts.computeIfAbsent(r.type(), k -> new HashMap<>()).merge(status, 1L, Long::sum);
                    if (r.status() == EventStatus.COMPLETED && r.processingTime() != null) {
                        nanos.add(r.processingTime().toNanos());
                    }
                    if (r.status() == EventStatus.FAILED || r.status() == EventStatus.DEAD) {
                        errors.merge(errorKey(r.lastError()), 1L, Long::sum);
                        if (failed.size() < MAX_FAILED_LISTED) {
                            failed.add(new WebhookReport.FailedEvent(r.id(), r.type(), status, r.attempts(), r.created(),
                                    r.lastError()));
                        }
                    }
                });
        return new WebhookReport(from, to, total[0], counts, percentiles(nanos), errors, failed, truncated);
    }

    static WebhookReport.Percentiles percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return new WebhookReport.Percentiles(0, null, null, null, null);
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return new WebhookReport.Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99),
                Duration.ofNanos(sorted[sorted.length - 1]));
    }

    /** Nearest-rank percentile: the smallest value with at least p % of values at or below it. */
    private static Duration rank(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return Duration.ofNanos(sorted[Math.max(0, index)]);
    }

    private static String errorKey(@Nullable String error) {
        if (error == null || error.isBlank()) {
            return "(no error recorded)";
        }
        int nl = error.indexOf('\n');
        String line = nl < 0 ? error : error.substring(0, nl);
        return line.length() > 120 ? line.substring(0, 120) : line;
    }
}
