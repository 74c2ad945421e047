package dev.hookwise.cli.command;

import dev.hookwise.cli.CliException;
import dev.hookwise.cli.ExitCode;
import dev.hookwise.cli.internal.JsonOut;
import dev.hookwise.cli.internal.Table;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code failed} and {@code dead}: one page of the events in a status, oldest first, with their reasons. */
abstract class ListEventsCommand extends CliCommand {
    static final int MAX_LIMIT = 5000;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "<n>", description = "events per page, 1 to 5000 (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--offset", defaultValue = "0", paramLabel = "<n>", description = "events to skip, for the next page (default: 0)")
    int offset;

    @Mixin
    EventFilterOptions filter = new EventFilterOptions();

    abstract EventStatus status();

    @Override
    int run() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new CliException(ExitCode.USAGE, "--limit must be between 1 and " + MAX_LIMIT + ", but was " + limit);
        }
        if (offset < 0) {
            throw new CliException(ExitCode.USAGE, "--offset must not be negative, but was " + offset);
        }
        EventQuery.Builder q = filter.applyTo(EventQuery.builder().statuses(status()), now());
        EventQuery query = q.build();
        IdempotencyStore store = root.eventLog().store();
        List<EventRecord> rows = new ArrayList<>(store.search(query.withPage(limit + 1, offset)));
        boolean more = rows.size() > limit;
        if (more) {
            rows.remove(rows.size() - 1);
        }
        boolean any = !rows.isEmpty() || (offset > 0 && !store.search(query.withPage(1, 0)).isEmpty());
        String name = status().name().toLowerCase(Locale.ROOT);
        if (json()) {
            Map<String, @Nullable Object> o = JsonOut.object();
            o.put("status", name);
            o.put("offset", offset);
            o.put("limit", limit);
            o.put("more", more);
            List<Map<String, @Nullable Object>> events = new ArrayList<>();
            for (EventRecord r : rows) {
                Map<String, @Nullable Object> e = JsonOut.object();
                e.put("id", r.id());
                e.put("type", r.type());
                e.put("status", r.status().name().toLowerCase(Locale.ROOT));
                e.put("attempts", r.attempts());
                e.put("created", JsonOut.time(r.created()));
                e.put("received_at", JsonOut.time(r.receivedAt()));
                e.put("last_attempt_at", JsonOut.time(r.startedAt()));
                e.put("next_attempt_at", JsonOut.time(r.nextAttemptAt()));
                e.put("source", r.source().name().toLowerCase(Locale.ROOT));
                e.put("last_error", r.lastError());
                events.add(e);
            }
            o.put("events", events);
            JsonOut.print(out(), o);
        } else if (rows.isEmpty()) {
            out().println(any ? "no " + name + " events on this page (offset " + offset + ")" : "no " + name + " events");
        } else {
            boolean failed = status() == EventStatus.FAILED;
            Table t = failed ? Table.of("ID", "TYPE", "ATTEMPTS", "CREATED", "NEXT ATTEMPT", "REASON")
                    : Table.of("ID", "TYPE", "ATTEMPTS", "CREATED", "LAST ATTEMPT", "REASON");
            t.cap(5, 80);
            for (EventRecord r : rows) {
                Instant when = failed ? r.nextAttemptAt() : r.startedAt();
                t.row(r.id(), r.type(), r.attempts(), r.created(), when, firstLine(r.lastError()));
            }
            t.print(out());
            out().println();
            out().println(name + " events " + (offset + 1) + "-" + (offset + rows.size())
                    + (more ? "; next page: --offset " + (offset + rows.size()) : "") + (failed
                    ? "; the workers retry them at NEXT ATTEMPT" : "; replay them with 'hookwise replay <id>' or"
                    + " 'hookwise replay --status dead …' once the cause is fixed"));
        }
        return any ? ExitCode.PROBLEMS : ExitCode.OK;
    }

    private static @Nullable String firstLine(@Nullable String s) {
        if (s == null) {
            return null;
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
