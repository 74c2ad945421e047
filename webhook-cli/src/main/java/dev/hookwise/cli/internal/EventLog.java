package dev.hookwise.cli.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.cli.CliException;
import dev.hookwise.cli.ExitCode;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.jdbc.HikariDataSources;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.jdbc.state.JdbcStateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The connection of one CLI run: a small pool, the event log on it and, when a command needs them,
 * the state tables. The CLI never creates tables: a missing table means a wrong URL or prefix.
 */
public final class EventLog implements AutoCloseable {
    private final HikariDataSource pool;
    private final JdbcIdempotencyStore store;
    private final String tablePrefix;
    private final Clock clock;
    private @Nullable JdbcStateStore states;

    private EventLog(HikariDataSource pool, JdbcIdempotencyStore store, String tablePrefix, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.tablePrefix = tablePrefix;
        this.clock = clock;
    }

    /**
     * Opens the pool and checks the event log table.
     *
     * @throws CliException usage (2) for a bad URL, prefix or a missing table
     * @throws dev.hookwise.core.spi.StoreUnavailableException when the database cannot be reached (3)
     */
    public static EventLog open(String url, @Nullable String user, @Nullable String password, String tablePrefix,
            Clock clock) {
        HikariDataSource pool;
        try {
            pool = HikariDataSources.builder(url).username(user).password(password).maxPoolSize(2)
                    .connectionTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(5)).build();
        } catch (HookwiseConfigurationException e) {
            throw new CliException(ExitCode.USAGE, Objects.requireNonNullElse(e.getMessage(), e.toString()));
        } catch (RuntimeException e) {
            // Hikari refuses a URL no driver on the classpath accepts.
            throw new CliException(ExitCode.USAGE, "no JDBC driver accepts the URL given (" + e.getMessage()
                    + "); the jar has PostgreSQL (jdbc:postgresql:), MariaDB/MySQL (jdbc:mariadb:) and"
                    + " H2 (jdbc:h2:)");
        }
        try {
            JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).tablePrefix(tablePrefix).clock(clock)
                    .statementTimeout(Duration.ofSeconds(60)).build();
            return new EventLog(pool, store, tablePrefix, clock);
        } catch (HookwiseConfigurationException e) {
            pool.close();
            throw new CliException(ExitCode.USAGE, e.getMessage() + "\n  check --table-prefix (now '" + tablePrefix
                    + "') and that the URL names the application's database");
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The event log. */
    public JdbcIdempotencyStore store() {
        return store;
    }

    /** The pool, for application extensions that read their own tables. */
    public DataSource dataSource() {
        return pool;
    }

    public String tablePrefix() {
        return tablePrefix;
    }

    /** The state tables ({@code <prefix>entity_state}, {@code <prefix>state_history}), checked on first use. */
    public StateStore stateStore() {
        if (states == null) {
            try {
                states = JdbcStateStore.builder(pool).tablePrefix(tablePrefix).clock(clock)
                        .statementTimeout(Duration.ofSeconds(60)).build();
            } catch (HookwiseConfigurationException e) {
                throw new CliException(ExitCode.USAGE, e.getMessage() + "\n  the state tables are looked up with"
                        + " --table-prefix '" + tablePrefix + "'");
            }
        }
        return states;
    }

    @Override
    public void close() {
        pool.close();
    }
}
