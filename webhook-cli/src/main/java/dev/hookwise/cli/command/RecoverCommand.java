package dev.hookwise.cli.command;

import com.google.gson.JsonObject;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.StripeCollection;
import com.stripe.param.EventListParams;
import dev.hookwise.cli.CliException;
import dev.hookwise.cli.ExitCode;
import dev.hookwise.cli.internal.JsonOut;
import dev.hookwise.cli.internal.Progress;
import dev.hookwise.cli.internal.Stripes;
import dev.hookwise.cli.internal.Table;
import dev.hookwise.cli.internal.TimeArgs;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.MalformedEventException;
import dev.hookwise.core.recovery.EventRecovery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hookwise recover}: what {@code EventRecovery} does, except that the missing events go
 * into the inbox (source {@code RECOVERY}) instead of through handlers the CLI does not have.
 * Lists Stripe's events first, writes only after the operator confirmed what is missing.
 */
@Command(name = "recover", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Queues the events Stripe sent that the event log lacks (source recovery).",
            "",
            "Lists the events Stripe created since --since (GET /v1/events, 100 a page; Stripe keeps 30 days),",
            "compares them with the event log, and puts the ones the log lacks into the inbox (status queued,",
            "source recovery) for the application's inbox workers: the CLI runs no handlers. Events the log",
            "recorded as skipped-stale are queued again too. Asks before writing unless --yes.",
            "",
            "Needs STRIPE_API_KEY or --stripe-key-file.",
            "",
            "Exit codes: 0 nothing missing, or every missing event queued; 1 missing events found (--dry-run) or",
            "some could not be queued; 2 usage error; 3 event store or Stripe unreachable; 5 cancelled."})
public final class RecoverCommand extends CliCommand {
    private static final long PAGE_SIZE = 100;

    @Option(names = "--since", defaultValue = "72h", paramLabel = "<time>",
            description = "list events created at or after: a time, a date or an age, at most 30 days ago (default: ${DEFAULT-VALUE},"
                    + " Stripe's retry window)")
    String since;

    @Option(names = "--max-events", defaultValue = "100000", paramLabel = "<n>",
            description = "list at most this many events (default: ${DEFAULT-VALUE})")
    int maxEvents;

    @Option(names = "--dry-run", description = "report what is missing; write nothing")
    boolean dryRun;

    private record Missing(String id, String type, Instant created, boolean skipped, byte[] payload,
            @Nullable String problem) {}

    @Override
    int run() {
        Instant now = now();
        Instant from = TimeArgs.instant(since, now, "--since");
        if (from.isBefore(now.minus(EventRecovery.MAX_LOOKBACK))) {
            throw new CliException(ExitCode.USAGE, "--since " + since + " is more than 30 days ago; Stripe keeps events"
                    + " for 30 days, so list from at most 30d");
        }
        if (maxEvents < 1) {
            throw new CliException(ExitCode.USAGE, "--max-events must be at least 1, but was " + maxEvents);
        }
        JdbcIdempotencyStore store = root.eventLog().store();
        StripeClient stripe = root.stripe();
        int listed = 0;
        int known = 0;
        boolean truncated = false;
        List<Missing> missing = new ArrayList<>();
        try (Progress progress = root.progress("listing Stripe events")) {
            String startingAfter = null;
            while (true) {
                StripeCollection<Event> page = list(stripe, from, startingAfter);
                List<Event> events = page.getData() == null ? List.of() : page.getData();
                for (Event event : events) {
                    if (listed >= maxEvents) {
                        truncated = true;
                        break;
                    }
                    listed++;
                    startingAfter = event.getId();
                    Optional<EventRecord> existing = store.find(event.getId());
                    if (existing.isPresent() && existing.get().status() != EventStatus.SKIPPED_STALE) {
                        known++;
                        continue;
                    }
                    missing.add(missing(event, existing.isPresent()));
                }
                progress.update(listed, "events listed, " + missing.size() + " missing");
                if (truncated || !Boolean.TRUE.equals(page.getHasMore()) || events.isEmpty()) {
                    break;
                }
            }
        }
        missing.sort(java.util.Comparator.comparing(Missing::created).thenComparing(Missing::id));
        if (truncated) {
            io().err().println("note: stopped after --max-events " + maxEvents + "; older events were not compared");
        }
        List<Missing> queueable = missing.stream().filter(m -> m.problem() == null).toList();
        Map<String, String> results = new LinkedHashMap<>();
        if (!dryRun && !queueable.isEmpty()) {
            root.confirmation().require("Queue " + queueable.size() + " missing event(s) into the inbox for the"
                    + " application's workers?");
            try (Progress progress = root.progress("queueing")) {
                int n = 0;
                for (Missing m : queueable) {
                    results.put(m.id(), queue(store, m));
                    progress.update(++n, "events");
                }
            }
        }
        long queued = results.values().stream().filter("queued"::equals).count();
        print(from, listed, known, missing, results, queued, truncated);
        if (dryRun) {
            return missing.isEmpty() ? ExitCode.OK : ExitCode.PROBLEMS;
        }
        // Another process may have recorded an event meanwhile ("already in the log"): that is not a problem.
        boolean problems = missing.stream().anyMatch(m -> m.problem() != null)
                || results.values().stream().anyMatch(r -> !r.equals("queued") && !r.startsWith("already"));
        return problems ? ExitCode.PROBLEMS : ExitCode.OK;
    }

