package dev.hookwise.spring.tx;

import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbTransactionalJpaHandlersTest extends TransactionalJpaHandlersTestBase {
    @RegisterExtension
    static final TestDatabase DB = TestDatabase.mariadb();

    @Override
    TestDatabase db() {
        return DB;
    }
}
