package dev.hookwise.jdbc.state;

import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.state.EntityState;
import dev.hookwise.core.spi.state.TransitionResult.Status;
import dev.hookwise.core.state.StateNames;
import dev.hookwise.jdbc.internal.InstantColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The state store's rows: an entity row read and locked, a history row written, column values checked. */
record StateRows(StateSql sql, InstantColumn instants) {

    void insertHistory(Connection c, String type, String id, @Nullable String from, Enum<?> to, Status result,
            String eventId, Instant created, EventSource source, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.insertHistory)) {
            ps.setString(1, type);
            ps.setString(2, id);
            ps.setString(3, from);
            ps.setString(4, StateNames.name(to));
            ps.setString(5, result.name());
            ps.setString(6, eventId);
            instants.set(ps, 7, created);
            ps.setString(8, source.name());
            instants.set(ps, 9, now);
            ps.executeUpdate();
        }
    }

    @Nullable Row lockRow(Connection c, String type, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.selectEntityForUpdate)) {
            ps.setString(1, type);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    record Row(String entityType, String id, String state, @Nullable String previousState, long version,
            @Nullable String lastEventId, @Nullable Instant lastEventCreated, Instant createdAt, Instant updatedAt) {

        <S extends Enum<S>> EntityState<S> toState(Class<S> stateType) {
            return new EntityState<>(entityType, id, StateNames.parse(stateType, state),
                    previousState == null ? null : StateNames.parse(stateType, previousState), version, lastEventId,
                    lastEventCreated, createdAt, updatedAt);
        }
    }

    Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("entity_type"), rs.getString("id"), rs.getString("state"),
                rs.getString("previous_state"), rs.getLong("version"), rs.getString("last_event_id"),
                instants.get(rs, "last_event_created"),
                Objects.requireNonNull(instants.get(rs, "created_at")),
                Objects.requireNonNull(instants.get(rs, "updated_at")));
    }

    <E extends Enum<E>> E enumValue(Class<E> type, String value, String column) throws SQLException {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new SQLException("column " + column + " of " + sql.historyTable + " holds '" + value
                    + "', which is not a " + type.getSimpleName(), e);
        }
    }
}
