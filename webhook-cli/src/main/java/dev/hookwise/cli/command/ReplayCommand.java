package dev.hookwise.cli.command;

import dev.hookwise.cli.CliException;
import dev.hookwise.cli.ExitCode;
import dev.hookwise.cli.internal.JsonOut;
import dev.hookwise.cli.internal.Pages;
import dev.hookwise.cli.internal.Progress;
import dev.hookwise.cli.internal.Table;
import dev.hookwise.cli.internal.TimeArgs;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hookwise replay}: puts recorded events back into the inbox ({@code InboxStore.resetForReplay},
 * source {@code REPLAY}) for the application's workers. The CLI has no handlers, so it never runs one.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Queues recorded events again for the application's inbox workers (source replay).",
            "",
            "Puts events back into the inbox (status queued, attempts reset, source replay) for the application's",
            "inbox workers to run: the CLI runs no handlers. The application must run InboxWorkers (asynchronous",
            "mode, the default with JDBC); an application in synchronous mode replays with EventReplayer instead.",
            "",
            "Name events by id (failed, dead, ignored or skipped-stale ones), or select failed and dead events",
            "with a filter (--status, --type, --since, …). Asks before writing unless --yes.",
            "",
            "Exit codes: 0 queued (or nothing matched), 1 an event named could not be queued, 2 usage error,",
            "3 event store unreachable, 5 cancelled at the prompt."})
public final class ReplayCommand extends CliCommand {
    /** What a replay by id accepts (as EventReplayer.replay does). */
    private static final Set<EventStatus> REPLAYABLE_BY_ID = EnumSet.of(EventStatus.FAILED, EventStatus.DEAD,
            EventStatus.IGNORED, EventStatus.SKIPPED_STALE);
    /** What a replay by filter selects (as EventReplayer.replayAll does). */
    private static final Set<EventStatus> REPLAYABLE_BY_FILTER = EnumSet.of(EventStatus.FAILED, EventStatus.DEAD);

    @Parameters(paramLabel = "<id>", arity = "0..*", description = "event ids (evt_…)")
    List<String> ids = new ArrayList<>();

    @Option(names = "--status", paramLabel = "<status>", split = ",",
            description = "failed and/or dead (default: both)")
    List<EventStatus> statuses = new ArrayList<>();

    @Mixin
    EventFilterOptions filter = new EventFilterOptions();

    @Option(names = "--until", paramLabel = "<time>", description = "only events created before this")
    @Nullable String until;

    @Option(names = "--max", defaultValue = "1000", paramLabel = "<n>", description = "queue at most this many (default: ${DEFAULT-VALUE})")
    int max;

    @Option(names = "--dry-run", description = "show what would be queued; write nothing")
    boolean dryRun;

    private record Candidate(String id, String type, String status, int attempts, @Nullable String refusal) {}

    @Override
    int run() {
        boolean filtered = !statuses.isEmpty() || filter.any() || until != null;
        if (ids.isEmpty() == !filtered) {
            throw new CliException(ExitCode.USAGE, ids.isEmpty()
                    ? "name the events to replay: event ids, or a filter such as --status dead, --type invoice.paid,"
                            + " --since 24h"
                    : "give event ids or a filter, not both");
        }
        if (max < 1) {
            throw new CliException(ExitCode.USAGE, "--max must be at least 1, but was " + max);
        }
        for (EventStatus s : statuses) {
            if (!REPLAYABLE_BY_FILTER.contains(s)) {
                throw new CliException(ExitCode.USAGE, "--status takes failed or dead, but was "
                        + s.name().toLowerCase(Locale.ROOT) + " (replay other events by id)");
            }
        }
        JdbcIdempotencyStore store = root.eventLog().store();
        List<Candidate> plan = ids.isEmpty() ? byFilter(store) : byId(store);
        List<Candidate> queueable = plan.stream().filter(c -> c.refusal() == null).toList();
        boolean refused = plan.size() > queueable.size();

        Map<String, String> results = new LinkedHashMap<>();
        if (!dryRun && !queueable.isEmpty()) {
            root.confirmation().require("Queue " + queueable.size() + " event(s) into the inbox for the application's"
                    + " workers?");
            try (Progress progress = root.progress("queueing")) {
                int n = 0;
                for (Candidate c : queueable) {
                    results.put(c.id(), store.resetForReplay(c.id(), EventSource.REPLAY) ? "queued"
                            : "not queued: its status changed meanwhile");
                    progress.update(++n, "events");
                }
            }
        }
        long queued = results.values().stream().filter("queued"::equals).count();
        boolean lost = results.size() > queued;
        print(plan, results, queued);
        return (refused && !ids.isEmpty()) || lost ? ExitCode.PROBLEMS : ExitCode.OK;
    }

