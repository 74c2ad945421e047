package dev.hookwise.spring.tx;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresTransactionalJdbcHandlersTest extends TransactionalJdbcHandlersTestBase {
    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgresql();

    @Override
    TestDatabase db() {
        return DB;
    }
}
