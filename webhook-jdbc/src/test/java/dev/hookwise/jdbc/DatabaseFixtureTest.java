package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** What the database tests do when a server is down: fail under CI, skip elsewhere, naming it. */
class DatabaseFixtureTest {

    private final SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");

    @Test
    void unreachableServerFailsTheTestsUnderCi() {
        assertThatThrownBy(() -> DatabaseFixture.unreachable(TestDatabase.POSTGRESQL.description, refused, true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("PostgreSQL at 127.0.0.1:5432")
                .hasMessageContaining("CI=true");
    }

    @Test
    void unreachableServerSkipsTheTestsOutsideCi() {
        assertThatThrownBy(() -> DatabaseFixture.unreachable(TestDatabase.MARIADB.description, refused, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("MariaDB at 127.0.0.1:3306")
                .hasMessageContaining("skipped");
    }
}
