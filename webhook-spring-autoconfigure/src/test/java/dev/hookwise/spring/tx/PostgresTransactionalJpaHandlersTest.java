package dev.hookwise.spring.tx;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresTransactionalJpaHandlersTest extends TransactionalJpaHandlersTestBase {
    @RegisterExtension
    static final TestDatabase DB = TestDatabase.postgresql();

    @Override
    TestDatabase db() {
        return DB;
    }
}
