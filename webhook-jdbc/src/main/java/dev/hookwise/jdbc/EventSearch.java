package dev.hookwise.jdbc;

import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.jdbc.internal.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads: one event by id, and searches built from an {@code EventQuery}.
 */
final class EventSearch {
    private final EventLog events;

    EventSearch(EventLog events) {
        this.events = events;
    }

    Optional<EventRecord> find(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return events.jdbc().run("reading " + eventId, c -> {
            try (PreparedStatement ps = c.prepareStatement(events.sql().find)) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(events.rows().read(rs)) : Optional.empty();
                }
            }
        });
    }

    List<EventRecord> search(EventQuery query) {
        Objects.requireNonNull(query, "query");
        List<String> conditions = new ArrayList<>();
        List<Binder> params = new ArrayList<>();
        if (!query.statuses().isEmpty()) {
            conditions.add("status IN (" + String.join(", ", query.statuses().stream().map(s -> "?").toList()) + ")");
            query.statuses().stream().sorted().forEach(s -> params.add((ps, i) -> ps.setString(i, s.name())));
        }
        if (query.type() != null) {
            conditions.add("type = ?");
            params.add((ps, i) -> ps.setString(i, query.type()));
        }
        String typePrefix = query.typePrefix();
        if (typePrefix != null) {
            conditions.add("type LIKE ? ESCAPE '!'");
            params.add((ps, i) -> ps.setString(i, escapeLike(typePrefix) + "%"));
        }
        if (query.createdFrom() != null) {
            conditions.add("created >= ?");
            params.add((ps, i) -> events.sql().dialect.setInstant(ps, i, query.createdFrom()));
        }
        if (query.createdTo() != null) {
            conditions.add("created < ?");
            params.add((ps, i) -> events.sql().dialect.setInstant(ps, i, query.createdTo()));
        }
        Instant afterCreated = query.afterCreated();
        String afterId = query.afterId();
        if (afterCreated != null && afterId != null) {
            // Keyset: the range on created keeps the scan on the (created, id) index.
            conditions.add("created >= ? AND (created > ? OR id > ?)");
            params.add((ps, i) -> events.sql().dialect.setInstant(ps, i, afterCreated));
            params.add((ps, i) -> events.sql().dialect.setInstant(ps, i, afterCreated));
            params.add((ps, i) -> ps.setString(i, afterId));
        }
        String errorContains = query.errorContains();
        if (errorContains != null) {
            conditions.add("last_error LIKE ? ESCAPE '!'");
            params.add((ps, i) -> ps.setString(i, "%" + escapeLike(errorContains) + "%"));
        }
        params.add((ps, i) -> ps.setInt(i, query.limit()));
        params.add((ps, i) -> ps.setInt(i, query.offset()));
        String statement = events.sql().searchPrefix + EventLogSql.searchSuffix(String.join(" AND ", conditions));
        return events.jdbc().run("searching the event log", c -> {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).bind(ps, i + 1);
                }
                List<EventRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(events.rows().read(rs));
                    }
                }
                return out;
            }
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    private static String escapeLike(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
