package dev.hookwise.spring.tx;

import org.junit.jupiter.api.extension.RegisterExtension;

class H2TransactionalJpaHandlersTest extends TransactionalJpaHandlersTestBase {
    @RegisterExtension
    static final TestDatabase DB = TestDatabase.h2();

    @Override
    TestDatabase db() {
        return DB;
    }
}
