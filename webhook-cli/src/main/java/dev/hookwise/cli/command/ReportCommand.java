package dev.hookwise.cli.command;

import dev.hookwise.cli.CliException;
import dev.hookwise.cli.ExitCode;
import dev.hookwise.cli.internal.CountingStore;
import dev.hookwise.cli.internal.JsonOut;
import dev.hookwise.cli.internal.Progress;
import dev.hookwise.cli.internal.Table;
import dev.hookwise.cli.internal.TimeArgs;
import dev.hookwise.core.operations.WebhookReport;
import dev.hookwise.core.operations.WebhookReports;
import dev.hookwise.core.spi.EventStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hookwise report}: {@code WebhookReports} over a window, as tables or its JSON. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Per-type counts, p50/p95/p99 processing time, error distribution, failed and dead events.",
            "",
            "Covers the events created in [--from, --to). --json prints WebhookReport.toJson().",
            "",
            "Exit codes: 0 report printed, 2 usage error, 3 event store unreachable."})
public final class ReportCommand extends CliCommand {

    @Option(names = "--from", defaultValue = "24h", paramLabel = "<time>",
            description = "start: 2026-11-20T10:00:00Z, 2026-11-20, or an age such as 24h (default: ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--to", paramLabel = "<time>", description = "end, exclusive, in the same forms (default: now)")
    @Nullable String to;

    @Option(names = "--max-events", defaultValue = "200000", paramLabel = "<n>",
            description = "read at most this many events; the report says when the window held more (default: ${DEFAULT-VALUE})")
    int maxEvents;

    @Override
    int run() {
        Window window = window(from, to);
        Instant start = window.start();
        Instant end = window.end();
        if (maxEvents < 1) {
            throw new CliException(ExitCode.USAGE, "--max-events must be at least 1, but was " + maxEvents);
        }
        WebhookReport report;
        try (Progress progress = root.progress("reading the event log")) {
            report = WebhookReports.of(new CountingStore(root.eventLog().store(), progress)).withMaxEvents(maxEvents)
                    .report(start, end);
        }
        if (json()) {
            JsonOut.printRendered(out(), report.toJson());
        } else {
            print(out(), report);
        }
        return ExitCode.OK;
    }

    private static void print(PrintWriter out, WebhookReport report) {
        out.println("events created " + TimeArgs.show(report.from()) + " .. " + TimeArgs.show(report.to()) + ": " + report.total()
                + (report.truncated() ? " (more in the window than read: raise --max-events)" : ""));
        if (report.total() == 0) {
            return;
        }
        out.println();
        List<String> statuses = new ArrayList<>();
        for (EventStatus s : EventStatus.values()) {
            String name = s.name().toLowerCase(Locale.ROOT);
            if (report.countsByType().values().stream().anyMatch(m -> m.containsKey(name))) {
                statuses.add(name);
            }
        }
        List<String> header = new ArrayList<>();
        header.add("TYPE");
        statuses.forEach(s -> header.add(s.toUpperCase(Locale.ROOT)));
        header.add("TOTAL");
        Table types = Table.of(header.toArray(String[]::new));
        for (Map.Entry<String, Map<String, Long>> e : new TreeMap<>(report.countsByType()).entrySet()) {
            List<Object> row = new ArrayList<>();
            row.add(e.getKey());
            statuses.forEach(s -> row.add(e.getValue().getOrDefault(s, 0L)));
            row.add(e.getValue().values().stream().mapToLong(Long::longValue).sum());
            types.row(row.toArray());
        }
        types.print(out);

        WebhookReport.Percentiles p = report.processingTime();
        out.println();
        out.println("processing time of " + p.count() + " completed event(s): p50 " + ms(p.p50()) + "  p95 "
                + ms(p.p95()) + "  p99 " + ms(p.p99()) + "  max " + ms(p.max()));
        if (!report.errors().isEmpty()) {
            out.println();
            Table errors = Table.of("COUNT", "ERROR (first line)");
            report.errors().entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> errors.row(e.getValue(), e.getKey()));
            errors.print(out);
        }
        if (!report.failedEvents().isEmpty()) {
            out.println();
            Table failed = Table.of("ID", "TYPE", "STATUS", "ATTEMPTS", "CREATED", "LAST ERROR").cap(5, 60);
            report.failedEvents().forEach(f -> failed.row(f.id(), f.type(), f.status(), f.attempts(), f.created(),
                    f.lastError()));
            failed.print(out);
        }
    }

    private static String ms(@Nullable Duration d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1_000_000.0);
    }
}