    private List<Candidate> byId(JdbcIdempotencyStore store) {
        List<Candidate> plan = new ArrayList<>();
        for (String id : new java.util.LinkedHashSet<>(ids)) {
            Optional<EventRecord> found = store.find(id);
            if (found.isEmpty()) {
                plan.add(new Candidate(id, "-", "-", 0, "not in the event log"));
                continue;
            }
            EventRecord r = found.get();
            String refusal = !REPLAYABLE_BY_ID.contains(r.status())
                    ? "status " + name(r.status()) + (r.status() == EventStatus.COMPLETED
                            ? ": its effects already happened" : ": it is already waiting for or under a worker")
                    : r.payload() == null ? "no stored payload to replay" : null;
            plan.add(new Candidate(r.id(), r.type(), name(r.status()), r.attempts(), refusal));
        }
        return plan;
    }

    private List<Candidate> byFilter(JdbcIdempotencyStore store) {
        EventQuery.Builder q = filter.applyTo(EventQuery.builder()
                .statuses(statuses.isEmpty() ? REPLAYABLE_BY_FILTER : EnumSet.copyOf(statuses)), now());
        if (until != null) {
            q.createdTo(TimeArgs.instant(until, now(), "--until"));
        }
        // Collect first, then queue: a queued event must not be picked up again by a later page.
        List<Candidate> plan = new ArrayList<>();
        boolean[] truncated = {false};
        try (Progress progress = root.progress("selecting events")) {
            truncated[0] = Pages.forEach(store, q.build(), max, progress, r -> plan.add(new Candidate(r.id(), r.type(),
                    name(r.status()), r.attempts(), r.payload() == null ? "no stored payload to replay" : null)));
        }
        if (truncated[0]) {
            io().err().println("note: more than " + max + " events match; this run takes the oldest " + max
                    + " (raise --max, or run again)");
        }
        return plan;
    }

    private void print(List<Candidate> plan, Map<String, String> results, long queued) {
        if (json()) {
            Map<String, @Nullable Object> o = JsonOut.object();
            o.put("dry_run", dryRun);
            o.put("matched", plan.size());
            o.put("queued", queued);
            List<Map<String, @Nullable Object>> events = new ArrayList<>();
            for (Candidate c : plan) {
                Map<String, @Nullable Object> e = JsonOut.object();
                e.put("id", c.id());
                e.put("type", c.type());
                e.put("status", c.status());
                e.put("attempts", c.attempts());
                e.put("result", c.refusal() != null ? "refused: " + c.refusal()
                        : dryRun ? "would queue" : results.getOrDefault(c.id(), "not queued"));
                events.add(e);
            }
            o.put("events", events);
            JsonOut.print(out(), o);
            return;
        }
        if (plan.isEmpty()) {
            out().println("no failed or dead events match; nothing to replay");
            return;
        }
        Table t = Table.of("ID", "TYPE", "STATUS", "ATTEMPTS", "RESULT");
        for (Candidate c : plan) {
            t.row(c.id(), c.type(), c.status(), c.attempts(), c.refusal() != null ? "refused: " + c.refusal()
                    : dryRun ? "would queue" : results.getOrDefault(c.id(), "not queued"));
        }
        t.print(out());
        out().println();
        long queueable = plan.stream().filter(c -> c.refusal() == null).count();
        if (dryRun) {
            out().println("dry run: " + queueable + " event(s) would be queued for the application's inbox workers;"
                    + " nothing was written");
        } else {
            out().println("queued " + queued + " event(s) (source replay). The CLI runs no handlers: the application's"
                    + " inbox workers run them; follow with 'hookwise status' and 'hookwise dead'");
        }
    }

    private static String name(EventStatus s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
