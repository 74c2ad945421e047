package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class H2FlywayMigratedStoresTest extends FlywayMigratedStoresTestBase {

    @RegisterExtension
    static final FlywayDatabase DB = new FlywayDatabase(TestDatabase.H2);

    @Override
    protected FlywayDatabase db() {
        return DB;
    }
}