    private static StripeCollection<Event> list(StripeClient stripe, Instant from, @Nullable String startingAfter) {
        EventListParams.Builder params = EventListParams.builder().setLimit(PAGE_SIZE)
                .setCreated(EventListParams.Created.builder().setGte(from.getEpochSecond()).build());
        if (startingAfter != null) {
            params.setStartingAfter(startingAfter);
        }
        try {
            return stripe.v1().events().list(params.build());
        } catch (StripeException e) {
            throw Stripes.unavailable(e);
        }
    }

    private static Missing missing(Event event, boolean skipped) {
        JsonObject raw = event.getRawJsonObject();
        byte[] json = (raw != null ? raw.toString() : event.toJson()).getBytes(StandardCharsets.UTF_8);
        Instant created = event.getCreated() == null ? Instant.EPOCH : Instant.ofEpochSecond(event.getCreated());
        String problem = null;
        try {
            EventEnvelope.parse(json);
        } catch (MalformedEventException e) {
            problem = "unreadable: " + e.getMessage();
        }
        return new Missing(event.getId(), String.valueOf(event.getType()), created, skipped, json, problem);
    }

    private static String queue(JdbcIdempotencyStore store, Missing m) {
        if (m.skipped()) {
            return store.resetForReplay(m.id(), EventSource.RECOVERY) ? "queued" : "already in the log (status changed)";
        }
        EventEnvelope e = EventEnvelope.parse(m.payload());
        NewEvent event = new NewEvent(e.id(), e.type(), e.created(), e.livemode(), e.apiVersion().orElse(null),
                e.account().orElse(null), EventSource.RECOVERY, e.rawBytes());
        return store.enqueue(event) ? "queued" : "already in the log (arrived meanwhile)";
    }

    private void print(Instant from, int listed, int known, List<Missing> missing, Map<String, String> results,
            long queued, boolean truncated) {
        if (json()) {
            Map<String, @Nullable Object> o = JsonOut.object();
            o.put("since", JsonOut.time(from));
            o.put("dry_run", dryRun);
            o.put("listed", listed);
            o.put("already_known", known);
            o.put("missing", missing.size());
            o.put("queued", queued);
            o.put("truncated", truncated);
            List<Map<String, @Nullable Object>> events = new ArrayList<>();
            for (Missing m : missing) {
                Map<String, @Nullable Object> e = JsonOut.object();
                e.put("id", m.id());
                e.put("type", m.type());
                e.put("created", JsonOut.time(m.created()));
                e.put("in_log", m.skipped() ? "skipped_stale" : "absent");
                e.put("result", result(m, results));
                events.add(e);
            }
            o.put("events", events);
            JsonOut.print(out(), o);
            return;
        }
        out().println("listed " + listed + " Stripe event(s) created since " + TimeArgs.show(from) + ": " + known
                + " in the log, " + missing.size() + " missing");
        if (!missing.isEmpty()) {
            out().println();
            Table t = Table.of("ID", "TYPE", "CREATED", "IN LOG", "RESULT");
            missing.forEach(m -> t.row(m.id(), m.type(), m.created(), m.skipped() ? "skipped_stale" : "absent",
                    result(m, results)));
            t.print(out());
            out().println();
            if (dryRun) {
                out().println("dry run: nothing was written; run without --dry-run to queue them");
            } else {
                out().println("queued " + queued + " event(s) (source recovery). The CLI runs no handlers: the"
                        + " application's inbox workers run them; follow with 'hookwise status'");
            }
        }
    }

    private String result(Missing m, Map<String, String> results) {
        if (m.problem() != null) {
            return m.problem();
        }
        return dryRun ? "would queue" : results.getOrDefault(m.id(), "not queued");
    }
}
