package dev.hookwise.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbStatementTimeoutTest extends StatementTimeoutTestBase {

    @RegisterExtension
    static final DatabaseFixture DB = new DatabaseFixture(TestDatabase.MARIADB);

    @Override
    protected DatabaseFixture db() {
        return DB;
    }

    /** InnoDB's own lock wait timeout (50 s by default) raised, so that only the statement timeout can end a wait. */
    @Override
    protected HikariDataSource storePool() {
        return DB.pool(4, true, "SET SESSION innodb_lock_wait_timeout = 120");
    }
}
