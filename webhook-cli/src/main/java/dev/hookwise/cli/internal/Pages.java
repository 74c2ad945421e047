package dev.hookwise.cli.internal;

import dev.hookwise.core.internal.EventLogPages;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.IdempotencyStore;
import java.util.function.Consumer;

/** Reads every row of the event log matching a query, a page at a time, showing progress. */
public final class Pages {
    public static final int PAGE = EventLogPages.PAGE;

    private Pages() {}

    /**
     * Calls {@code action} for each matching row, at most {@code max} rows, through the core's
     * {@link EventLogPages} (keyset paging, offsets for a store that ignores the cursor), showing the
     * count after each page.
     *
     * @return whether more rows matched than were read
     */
    public static boolean forEach(IdempotencyStore store, EventQuery query, long max, Progress progress,
            Consumer<EventRecord> action) {
        long[] read = {0};
        boolean more = EventLogPages.forEach(store, query, max, row -> {
            action.accept(row);
            if (++read[0] % PAGE == 0) {
                progress.update(read[0], "events read");
            }
        });
        progress.update(read[0], "events read");
        return more;
    }
}
