package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresIdempotencyStoreTest extends JdbcIdempotencyStoreTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.POSTGRESQL);

    @Override
    protected DatabaseFixture db() {
        return DB;
    }

    @Override
    protected String utcText(String column) {
        return String.format("to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')", column);
    }
}
