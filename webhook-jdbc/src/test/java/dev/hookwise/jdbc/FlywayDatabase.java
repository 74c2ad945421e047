package dev.hookwise.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database of its own, migrated by Flyway from the schema files Hookwise ships
 * ({@code classpath:dev/hookwise/jdbc/schema/<dialect>}), for one test class. The files name the
 * default tables ({@code hookwise_…}), so the class is isolated by a namespace instead of a table
 * prefix: a PostgreSQL schema, a MariaDB database, an H2 in-memory database, each with a random name
 * and dropped when the class ends. Unreachable servers skip or fail as in {@link DatabaseFixture}.
 */
final class FlywayDatabase extends ServerFixture {

    /** The schema, database or H2 database name, e.g. {@code fw1a2b3c4d5e}. */
    final String name = "fw" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private HikariDataSource dataSource;
    private MigrateResult firstMigration;
    private boolean namespaceCreated;

    FlywayDatabase(TestDatabase database) {
        super(database);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (isNested(context)) {
            return; // the @Nested contract classes share the top-level class's database
        }
        Connection admin = connectOrSkip(database.url(name));
        if (admin == null) {
            return;
        }
        try (admin; Statement s = admin.createStatement()) {
            switch (database) {
                case POSTGRESQL -> s.execute("CREATE SCHEMA " + name);
                case MARIADB -> s.execute("CREATE DATABASE " + name);
                case H2 -> { } // the URL names a fresh in-memory database
            }
            namespaceCreated = true;
        }
        dataSource = openPool(namespacedUrl(), "flyway", 16, true, null);
        firstMigration = flyway().migrate();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (isNested(context)) {
            return;
        }
        if (dataSource != null) {
            dataSource.close();
        }
        if (!namespaceCreated) {
            return;
        }
        try (Connection c = DriverManager.getConnection(database.url(name), database.user, database.password);
                Statement s = c.createStatement()) {
            switch (database) {
                case POSTGRESQL -> s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
                case MARIADB -> s.execute("DROP DATABASE IF EXISTS " + name);
                case H2 -> s.execute("SHUTDOWN"); // DB_CLOSE_DELAY=-1 keeps it until told
            }
        }
    }

    /** Whether the callback is for a {@code @Nested} class rather than the top-level one that owns the database. */
    private static boolean isNested(ExtensionContext context) {
        return context.getRequiredTestClass().isMemberClass();
    }

    /** Flyway on this class's namespace and the shipped schema files of its dialect. */
    Flyway flyway() {
        var configuration = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + schemaFolder(database.dialect));
        if (database == TestDatabase.POSTGRESQL) {
            configuration.schemas(name);
        }
        return configuration.load();
    }

    /** The classpath folder of a dialect's schema files, as {@link JdbcDialect#schemaResource()} names it. */
    static String schemaFolder(JdbcDialect dialect) {
        String resource = dialect.schemaResource();
        return resource.substring(0, resource.lastIndexOf('/'));
    }

    /** What the migration before the class's first test did. */
    MigrateResult firstMigration() {
        return firstMigration;
    }

    /** A pool whose connections see this class's namespace as their default one. */
    HikariDataSource dataSource() {
        return dataSource;
    }

    private String namespacedUrl() {
        return switch (database) {
            case POSTGRESQL -> database.url(name) + "&currentSchema=" + name;
            case MARIADB -> database.url(name).replace("/test?", "/" + name + "?");
            case H2 -> database.url(name);
        };
    }
}
