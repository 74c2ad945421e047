package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbGroupCommitTest extends GroupCommitTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.MARIADB);

    @Override
    protected DatabaseFixture db() {
        return DB;
    }
}
