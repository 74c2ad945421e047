package dev.hookwise.cli.command;

import dev.hookwise.cli.ExitCode;
import dev.hookwise.cli.internal.JsonOut;
import dev.hookwise.cli.internal.Pages;
import dev.hookwise.cli.internal.Progress;
import dev.hookwise.cli.internal.TimeArgs;
import dev.hookwise.core.operations.WebhookHealth;
import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hookwise status}: the health figures of {@code WebhookHealth}, read from the event log
 * (the CLI sees no handler runs, so the failure rate and the last success come from the log).
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Health figures: backlog, oldest pending age, failure rate, last success, failed and dead counts.",
            "",
            "The failure rate is over the events created in --window: (failed + dead) / (completed + failed + dead).",
            "The last success is the latest completion among events created in the last 90 days.",
            "",
            "Exit codes: 0 healthy, 1 unhealthy (a threshold passed), 3 event store unreachable."})
public final class StatusCommand extends CliCommand {
    private static final long MAX_COUNTED = 100_000;
    private static final List<Duration> LAST_SUCCESS_TIERS = List.of(Duration.ofDays(1), Duration.ofDays(7),
            Duration.ofDays(30), Duration.ofDays(90));

    @Option(names = "--window", defaultValue = "15m", paramLabel = "<age>",
            description = "window of the failure rate (default: ${DEFAULT-VALUE}, as WebhookHealth)")
    String window;

    @Option(names = "--max-backlog", paramLabel = "<n>",
            description = "unhealthy when this many events or more wait (default: 100, as WebhookHealth)")
    long maxBacklog = WebhookHealth.DEFAULT_BACKLOG_THRESHOLD;

    @Option(names = "--max-failure-rate", paramLabel = "<0..1>",
            description = "unhealthy above this failure rate (default: 0.001, as WebhookHealth)")
    double maxFailureRate = WebhookHealth.DEFAULT_FAILURE_RATE_THRESHOLD;

    @Option(names = "--max-oldest-pending", paramLabel = "<age>",
            description = "unhealthy when the oldest waiting event is older (default: no limit)")
    @Nullable String maxOldestPending;

    @Option(names = "--max-since-last-success", paramLabel = "<age>",
            description = "unhealthy when the last success is older, or none was found (default: no limit)")
    @Nullable String maxSinceLastSuccess;

    @Option(names = "--max-dead", paramLabel = "<n>", description = "unhealthy with more dead events than this (default: no limit)")
    @Nullable Long maxDead;

