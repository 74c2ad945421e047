package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class H2GroupCommitTest extends GroupCommitTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.H2);

    @Override
    protected DatabaseFixture db() {
        return DB;
    }
}
