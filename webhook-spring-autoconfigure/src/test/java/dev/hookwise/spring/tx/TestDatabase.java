package dev.hookwise.spring.tx;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test class's database, as webhook-jdbc's tests have it: PostgreSQL and MariaDB on this
 * machine's servers ({@code .ci/run} starts them), H2 in memory. The class gets its own table
 * prefix, so runs never collide, and every table it names is dropped when it ends. An unreachable
 * server skips each test of the class, naming the server, except under {@code CI=true}, where the
 * class fails.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabase DB = TestDatabase.postgresql();
 * }</pre>
 */
final class TestDatabase implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    /** The databases. */
    enum Kind {
        POSTGRESQL("PostgreSQL at 127.0.0.1:5432 (user postgres, database test)",
                "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=5", "postgres"),
        MARIADB("MariaDB at 127.0.0.1:3306 (user root, database test)",
                "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=5000", "root"),
        H2("H2 in memory", null, "sa");

        final String description;
        private final String url;
        final String user;

        Kind(String description, String url, String user) {
            this.description = description;
            this.url = url;
            this.user = user;
        }
    }

    final Kind kind;
    private final String name = "hwspring" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final List<String> tables = new ArrayList<>();
    private String skipReason;

    private TestDatabase(Kind kind) {
        this.kind = kind;
    }

    static TestDatabase postgresql() {
        return new TestDatabase(Kind.POSTGRESQL);
    }

    static TestDatabase mariadb() {
        return new TestDatabase(Kind.MARIADB);
    }

    static TestDatabase h2() {
        return new TestDatabase(Kind.H2);
    }

    /** The JDBC URL; for H2 an in-memory database of this class's own. */
    String url() {
        return kind == Kind.H2 ? "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" : kind.url;
    }

    String user() {
        return kind.user;
    }

    String password() {
        return "";
    }

    /** This class's table prefix, e.g. {@code hwspring1a2b3c4d_}. */
    String prefix() {
        return name + "_";
    }

    /** {@code prefix() + suffix}, dropped after the class. */
    String table(String suffix) {
        String table = prefix() + suffix;
        tables.add(table);
        return table;
    }

    /** Spring Boot properties for a DataSource on this database. */
    String[] dataSourceProperties() {
        return new String[] {"spring.datasource.url=" + url(), "spring.datasource.username=" + user(),
                "spring.datasource.password=" + password()};
    }

    /** Whether the database was reachable (tests are skipped otherwise). */
    boolean reachable() {
        return skipReason == null;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try (Connection c = DriverManager.getConnection(url(), user(), password())) {
            c.isValid(5);
        } catch (SQLException e) {
            String message = kind.description + " is unreachable (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; with CI=true the database tests need it: start it (.ci/run does) and run again");
            }
            skipReason = message + "; tests against it are skipped (with CI=true they fail)";
            System.err.println(skipReason);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (skipReason != null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url(), user(), password()); Statement s = c.createStatement()) {
            for (String table : tables) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
            if (kind == Kind.H2) {
                s.execute("SHUTDOWN");
            }
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + " " + prefix();
    }
}
