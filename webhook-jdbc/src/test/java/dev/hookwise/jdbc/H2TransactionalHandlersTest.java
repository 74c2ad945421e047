package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class H2TransactionalHandlersTest extends TransactionalHandlersTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.H2);

    @Override
    protected DatabaseFixture db() {
        return DB;
    }
}
