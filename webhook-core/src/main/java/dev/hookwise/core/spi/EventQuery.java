package dev.hookwise.core.spi;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A filter over the event log, for replay, reports and dashboards. Build with {@link #builder()};
 * every criterion left unset matches everything. Results are ordered by {@code created}, then id.
 *
 * <pre>{@code
 * EventQuery failedInvoices = EventQuery.builder()
 *         .statuses(EventStatus.FAILED, EventStatus.DEAD)
 *         .typePrefix("invoice.")
 *         .limit(100)
 *         .build();
 * }</pre>
 *
 * @param statuses statuses to match; empty matches all
 * @param type exact event type, or null
 * @param typePrefix type prefix such as {@code invoice.}, or null
 * @param createdFrom inclusive lower bound on {@code created}, or null
 * @param createdTo exclusive upper bound on {@code created}, or null
 * @param errorContains substring of the last error, or null
 * @param limit maximum rows returned, 1 to 10,000
 * @param offset rows to skip, for paging
 * @param afterCreated with {@code afterId}, a keyset cursor: only rows after ({@code created},
 *     {@code id}) = ({@code afterCreated}, {@code afterId}) in the result order; or null
 * @param afterId the cursor's event id, set exactly when {@code afterCreated} is
 */
public record EventQuery(
        Set<EventStatus> statuses,
        @Nullable String type,
        @Nullable String typePrefix,
        @Nullable Instant createdFrom,
        @Nullable Instant createdTo,
        @Nullable String errorContains,
        int limit,
        int offset,
        @Nullable Instant afterCreated,
        @Nullable String afterId) {

    /** The largest page a store must serve. */
    public static final int MAX_LIMIT = 10_000;

    public EventQuery {
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", but was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, but was " + offset);
        }
        if ((afterCreated == null) != (afterId == null)) {
            throw new IllegalArgumentException("afterCreated and afterId go together, but only one was given");
        }
    }

    /**
     * A query without a keyset cursor (the components before 0.2.0).
     *
     * @param statuses statuses to match; empty matches all
     * @param type exact event type, or null
     * @param typePrefix type prefix, or null
     * @param createdFrom inclusive lower bound on {@code created}, or null
     * @param createdTo exclusive upper bound on {@code created}, or null
     * @param errorContains substring of the last error, or null
     * @param limit maximum rows returned, 1 to 10,000
     * @param offset rows to skip
     */
    public EventQuery(Set<EventStatus> statuses, @Nullable String type, @Nullable String typePrefix,
            @Nullable Instant createdFrom, @Nullable Instant createdTo, @Nullable String errorContains, int limit,
            int offset) {
        this(statuses, type, typePrefix, createdFrom, createdTo, errorContains, limit, offset, null, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same criteria and cursor with another page. */
    public EventQuery withPage(int newLimit, int newOffset) {
        return new EventQuery(statuses, type, typePrefix, createdFrom, createdTo, errorContains, newLimit, newOffset,
                afterCreated, afterId);
    }

    /**
     * The same criteria, the page of at most {@code newLimit} rows that follows {@code last} in the
     * result order ({@code created}, then id): keyset paging, which costs a store the same on the
     * thousandth page as on the first, where an offset makes it read and skip every earlier row.
     *
     * @param newLimit maximum rows returned
     * @param last the last row of the previous page
     * @return the next page's query, with offset 0
     * @since 0.2.0
     */
    public EventQuery withPageAfter(int newLimit, EventRecord last) {
        return new EventQuery(statuses, type, typePrefix, createdFrom, createdTo, errorContains, newLimit, 0,
                last.created(), last.id());
    }

    /**
     * Whether {@code r} comes after this query's keyset cursor in the result order (true when there is
     * no cursor). Stores that page in memory use it through {@link #matches}; paging code uses it to
     * notice a store that ignores the cursor.
     *
     * @param r a row
     * @return whether {@code r} lies beyond the cursor
     * @since 0.2.0
     */
    public boolean isAfterCursor(EventRecord r) {
        Instant created = afterCreated;
        String id = afterId;
        if (created == null || id == null) {
            return true;
        }
        int c = r.created().compareTo(created);
        return c > 0 || (c == 0 && r.id().compareTo(id) > 0);
    }

    /** Whether a record satisfies this query (for in-memory stores and tests). */
    public boolean matches(EventRecord r) {
        return (statuses.isEmpty() || statuses.contains(r.status()))
                && (type == null || type.equals(r.type()))
                && (typePrefix == null || r.type().startsWith(typePrefix))
                && (createdFrom == null || !r.created().isBefore(createdFrom))
                && (createdTo == null || r.created().isBefore(createdTo))
                && (errorContains == null || (r.lastError() != null && r.lastError().contains(errorContains)))
                && isAfterCursor(r);
    }

    /** Builder for {@link EventQuery}. */
    public static final class Builder {
        private Set<EventStatus> statuses = Set.of();
        private @Nullable String type;
        private @Nullable String typePrefix;
        private @Nullable Instant createdFrom;
        private @Nullable Instant createdTo;
        private @Nullable String errorContains;
        private int limit = 100;
        private int offset;
        private @Nullable Instant afterCreated;
        private @Nullable String afterId;

        private Builder() {}

        public Builder statuses(EventStatus... values) {
            this.statuses = Set.of(values);
            return this;
        }

        public Builder statuses(Set<EventStatus> values) {
            this.statuses = Set.copyOf(values);
            return this;
        }

        public Builder type(String value) {
            this.type = Objects.requireNonNull(value, "type");
            return this;
        }

        public Builder typePrefix(String value) {
            this.typePrefix = Objects.requireNonNull(value, "typePrefix");
            return this;
        }

        public Builder createdFrom(Instant value) {
            this.createdFrom = value;
            return this;
        }

        public Builder createdTo(Instant value) {
            this.createdTo = value;
            return this;
        }

        public Builder errorContains(String value) {
            this.errorContains = value;
            return this;
        }

        public Builder limit(int value) {
            this.limit = value;
            return this;
        }

        public Builder offset(int value) {
            this.offset = value;
            return this;
        }

        /**
         * Only rows after ({@code created}, {@code id}) in the result order: keyset paging, see
         * {@link EventQuery#withPageAfter}.
         *
         * @param created the cursor row's {@code created}
         * @param id the cursor row's event id
         * @return this builder
         * @since 0.2.0
         */
        public Builder after(Instant created, String id) {
            this.afterCreated = Objects.requireNonNull(created, "created");
            this.afterId = Objects.requireNonNull(id, "id");
            return this;
        }

        public EventQuery build() {
            return new EventQuery(statuses, type, typePrefix, createdFrom, createdTo, errorContains, limit, offset,
                    afterCreated, afterId);
        }
    }
}
