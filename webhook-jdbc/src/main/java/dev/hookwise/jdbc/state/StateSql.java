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
        this.insertEntity = "INSERT INTO %s (%s) VALUES (?, ?, ?, NULL, 0, NULL, NULL, ?, ?)"
                .formatted(entityTable, ENTITY_COLUMNS);
        this.selectEntity = "SELECT %s FROM %s WHERE entity_type = ? AND id = ?".formatted(ENTITY_COLUMNS, entityTable);
        this.selectEntityForUpdate = selectEntity + " FOR UPDATE";
        this.selectAfterApply = "SELECT previous_state, version FROM %s WHERE entity_type = ? AND id = ?"
                .formatted(entityTable);
        // Only when the row is locked (SELECT … FOR UPDATE) and in the target state; see JdbcStateStore.
        this.confirmLastEvent = """
                UPDATE %s SET last_event_id = ?, last_event_created = ?
                WHERE entity_type = ? AND id = ?""".formatted(entityTable);
        this.insertHistory = """
                INSERT INTO %s (entity_type, entity_id, from_state, to_state, result, event_id, event_created, source,
                  recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""".formatted(historyTable);
        this.selectHistory = """
                SELECT seq, from_state, to_state, result, event_id, event_created, source, recorded_at FROM %s
                WHERE entity_type = ? AND entity_id = ? ORDER BY seq""".formatted(historyTable);
        this.purgeHistory = "DELETE FROM %s WHERE recorded_at < ?".formatted(historyTable);
    }

    /**
     * The transition: one conditional UPDATE that decides it. {@code previous_state = state} comes
     * first because MySQL evaluates single-table assignments left to right (PostgreSQL and H2 read
     * the old row anyway).
     */
    String transition(int sources) {
        return """
                UPDATE %s SET previous_state = state, state = ?, last_event_created = ?, last_event_id = ?,
                  version = version + 1, updated_at = ?
                WHERE entity_type = ? AND id = ? AND state IN (%s)
                  AND (last_event_created IS NULL OR last_event_created <= ?)""".formatted(entityTable, placeholders(sources));
    }

    String stuck(int states) {
        return """
                SELECT %s FROM %s WHERE entity_type = ? AND state IN (%s) AND updated_at < ?
                ORDER BY updated_at, id LIMIT ?""".formatted(ENTITY_COLUMNS, entityTable, placeholders(states));
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
