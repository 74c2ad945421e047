package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class H2IdempotencyStoreTest extends JdbcIdempotencyStoreTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.H2);

    @Override
    protected DatabaseFixture db() {
        return DB;
    }

    @Override
    protected String utcText(String column) {
        return String.format("FORMATDATETIME(%s, 'yyyy-MM-dd HH:mm:ss.SSS', 'en', 'UTC')", column);
    }
}
