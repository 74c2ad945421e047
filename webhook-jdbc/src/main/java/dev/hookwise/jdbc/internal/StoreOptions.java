package dev.hookwise.jdbc.internal;

import dev.hookwise.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The options every JDBC store's builder shares, as {@code JdbcStoreBuilder} froze them for its
 * {@code build()}.
 *
 * @param dialect the dialect set on the builder, or null to detect it
 * @param clockSet whether the clock was set rather than left at the system clock
 */
public record StoreOptions(DataSource dataSource, @Nullable JdbcDialect dialect, String tablePrefix,
        boolean createSchema, Clock clock, boolean clockSet, Duration statementTimeout) {

    /** The {@link Jdbc} of a store named {@code store} (in failure messages) with these options' timeout. */
    public Jdbc jdbc(String store) {
        return new Jdbc(dataSource, store, statementTimeout);
    }

    /** The dialect set, or else the one of the database behind {@code c}. */
    public JdbcDialect dialectOf(Connection c) throws SQLException {
        return dialect != null ? dialect : JdbcDialect.detect(c);
    }
}
