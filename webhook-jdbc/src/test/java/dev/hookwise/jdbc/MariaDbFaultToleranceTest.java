package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbFaultToleranceTest extends JdbcFaultToleranceTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.MARIADB);

    @Override
    protected DatabaseFixture db() {
        return DB;
    }
}
