package dev.hookwise.core.internal;

import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.IdempotencyStore;
import java.util.List;
import java.util.function.Consumer;

/** Reads every row matching a query, page by page, for the reports and checks built on {@code search}. */
public final class EventLogPages {
    public static final int PAGE = 1000;

    private EventLogPages() {}

    /**
     * Calls {@code action} for each row matching {@code query} (its limit and offset are replaced),
     * in the store's order, reading at most {@code max} rows.
     *
     * @return whether rows beyond {@code max} remained unread
     */
    public static boolean forEach(IdempotencyStore store, EventQuery query, long max, Consumer<EventRecord> action) {
        long read = 0;
        int offset = 0;
        while (read < max) {
            int limit = (int) Math.min(PAGE, max - read);
            List<EventRecord> rows = store.search(query.withPage(limit, offset));
            rows.forEach(action);
            read += rows.size();
            offset += rows.size();
            if (rows.size() < limit) {
                return false;
            }
        }
        return !store.search(query.withPage(1, offset)).isEmpty();
    }
}
