package dev.hookwise.cli;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresCliCommandsTest extends CliCommandsTestBase {
    @RegisterExtension
    static final CliDatabase DB = new CliDatabase(TestDatabase.POSTGRESQL);

    @Override
    protected CliDatabase db() {
        return DB;
    }
}
