package dev.hookwise.core.internal;

import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.IdempotencyStore;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Reads every row matching a query, page by page, for the reports and checks built on {@code search}. */
public final class EventLogPages {
    public static final int PAGE = 1000;

    private EventLogPages() {}

    /**
     * Calls {@code action} for each row matching {@code query} (its limit, offset and cursor are
     * replaced), in the store's order, reading at most {@code max} rows.
     *
     * <p>Pages by keyset ({@link EventQuery#withPageAfter}), so a report over a million rows costs
     * each page the same. A custom store that ignores the cursor (written before 0.2.0) is noticed by
     * its answer starting at or before the cursor, and is then paged by offset instead.
     *
     * @return whether rows beyond {@code max} remained unread
     */
    public static boolean forEach(IdempotencyStore store, EventQuery query, long max, Consumer<EventRecord> action) {
        long read = 0;
        boolean keyset = true;
        EventRecord last = null;
        while (read < max) {
            int limit = (int) Math.min(PAGE, max - read);
            List<EventRecord> rows = page(store, query, limit, read, keyset ? last : null);
            if (keyset && last != null && !rows.isEmpty() && !query.withPageAfter(1, last).isAfterCursor(rows.get(0))) {
                keyset = false;
                rows = page(store, query, limit, read, null);
            }
            rows.forEach(action);
            read += rows.size();
            if (rows.size() < limit) {
                return false;
            }
            last = rows.get(rows.size() - 1);
        }
        return !page(store, query, 1, read, keyset ? last : null).isEmpty();
    }

    /** The page after {@code last} when given, else the page at {@code offset}. */
    private static List<EventRecord> page(IdempotencyStore store, EventQuery query, int limit, long offset,
            @Nullable EventRecord last) {
        return last != null ? store.search(query.withPageAfter(limit, last))
                : store.search(query.withPage(limit, Math.toIntExact(offset)));
    }
}
