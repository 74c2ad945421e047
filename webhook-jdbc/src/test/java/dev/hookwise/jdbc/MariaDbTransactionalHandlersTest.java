package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbTransactionalHandlersTest extends TransactionalHandlersTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.MARIADB);

    @Override
    protected DatabaseFixture db() {
        return DB;
    }
}
