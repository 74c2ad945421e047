package dev.hookwise.cli;

import org.junit.jupiter.api.extension.RegisterExtension;

class H2CliCommandsTest extends CliCommandsTestBase {
    @RegisterExtension
    static final CliDatabase DB = new CliDatabase(TestDatabase.H2);

    @Override
    protected CliDatabase db() {
        return DB;
    }
}
