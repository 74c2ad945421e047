package dev.hookwise.cli.internal;

import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.IdempotencyStore;
import java.util.List;
import java.util.function.Consumer;

/** Reads every row of the event log matching a query, a page at a time, showing progress. */
public final class Pages {
    public static final int PAGE = 1000;

    private Pages() {}

    /**
     * Calls {@code action} for each matching row, at most {@code max} rows.
     *
     * @return whether more rows matched than were read
     */
    public static boolean forEach(IdempotencyStore store, EventQuery query, long max, Progress progress,
            Consumer<EventRecord> action) {
        long read = 0;
        while (read < max) {
            int limit = (int) Math.min(PAGE, max - read);
            List<EventRecord> rows = store.search(query.withPage(limit, (int) read));
            rows.forEach(action);
            read += rows.size();
            progress.update(read, "events read");
            if (rows.size() < limit) {
                return false;
            }
        }
        return !store.search(query.withPage(1, (int) read)).isEmpty();
    }
}
