package dev.hookwise.cli.internal;

import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.IdempotencyStore;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Reads every row of the event log matching a query, a page at a time, showing progress. */
public final class Pages {
    public static final int PAGE = 1000;

    private Pages() {}

    /**
     * Calls {@code action} for each matching row, at most {@code max} rows, paging by keyset
     * ({@link EventQuery#withPageAfter}) so that every page costs the store the same; a store that
     * ignores the cursor is noticed and paged by offset instead.
     *
     * @return whether more rows matched than were read
     */
    public static boolean forEach(IdempotencyStore store, EventQuery query, long max, Progress progress,
            Consumer<EventRecord> action) {
        long read = 0;
        EventRecord cursor = null;
        while (read < max) {
            int limit = (int) Math.min(PAGE, max - read);
            List<EventRecord> rows = store.search(next(query, limit, read, cursor));
            if (cursor != null && !rows.isEmpty() && !query.withPageAfter(1, cursor).isAfterCursor(rows.get(0))) {
                cursor = null; // the store ignores the cursor: offsets from here on
                rows = store.search(next(query, limit, read, null));
            }
            rows.forEach(action);
            read += rows.size();
            progress.update(read, "events read");
            if (rows.size() < limit) {
                return false;
            }
            cursor = read == rows.size() || cursor != null ? rows.get(rows.size() - 1) : null;
        }
        return !store.search(next(query, 1, read, cursor)).isEmpty();
    }

    private static EventQuery next(EventQuery query, int limit, long read, @Nullable EventRecord cursor) {
        return cursor != null ? query.withPageAfter(limit, cursor) : query.withPage(limit, Math.toIntExact(read));
    }
}
