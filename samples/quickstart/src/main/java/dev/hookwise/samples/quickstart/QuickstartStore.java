package dev.hookwise.samples.quickstart;

import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.sql.Connection;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The store the quickstart records into: the JDBC event log on an embedded H2 database, so the
 * demo needs no server. Point {@code JdbcIdempotencyStore} at PostgreSQL or MariaDB the same way.
 */
record QuickstartStore(IdempotencyStore store, String description, AutoCloseable closer) implements AutoCloseable {

    static QuickstartStore open() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:hookwise-quickstart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        // Hold one connection so the in-memory database lives exactly as long as the demo.
        Connection keepAlive = h2.getConnection();
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(h2).createSchema(true).build();
        return new QuickstartStore(store, "JDBC event log on embedded H2, table " + store.tableName(), keepAlive::close);
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
