package dev.hookwise.jdbc.multi;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.core.WebhookHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A handler whose effect is a row keyed by event id: a second effect for the same event hits the
 * unique key, is counted, and fails the delivery, so the test sees any double processing.
 */
public final class EffectRecorder implements WebhookHandler {

    private final DataSource dataSource;
    private final String table;
    private final String instance;
    final AtomicInteger invocations = new AtomicInteger();
    final AtomicInteger duplicateEffects = new AtomicInteger();

    public EffectRecorder(DataSource dataSource, String table, String instance) {
        this.dataSource = dataSource;
        this.table = table;
        this.instance = instance;
    }

    /** Creates the effects table: one row per effect, event id unique. */
    public static void createTable(DataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (event_id VARCHAR(255) NOT NULL PRIMARY KEY,"
                    + " instance VARCHAR(32) NOT NULL)");
        }
    }

    @Override
    public void handle(EventContext context) throws Exception {
        invocations.incrementAndGet();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (event_id, instance) VALUES (?, ?)")) {
            ps.setString(1, context.eventId());
            ps.setString(2, instance);
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState()) || e.getErrorCode() == 1062) {
                duplicateEffects.incrementAndGet();
                throw new PermanentWebhookFailure("effect of " + context.eventId() + " applied twice");
            }
            throw e;
        }
    }

    public int invocations() {
        return invocations.get();
    }

    public int duplicateEffects() {
        return duplicateEffects.get();
    }
}
