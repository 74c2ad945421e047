package dev.hookwise.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.core.HookwiseConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * A connection pool for applications that have no {@link javax.sql.DataSource} of their own.
 * Needs {@code com.zaxxer:HikariCP} on the classpath (an optional dependency of this module);
 * Spring Boot applications use the pool Boot already configures instead.
 *
 * <pre>{@code
 * try (HikariDataSource pool = HikariDataSources.create("jdbc:postgresql://db/app", "app", password)) {
 *     IdempotencyStore store = JdbcIdempotencyStore.builder(pool).build();
 *     …
 * }
 * }</pre>
 *
 * <p>The pool starts even while the database is down (connections are made on demand), so that
 * the webhook endpoint answers 503 and Stripe redelivers, instead of the application failing to start.
 */
public final class HikariDataSources {

    /** Pool size when none is given: enough for a busy endpoint, small for the database. */
    public static final int DEFAULT_MAX_POOL_SIZE = 10;
    /** The pool's name in Hikari's logs and metrics. */
    public static final String POOL_NAME = "hookwise";

    private HikariDataSources() {}

    /** A pool of {@value #DEFAULT_MAX_POOL_SIZE} connections. */
    public static HikariDataSource create(String jdbcUrl, @Nullable String username, @Nullable String password) {
        return create(jdbcUrl, username, password, DEFAULT_MAX_POOL_SIZE);
    }

    /**
     * A pool of at most {@code maxPoolSize} connections to {@code jdbcUrl}; close it when the
     * application stops. The JDBC driver is found from the URL.
     */
    public static HikariDataSource create(String jdbcUrl, @Nullable String username, @Nullable String password,
            int maxPoolSize) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            // The URL may hold a password: name only its scheme.
            throw new HookwiseConfigurationException("jdbcUrl must start with 'jdbc:', e.g."
                    + " jdbc:postgresql://host:5432/db; got a value starting with '"
                    + (jdbcUrl == null ? "null" : jdbcUrl.substring(0, Math.min(5, jdbcUrl.length()))) + "'");
        }
        if (maxPoolSize < 1) {
            throw new HookwiseConfigurationException("maxPoolSize must be >= 1, but was " + maxPoolSize);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(Math.min(2, maxPoolSize));
        config.setAutoCommit(true);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
