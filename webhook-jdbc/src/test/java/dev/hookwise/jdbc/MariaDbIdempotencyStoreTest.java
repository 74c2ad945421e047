package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbIdempotencyStoreTest extends JdbcIdempotencyStoreTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.MARIADB);

    @Override
    protected DatabaseFixture db() {
        return DB;
    }

    @Override
    protected String utcText(String column) {
        return String.format("DATE_FORMAT(%s, '%%Y-%%m-%%d %%H:%%i:%%s.%%f')", column);
    }
}
