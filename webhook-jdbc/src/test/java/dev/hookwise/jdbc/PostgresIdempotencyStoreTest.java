package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresIdempotencyStoreTest extends JdbcIdempotencyStoreTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.POSTGRESQL);

    @Override
    protected DatabaseFixture db() {
        return DB;
    }
}
