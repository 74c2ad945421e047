package dev.hookwise.core.recovery;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a run of {@link EventRecovery} found and did.
 *
 * @param since start of the window listed (event creation time)
 * @param dryRun whether the run only reported
 * @param listed events Stripe listed in the window
 * @param alreadyKnown events the log already had (in any final or pending status)
 * @param recovered missing events processed now (or, in a dry run, that would be)
 * @param failed missing events whose processing failed, or that could not be read
 * @param items one line per missing or failed event
 * @param error why the run stopped early (a refused API key, an unreadable page), else null
 */
public record RecoveryReport(Instant since, boolean dryRun, int listed, int alreadyKnown, int recovered, int failed,
        List<Item> items, @Nullable String error) {

    public RecoveryReport {
        items = List.copyOf(items);
    }

    /** One missing or failed event. */
    public record Item(String eventId, @Nullable String type, String result) {}

    /** Whether the run went through the whole window. */
    public boolean complete() {
        return error == null;
    }
}
