package dev.hookwise.jdbc.state;

import java.util.Collections;

/**
 * Every statement of the state store, with the table names formatted in once. The same SQL runs
 * on PostgreSQL, MySQL/MariaDB and H2.
 */
final class StateSql {

    private static final String ENTITY_COLUMNS =
            "entity_type, id, state, previous_state, version, last_event_id, last_event_created, created_at, updated_at";

    final String entityTable;
    final String historyTable;
    final String insertEntity;
    final String selectEntity;
    final String selectEntityForUpdate;
    final String selectAfterApply;
    final String confirmLastEvent;
    final String insertHistory;
    final String selectHistory;
    final String purgeHistory;

    StateSql(String prefix) {
        this.entityTable = prefix + "entity_state";
        this.historyTable = prefix + "state_history";
        this.insertEntity = "INSERT INTO " + entityTable + " (" + ENTITY_COLUMNS + ") VALUES (?, ?, ?, NULL, 0, NULL, NULL, ?, ?)";
        this.selectEntity = "SELECT " + ENTITY_COLUMNS + " FROM " + entityTable + " WHERE entity_type = ? AND id = ?";
        this.selectEntityForUpdate = selectEntity + " FOR UPDATE";
        this.selectAfterApply = "SELECT previous_state, version FROM " + entityTable + " WHERE entity_type = ? AND id = ?";
        // Only when the row is locked (SELECT … FOR UPDATE) and in the target state; see JdbcStateStore.
        this.confirmLastEvent = "UPDATE " + entityTable + " SET last_event_id = ?, last_event_created = ?"
                + " WHERE entity_type = ? AND id = ?";
        this.insertHistory = "INSERT INTO " + historyTable + " (entity_type, entity_id, from_state, to_state, result,"
                + " event_id, event_created, source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.selectHistory = "SELECT seq, from_state, to_state, result, event_id, event_created, source, recorded_at FROM "
                + historyTable + " WHERE entity_type = ? AND entity_id = ? ORDER BY seq";
        this.purgeHistory = "DELETE FROM " + historyTable + " WHERE recorded_at < ?";
    }

    /**
     * The transition: one conditional UPDATE that decides it. {@code previous_state = state} comes
     * first because MySQL evaluates single-table assignments left to right (PostgreSQL and H2 read
     * the old row anyway).
     */
    String transition(int sources) {
        return "UPDATE " + entityTable + " SET previous_state = state, state = ?, last_event_created = ?,"
                + " last_event_id = ?, version = version + 1, updated_at = ?"
                + " WHERE entity_type = ? AND id = ? AND state IN (" + placeholders(sources) + ")"
                + " AND (last_event_created IS NULL OR last_event_created <= ?)";
    }

    String stuck(int states) {
        return "SELECT " + ENTITY_COLUMNS + " FROM " + entityTable + " WHERE entity_type = ? AND state IN ("
                + placeholders(states) + ") AND updated_at < ? ORDER BY updated_at, id LIMIT ?";
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