    @Override
    int run() {
        Instant now = now();
        Duration windowLength = TimeArgs.duration(window, "--window");
        Duration oldestLimit = maxOldestPending == null ? null : TimeArgs.duration(maxOldestPending, "--max-oldest-pending");
        Duration successLimit = maxSinceLastSuccess == null ? null
                : TimeArgs.duration(maxSinceLastSuccess, "--max-since-last-success");
        if (maxFailureRate < 0 || maxFailureRate > 1) {
            throw new dev.hookwise.cli.CliException(ExitCode.USAGE, "--max-failure-rate must be between 0 and 1, but was "
                    + maxFailureRate);
        }
        JdbcIdempotencyStore store = root.eventLog().store();
        Backlog backlog = store.backlog();
        long[] window = new long[3]; // completed, failed, dead
        Instant[] lastSuccess = {null};
        long dead;
        long failed;
        boolean deadTruncated;
        boolean failedTruncated;
        try (Progress progress = root.progress("reading the event log")) {
            Instant windowStart = now.minus(windowLength);
            Pages.forEach(store, EventQuery.builder().createdFrom(windowStart).createdTo(now.plusSeconds(1))
                    .statuses(EventStatus.COMPLETED, EventStatus.FAILED, EventStatus.DEAD).build(), Long.MAX_VALUE,
                    progress, r -> {
                        switch (r.status()) {
                            case COMPLETED -> {
                                window[0]++;
                                later(lastSuccess, r);
                            }
                            case FAILED -> window[1]++;
                            default -> window[2]++;
                        }
                    });
            Instant searchedFrom = windowStart;
            for (Duration tier : LAST_SUCCESS_TIERS) {
                if (lastSuccess[0] != null || !now.minus(tier).isBefore(searchedFrom)) {
                    continue;
                }
                Pages.forEach(store, EventQuery.builder().statuses(EventStatus.COMPLETED).createdFrom(now.minus(tier))
                        .createdTo(searchedFrom).build(), MAX_COUNTED, progress, r -> later(lastSuccess, r));
                searchedFrom = now.minus(tier);
            }
            long[] n = {0, 0};
            deadTruncated = count(store, EventStatus.DEAD, progress, n, 0);
            failedTruncated = count(store, EventStatus.FAILED, progress, n, 1);
            dead = n[0];
            failed = n[1];
        }
        long outcomes = window[0] + window[1] + window[2];
        double rate = outcomes == 0 ? 0.0 : (double) (window[1] + window[2]) / outcomes;
        Duration oldest = backlog.oldestPendingAge(now);

        List<String> problems = new ArrayList<>();
        if (backlog.pending() >= maxBacklog) {
            problems.add("backlog " + backlog.pending() + " is at or above " + maxBacklog);
        }
        if (outcomes > 0 && rate > maxFailureRate) {
            problems.add(String.format(Locale.ROOT, "failure rate %.4f over the last %s is above %.4f", rate,
                    TimeArgs.human(windowLength), maxFailureRate));
        }
        if (oldestLimit != null && oldest.compareTo(oldestLimit) > 0) {
            problems.add("oldest pending event waits for " + TimeArgs.human(oldest) + ", longer than "
                    + TimeArgs.human(oldestLimit));
        }
        if (successLimit != null && (lastSuccess[0] == null || lastSuccess[0].plus(successLimit).isBefore(now))) {
            problems.add(lastSuccess[0] == null ? "no successful event found in the last 90 days"
                    : "last success " + lastSuccess[0] + " is older than " + TimeArgs.human(successLimit));
        }
        if (maxDead != null && dead > maxDead) {
            problems.add(dead + " dead event(s), more than " + maxDead + ": see 'hookwise dead'");
        }
        String status = problems.isEmpty() ? "UP" : "DOWN";

        if (json()) {
            Map<String, @Nullable Object> o = JsonOut.object();
            o.put("status", status);
            o.put("problems", problems);
            o.put("event_log", store.tableName());
            o.put("backlog", backlog.pending());
            o.put("processing", backlog.processing());
            o.put("oldest_pending_age_seconds", oldest.toSeconds());
            o.put("window_seconds", windowLength.toSeconds());
            o.put("completed_in_window", window[0]);
            o.put("failed_in_window", window[1]);
            o.put("dead_in_window", window[2]);
            o.put("failure_rate", rate);
            o.put("last_success", JsonOut.time(lastSuccess[0]));
            o.put("failed", failed);
            o.put("failed_truncated", failedTruncated);
            o.put("dead", dead);
            o.put("dead_truncated", deadTruncated);
            JsonOut.print(out(), o);
        } else {
            var out = out();
            out.println("status          " + status);
            out.println("event log       " + store.tableName() + " (" + store.dialect().displayName() + ")");
            out.println("backlog         " + backlog.pending() + " waiting, " + backlog.processing() + " processing");
            out.println("oldest pending  " + (backlog.pending() == 0 ? "-" : TimeArgs.human(oldest)));
            out.println(String.format(Locale.ROOT, "failure rate    %.4f over the last %s (%d completed, %d failed,"
                    + " %d dead)", rate, TimeArgs.human(windowLength), window[0], window[1], window[2]));
            out.println("last success    " + (lastSuccess[0] == null ? "none in the last 90 days"
                    : TimeArgs.show(lastSuccess[0]) + " (" + TimeArgs.human(Duration.between(lastSuccess[0], now)) + " ago)"));
            out.println("failed          " + failed + (failedTruncated ? "+" : "") + " (retried by the workers)");
            out.println("dead            " + dead + (deadTruncated ? "+" : "")
                    + (dead > 0 ? " (need a person: hookwise dead)" : ""));
            if (!problems.isEmpty()) {
                out.println("problems:");
                problems.forEach(p -> out.println("  - " + p));
            }
        }
        return problems.isEmpty() ? ExitCode.OK : ExitCode.PROBLEMS;
    }

    private static void later(Instant[] latest, EventRecord r) {
        Instant t = r.completedAt();
        if (t != null && (latest[0] == null || t.isAfter(latest[0]))) {
            latest[0] = t;
        }
    }

    private static boolean count(IdempotencyStore store, EventStatus status, Progress progress, long[] counts, int slot) {
        return Pages.forEach(store, EventQuery.builder().statuses(status).build(), MAX_COUNTED, progress,
                r -> counts[slot]++);
    }
}
