package dev.hookwise.jdbc.inbox;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that hands every call to {@code pool}; test doubles extend it and override
 * {@link #borrow} only, which both {@code getConnection} methods go through.
 */
public abstract class DelegatingDataSource extends dev.hookwise.jdbc.internal.DelegatingDataSource {

    protected DelegatingDataSource(DataSource pool) {
        super(pool);
    }

    /** Called before every borrow; throw to refuse it. */
    protected void borrow() throws SQLException {}

    @Override
    public Connection getConnection() throws SQLException {
        borrow();
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        borrow();
        return delegate.getConnection(username, password);
    }
}
