package dev.hookwise.cli.command;

import dev.hookwise.cli.CliException;
import dev.hookwise.cli.ExitCode;
import dev.hookwise.cli.internal.JsonOut;
import dev.hookwise.cli.internal.Pages;
import dev.hookwise.cli.internal.Progress;
import dev.hookwise.cli.internal.TimeArgs;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hookwise purge}: {@code EventRetention}'s batched delete of completed and ignored events,
 * counted first so the operator confirms a number.
 */
@Command(name = "purge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Deletes completed and ignored events older than --older-than (retention).",
            "",
            "Deletes completed and ignored events that finished more than --older-than ago, in batches",
            "(IdempotencyStore.purge, as EventRetention does). Failed, dead, queued and skipped events are never",
            "deleted. Counts first, then asks before deleting unless --yes.",
            "",
            "Exit codes: 0 done (or nothing to delete), 2 usage error, 3 event store unreachable, 5 cancelled."})
public final class PurgeCommand extends CliCommand {

    @Option(names = "--older-than", defaultValue = "90d", paramLabel = "<age>",
            description = "finished longer ago than this, at least 1d (default: ${DEFAULT-VALUE}, EventRetention's)")
    String olderThan;

    @Option(names = "--batch-size", defaultValue = "1000", paramLabel = "<n>",
            description = "rows per delete statement (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--dry-run", description = "count what would be deleted; delete nothing")
    boolean dryRun;

    @Override
    int run() {
        Duration age = TimeArgs.duration(olderThan, "--older-than");
        if (age.compareTo(Duration.ofDays(1)) < 0) {
            throw new CliException(ExitCode.USAGE, "--older-than must be at least 1d (as EventRetention), but was "
                    + olderThan);
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new CliException(ExitCode.USAGE, "--batch-size must be between 1 and 10000, but was " + batchSize);
        }
        Instant cutoff = now().minus(age);
        JdbcIdempotencyStore store = root.eventLog().store();
        long[] candidates = {0};
        try (Progress progress = root.progress("counting")) {
            // An event finished before the cutoff was created before it too, so the created index narrows the read.
            Pages.forEach(store, EventQuery.builder().statuses(EventStatus.COMPLETED, EventStatus.IGNORED)
                    .createdTo(cutoff).build(), Long.MAX_VALUE, progress, r -> {
                        if (r.completedAt() != null && r.completedAt().isBefore(cutoff)) {
                            candidates[0]++;
                        }
                    });
        }
        long deleted = 0;
        if (!dryRun && candidates[0] > 0) {
            root.confirmation().require("Delete " + candidates[0] + " completed/ignored event(s) finished before "
                    + cutoff + "?");
            try (Progress progress = root.progress("deleting")) {
                while (true) {
                    int n = store.purge(cutoff, batchSize);
                    deleted += n;
                    progress.update(deleted, "events deleted");
                    if (n < batchSize) {
                        break;
                    }
                }
            }
        }
        if (json()) {
            Map<String, @Nullable Object> o = JsonOut.object();
            o.put("finished_before", JsonOut.time(cutoff));
            o.put("dry_run", dryRun);
            o.put("candidates", candidates[0]);
            o.put("deleted", deleted);
            JsonOut.print(out(), o);
        } else if (dryRun) {
            out().println("dry run: " + candidates[0] + " completed/ignored event(s) finished before " + TimeArgs.show(cutoff)
                    + " would be deleted; nothing was deleted");
        } else {
            out().println("deleted " + deleted + " completed/ignored event(s) finished before " + TimeArgs.show(cutoff)
                    + " (failed, dead, queued and skipped events are kept)");
        }
        return ExitCode.OK;
    }
}
