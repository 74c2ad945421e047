package dev.hookwise.samples.springorders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.ActiveProfiles;

/**
 * The scenarios on PostgreSQL through the {@code postgres} profile (127.0.0.1:5432, user postgres,
 * database test). Without a server the tests are skipped, except under {@code CI=true}, where
 * they fail: CI has the server and must not pass by skipping.
 */
@ActiveProfiles("postgres")
class OrdersOnPostgresTest extends OrdersOverHttpScenarios {

    @BeforeAll
    static void serverIsUp() {
        String problem = null;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=3",
                "postgres", System.getenv().getOrDefault("POSTGRES_PASSWORD", ""))) {
            assertThat(c.isValid(3)).isTrue();
        } catch (SQLException e) {
            problem = "PostgreSQL on 127.0.0.1:5432 is not reachable: " + e.getMessage();
        }
        if ("true".equals(System.getenv("CI"))) {
            assertThat(problem).as("CI=true needs PostgreSQL").isNull();
        }
        assumeTrue(problem == null, problem);
    }
}
