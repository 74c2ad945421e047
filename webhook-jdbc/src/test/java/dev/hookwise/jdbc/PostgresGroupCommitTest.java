package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresGroupCommitTest extends GroupCommitTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.POSTGRESQL);

    @Override
    protected DatabaseFixture db() {
        return DB;
    }
}
