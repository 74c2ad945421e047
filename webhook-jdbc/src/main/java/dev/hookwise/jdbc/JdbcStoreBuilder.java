package dev.hookwise.jdbc;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.jdbc.internal.Jdbc;
import dev.hookwise.jdbc.internal.StoreOptions;
import dev.hookwise.jdbc.internal.TablePrefix;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The options the builders of every JDBC store share ({@link JdbcIdempotencyStore.Builder},
 * {@link dev.hookwise.jdbc.state.JdbcStateStore.Builder}): the database's dialect, the table prefix,
 * whether to create the tables, the clock and the statement timeout. Each setter validates its
 * value and returns the store's own builder, so the calls chain in any order:
 *
 * <pre>{@code
 * JdbcStateStore states = JdbcStateStore.builder(dataSource)
 *         .dialect(JdbcDialect.POSTGRESQL).tablePrefix("billing_").createSchema(true).build();
 * }</pre>
 *
 * @param <B> the store's builder
 * @since 0.2.0
 */
public abstract class JdbcStoreBuilder<B extends JdbcStoreBuilder<B>> {
    /** The statement timeout unless {@link #statementTimeout(Duration)} sets one: 10 seconds. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Jdbc.DEFAULT_STATEMENT_TIMEOUT;

    private final DataSource dataSource;
    private @Nullable JdbcDialect dialect;
    private String tablePrefix = JdbcIdempotencyStore.DEFAULT_TABLE_PREFIX;
    private boolean createSchema;
    private Clock clock = Clock.systemUTC();
    private boolean clockSet;
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

    /** @param dataSource the store's connections; any pool works, or see {@link HikariDataSources} */
    protected JdbcStoreBuilder(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** This builder as the store's own type, for the setters to return. */
    protected abstract B self();

    /** The database's dialect; detected from the connection's metadata when not set. */
    public B dialect(JdbcDialect value) {
        this.dialect = Objects.requireNonNull(value, "dialect");
        return self();
    }

    /**
     * The prefix of the store's tables (default {@value JdbcIdempotencyStore#DEFAULT_TABLE_PREFIX}):
     * the event log is {@code <prefix>event_log}, the state store's tables
     * {@code <prefix>entity_state} and {@code <prefix>state_history}. Must match
     * {@value JdbcIdempotencyStore#TABLE_PREFIX_PATTERN}, so it can never carry SQL. To use a
     * schema other than the connection's default, set it on the connection (e.g. PostgreSQL's
     * {@code currentSchema} URL parameter).
     */
    public B tablePrefix(String value) {
        this.tablePrefix = TablePrefix.validate(value);
        return self();
    }

    /**
     * Whether {@code build()} creates the store's tables and indexes if they are missing (default
     * false: production schemas usually belong to a migration tool). Idempotent; the tables are
     * committed before {@code build()} returns, also on a pool whose connections have auto-commit off.
     */
    public B createSchema(boolean value) {
        this.createSchema = value;
        return self();
    }

    /**
     * The time source of the store's leases and timestamps, used as it is (tests advance a mutable
     * clock this way). Without it the state store uses the system clock and the event log the
     * database server's time, see {@link JdbcIdempotencyStore.Builder#databaseTime}.
     */
    public B clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        this.clockSet = true;
        return self();
    }

    /**
     * How long one call (a claim, a verdict, a transition…) may wait in the database, above all for
     * a row another transaction holds (default {@link #DEFAULT_STATEMENT_TIMEOUT}, 10 s). Every
     * statement of a call gets the time the call has left as its JDBC query timeout (on H2 also as
     * the session's lock timeout); a call that runs out is not retried but fails as a
     * {@link StoreUnavailableException} saying a lock or statement timeout passed (the processor
     * answers 503 {@code store_unavailable} and Stripe delivers again) instead of waiting on.
     * Whole seconds, at least 1 s.
     *
     * @throws HookwiseConfigurationException for fractions of a second or less than 1 s
     */
    public B statementTimeout(Duration value) {
        this.statementTimeout = Jdbc.checkStatementTimeout(value);
        return self();
    }

    /** The shared options as set so far, for the store's {@code build()}. */
    protected final StoreOptions options() {
        return new StoreOptions(dataSource, dialect, tablePrefix, createSchema, clock, clockSet, statementTimeout);
    }
}
