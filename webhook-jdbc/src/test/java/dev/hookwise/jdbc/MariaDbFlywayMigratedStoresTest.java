package dev.hookwise.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbFlywayMigratedStoresTest extends FlywayMigratedStoresTestBase {

    @RegisterExtension
    static final FlywayDatabase DB = new FlywayDatabase(TestDatabase.MARIADB);

    @Override
    protected FlywayDatabase db() {
        return DB;
    }
}
