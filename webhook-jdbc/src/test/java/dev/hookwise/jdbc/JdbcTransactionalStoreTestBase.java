package dev.hookwise.jdbc;

import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.TransactionalStore;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.contract.TransactionalStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The testkit's transactional-store contract on one database per subclass: effects are rows of a
 * table with no unique key, written through the transaction's {@code Connection}. Each test empties
 * the class's event log and gets an effects table of its own.
 */
abstract class JdbcTransactionalStoreTestBase extends TransactionalStoreContract {

    private String effects;

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Override
    protected TransactionalStore createStore(MutableClock clock) {
        effects = db().table("fx_contract_" + run.toLowerCase(Locale.ROOT));
        try {
            TransactionalHandlersTestBase.createEffectsTable(db().dataSource(), effects);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the effects table", e);
        }
        return db().emptiedEventLog(clock);
    }

    @Override
    protected void write(StoreTransaction transaction, String eventId) throws SQLException {
        TransactionalHandlersTestBase.insert(transaction.unwrap(Connection.class), effects, eventId, "contract");
    }

    @Override
    protected int committedEffects(String eventId) throws SQLException {
        try (Connection c = db().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + effects + " WHERE event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
