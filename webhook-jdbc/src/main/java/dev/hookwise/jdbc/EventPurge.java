package dev.hookwise.jdbc;

import dev.hookwise.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Retention's deletes: at most {@code limit} finished rows per call, along the {@code (created,
 * id)} index.
 */
final class EventPurge {
    private final EventLog events;

    EventPurge(EventLog events) {
        this.events = events;
    }

    int purge(Instant finishedBefore, int limit) {
        Objects.requireNonNull(finishedBefore, "finishedBefore");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, but was " + limit);
        }
        if (limit == 0) {
            return 0;
        }
        return events.jdbc().run("purging events finished before " + finishedBefore, c -> {
            if (events.sql().purge != null) {
                try (PreparedStatement ps = c.prepareStatement(events.sql().purge)) {
                    events.sql().dialect.setInstant(ps, 1, finishedBefore);
                    events.sql().dialect.setInstant(ps, 2, finishedBefore);
                    ps.setInt(3, limit);
                    return ps.executeUpdate();
                }
            }
            return purgeBySelectedIds(c, finishedBefore, limit);
        });
    }

    private int purgeBySelectedIds(Connection c, Instant finishedBefore, int limit) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(events.sql().purgeCandidates)) {
            events.sql().dialect.setInstant(ps, 1, finishedBefore);
            events.sql().dialect.setInstant(ps, 2, finishedBefore);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        int deleted = 0;
        for (int from = 0; from < ids.size(); from += EventLog.IN_LIST_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + EventLog.IN_LIST_CHUNK));
            String delete = events.sql().purgeIdsPrefix + EventLogSql.markers(chunk.size()) + ") AND " + EventLogSql.PURGEABLE;
            try (PreparedStatement ps = c.prepareStatement(delete)) {
                int i = 1;
                for (String id : chunk) {
                    ps.setString(i++, id);
                }
                events.sql().dialect.setInstant(ps, i, finishedBefore);
                events.sql().dialect.setInstant(ps, i + 1, finishedBefore);
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }
}
