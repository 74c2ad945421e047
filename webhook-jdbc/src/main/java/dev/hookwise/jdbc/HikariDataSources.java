package dev.hookwise.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import dev.hookwise.core.HookwiseConfigurationException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
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
 * // or, to change a timeout:
 * HikariDataSource pool = HikariDataSources.builder("jdbc:postgresql://db/app")
 *         .username("app").password(password).socketTimeout(Duration.ofMinutes(2)).build();
 * }</pre>
 *
 * <p>The pool starts even while the database is down (connections are made on demand), so that
 * the webhook endpoint answers 503 and Stripe redelivers, instead of the application failing to start.
 * After an outage it has connections again within a tenth of a second of the database accepting
 * them: a refused connection is tried again every 100 ms for up to the connect timeout before
 * HikariCP hears of the failure, whose own backoff between attempts grows to 5 s and would delay
 * the recovery by up to that much.
 *
 * <p><b>No wait without a bound.</b> Three waits happen outside any statement, and each has a limit:
 * <ul>
 *   <li>{@linkplain Builder#connectionTimeout waiting for a free connection} of the pool (default
 *       {@value #DEFAULT_CONNECTION_TIMEOUT_SECONDS} s, Hikari's own default is 30 s);
 *   <li>{@linkplain Builder#connectTimeout opening a connection} to a database host that does not
 *       answer (default {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s);
 *   <li>{@linkplain Builder#socketTimeout reading from a connection} whose network died without a
 *       word (default {@value #DEFAULT_SOCKET_TIMEOUT_SECONDS} s; the connection is then closed).
 * </ul>
 * The last two are the JDBC driver's settings ({@code connectTimeout} and {@code socketTimeout} of
 * PostgreSQL's pgjdbc, in seconds, and of MariaDB Connector/J and MySQL Connector/J, in
 * milliseconds); they are passed to the driver for {@code jdbc:postgresql:}, {@code jdbc:mariadb:} and
 * {@code jdbc:mysql:} URLs only, and a value already in the URL wins. Other drivers (H2, say) get
 * none. The socket timeout is a last resort for a dead network: keep it above the stores'
 * statement timeout (10 s by default), which ends a slow statement cleanly and keeps the connection,
 * and above the longest statement the application itself runs over this pool.
 */
public final class HikariDataSources {

    /** Pool size when none is given: enough for a busy endpoint, small for the database. */
    public static final int DEFAULT_MAX_POOL_SIZE = 10;
    /** The pool's name in Hikari's logs and metrics. */
    public static final String POOL_NAME = "hookwise";
    /** Default of {@link Builder#connectionTimeout}, in seconds. */
    public static final int DEFAULT_CONNECTION_TIMEOUT_SECONDS = 5;
    /** Default of {@link Builder#connectTimeout}, in seconds. */
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
    /** Default of {@link Builder#socketTimeout}, in seconds. */
    public static final int DEFAULT_SOCKET_TIMEOUT_SECONDS = 30;

    /** Hikari's floor: below it, Hikari silently falls back to 30 s. */
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

    private HikariDataSources() {}

    /**
     * Makes a pool configured elsewhere (Spring Boot's, say) come back after a database outage as fast
     * as the pools this class builds: a refused connection is tried again every 100 ms for up to
     * {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s within one of HikariCP's attempts, so that HikariCP's
     * own backoff (growing to 5 s) does not delay the recovery. Connections are still opened by
     * HikariCP's {@code DriverDataSource} with the pool's URL, driver class, driver properties, user
     * and password: only the retry is added.
     *
     * <p>Call it before the pool starts, that is before its first {@code getConnection()} (a
     * {@link HikariDataSource} made with its no-argument constructor starts then; one made from a
     * {@link HikariConfig} has started already). It does nothing, and says so, when the pool has
     * started, when it is configured with a {@code DataSource}, a data source class name or a JNDI name
     * rather than a JDBC URL, or when no driver accepts the URL (HikariCP then reports that itself).
     *
     * @param config the pool's configuration, or the {@link HikariDataSource} itself
     * @return true if the pool now opens its connections with the retry
     */
    public static boolean reconnectOnOutage(HikariConfig config) {
        Objects.requireNonNull(config, "config");
        String jdbcUrl = config.getJdbcUrl();
        if (jdbcUrl == null || config.getDataSource() != null || config.getDataSourceClassName() != null
                || config.getDataSourceJNDI() != null) {
            return false;
        }
        if (config instanceof HikariDataSource pool && (pool.isRunning() || pool.isClosed())) {
            return false;
        }
        ReconnectingDataSource retrying;
        try {
            retrying = reconnecting(config, Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS));
        } catch (RuntimeException noDriver) {
            return false; // HikariCP fails the same way when it starts, with its own message
        }
        try {
            config.setDataSource(retrying);
        } catch (IllegalStateException sealed) {
            return false; // started meanwhile: HikariCP seals its configuration when the pool starts
        }
        return true;
    }

    /**
     * Opens connections as HikariCP itself would from {@code config} (its {@code DriverDataSource}
     * with the pool's URL, driver class, driver properties, user and password), with the retry of
     * {@link ReconnectingDataSource} around it.
     */
    private static ReconnectingDataSource reconnecting(HikariConfig config, Duration window) {
        java.util.Properties driverProperties = new java.util.Properties();
        driverProperties.putAll(config.getDataSourceProperties());
        return new ReconnectingDataSource(new DriverDataSource(config.getJdbcUrl(), config.getDriverClassName(),
                driverProperties, config.getUsername(), config.getPassword()), window);
    }

    /** A pool of {@value #DEFAULT_MAX_POOL_SIZE} connections with the default timeouts. */
    public static HikariDataSource create(String jdbcUrl, @Nullable String username, @Nullable String password) {
        return builder(jdbcUrl).username(username).password(password).build();
    }

    /**
     * A pool of at most {@code maxPoolSize} connections to {@code jdbcUrl} with the default
     * timeouts; close it when the application stops. The JDBC driver is found from the URL.
     */
    public static HikariDataSource create(String jdbcUrl, @Nullable String username, @Nullable String password,
            int maxPoolSize) {
        return builder(jdbcUrl).username(username).password(password).maxPoolSize(maxPoolSize).build();
    }

    /**
     * A builder of a pool to {@code jdbcUrl}, for changing the size or a timeout.
     *
     * @throws HookwiseConfigurationException if the URL does not start with {@code jdbc:}
     */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /** Builder of a Hikari pool; every setter checks its value, {@link #build()} starts the pool. */
    public static final class Builder {
        private final String jdbcUrl;
        private @Nullable String username;
        private @Nullable String password;
        private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
        private Duration connectionTimeout = Duration.ofSeconds(DEFAULT_CONNECTION_TIMEOUT_SECONDS);
        private Duration connectTimeout = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
        private Duration socketTimeout = Duration.ofSeconds(DEFAULT_SOCKET_TIMEOUT_SECONDS);

        private Builder(String jdbcUrl) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
                // The URL may hold a password: name only its scheme.
                throw new HookwiseConfigurationException("jdbcUrl must start with 'jdbc:', e.g."
                        + " jdbc:postgresql://host:5432/db; got a value starting with '"
                        + (jdbcUrl == null ? "null" : jdbcUrl.substring(0, Math.min(5, jdbcUrl.length()))) + "'");
            }
            this.jdbcUrl = jdbcUrl;
        }

        /** The database user, or null when the URL or the driver supplies it. */
        public Builder username(@Nullable String value) {
            this.username = value;
            return this;
        }

        /** The database password, or null when the URL or the driver supplies it. */
        public Builder password(@Nullable String value) {
            this.password = value;
            return this;
        }

        /** Most connections the pool holds (default {@value HikariDataSources#DEFAULT_MAX_POOL_SIZE}), at least 1. */
        public Builder maxPoolSize(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("maxPoolSize must be >= 1, but was " + value);
            }
            this.maxPoolSize = value;
            return this;
        }

        /**
         * How long a store call waits for a free connection when all are in use (Hikari's
         * {@code connectionTimeout}; default {@value HikariDataSources#DEFAULT_CONNECTION_TIMEOUT_SECONDS}
         * s); then it fails and the delivery is answered 503. At least 250 ms, Hikari's floor.
         */
        public Builder connectionTimeout(Duration value) {
            Objects.requireNonNull(value, "connectionTimeout");
            if (value.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
                throw new HookwiseConfigurationException("connectionTimeout must be at least 250 ms (HikariCP's"
                        + " floor), but was " + value);
            }
            this.connectionTimeout = value;
            return this;
        }

        /**
         * How long the driver tries to open a connection to the database host (the driver's
         * {@code connectTimeout}; default {@value HikariDataSources#DEFAULT_CONNECT_TIMEOUT_SECONDS}
         * s). Whole seconds, at least 1 s (pgjdbc counts seconds).
         */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = wholeSeconds("connectTimeout", value);
            return this;
        }

        /**
         * How long the driver waits for the database to answer on an open connection before it
         * closes the connection (the driver's {@code socketTimeout}; default
         * {@value HikariDataSources#DEFAULT_SOCKET_TIMEOUT_SECONDS} s): a last resort against a dead
         * network. Keep it above the stores' statement timeout and the application's longest
         * statement. Whole seconds, at least 1 s.
         */
        public Builder socketTimeout(Duration value) {
            this.socketTimeout = wholeSeconds("socketTimeout", value);
            return this;
        }

        /** Starts the pool; close it when the application stops. */
        public HikariDataSource build() {
            HikariConfig config = new HikariConfig();
            config.setPoolName(POOL_NAME);
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(username);
            config.setPassword(password);
            config.setMaximumPoolSize(maxPoolSize);
            config.setMinimumIdle(Math.min(2, maxPoolSize));
            config.setAutoCommit(true);
            config.setInitializationFailTimeout(-1);
            config.setConnectionTimeout(connectionTimeout.toMillis());
            DriverTimeouts unit = DriverTimeouts.of(jdbcUrl);
            if (unit != DriverTimeouts.NONE) {
                unit.set(config, jdbcUrl, "connectTimeout", connectTimeout);
                unit.set(config, jdbcUrl, "socketTimeout", socketTimeout);
            }
            // Wrapped so that HikariCP's backoff cannot delay the recovery from an outage (see ReconnectingDataSource).
            config.setDataSource(reconnecting(config, connectTimeout));
            return new HikariDataSource(config);
        }

        private static Duration wholeSeconds(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.getNano() != 0 || value.getSeconds() < 1 || value.getSeconds() > Integer.MAX_VALUE / 1000) {
                throw new HookwiseConfigurationException(name + " must be a whole number of seconds, at least 1 s,"
                        + " but was " + value);
            }
            return value;
        }
    }

    /** How a driver takes {@code connectTimeout} and {@code socketTimeout}. */
    private enum DriverTimeouts {
        SECONDS, MILLISECONDS, NONE;

        static DriverTimeouts of(String jdbcUrl) {
            String url = jdbcUrl.toLowerCase(Locale.ROOT);
            if (url.startsWith("jdbc:postgresql:")) {
                return SECONDS;
            }
            if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
                return MILLISECONDS;
            }
            return NONE;
        }

        /** Passes {@code value} as the driver property {@code name}, unless the URL already sets it. */
        void set(HikariConfig config, String jdbcUrl, String name, Duration value) {
            if (Pattern.compile("[?&;]" + name + "=", Pattern.CASE_INSENSITIVE).matcher(jdbcUrl).find()) {
                return;
            }
            long amount = this == SECONDS ? value.toSeconds() : value.toMillis();
            config.addDataSourceProperty(name, String.valueOf(amount));
        }
    }
}
