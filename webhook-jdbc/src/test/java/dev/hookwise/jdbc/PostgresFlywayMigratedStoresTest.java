package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresFlywayMigratedStoresTest extends FlywayMigratedStoresTestBase {

    @RegisterExtension
    static final FlywayDatabase DB = new FlywayDatabase(TestDatabase.POSTGRESQL);

    @Override
    protected FlywayDatabase db() {
        return DB;
    }
}
