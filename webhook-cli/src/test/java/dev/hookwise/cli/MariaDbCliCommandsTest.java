package dev.hookwise.cli;

import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbCliCommandsTest extends CliCommandsTestBase {
    @RegisterExtension
    static final CliDatabase DB = new CliDatabase(TestDatabase.MARIADB);

    @Override
    protected CliDatabase db() {
        return DB;
    }
}
