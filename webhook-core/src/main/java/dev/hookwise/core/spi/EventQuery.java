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
 */
public record EventQuery(
        Set<EventStatus> statuses,
        @Nullable String type,
        @Nullable String typePrefix,
        @Nullable Instant createdFrom,
        @Nullable Instant createdTo,
        @Nullable String errorContains,
        int limit,
        int offset) {

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
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same criteria with another page. */
    public EventQuery withPage(int newLimit, int newOffset) {
        return new EventQuery(statuses, type, typePrefix, createdFrom, createdTo, errorContains, newLimit, newOffset);
    }

    /** Whether a record satisfies this query (for in-memory stores and tests). */
    public boolean matches(EventRecord r) {
        return (statuses.isEmpty() || statuses.contains(r.status()))
                && (type == null || type.equals(r.type()))
                && (typePrefix == null || r.type().startsWith(typePrefix))
                && (createdFrom == null || !r.created().isBefore(createdFrom))
                && (createdTo == null || r.created().isBefore(createdTo))
                && (errorContains == null || (r.lastError() != null && r.lastError().contains(errorContains)));
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

        public EventQuery build() {
            return new EventQuery(statuses, type, typePrefix, createdFrom, createdTo, errorContains, limit, offset);
        }
    }
}
