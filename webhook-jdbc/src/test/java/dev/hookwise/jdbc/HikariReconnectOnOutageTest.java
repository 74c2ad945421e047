package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** {@link HikariDataSources#reconnectOnOutage}: a pool configured elsewhere gets the retry, unless it cannot. */
class HikariReconnectOnOutageTest {
    private static final String URL = "jdbc:h2:mem:;DB_CLOSE_DELAY=-1"; // a database of its own for each connection

    @Test
    void aPoolNotYetStartedOpensItsConnectionsThroughTheRetry() throws SQLException {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(URL);
            pool.setUsername("sa");
            pool.setPassword("");

            assertThat(HikariDataSources.reconnectOnOutage(pool)).isTrue();

            assertThat(pool.getDataSource()).isInstanceOf(ReconnectingDataSource.class);
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
                assertThat(c.getMetaData().getUserName()).isEqualToIgnoringCase("sa");
            }
        }
    }

    @Test
    void theDriverPropertiesAndDriverClassOfThePoolAreKept() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(URL);
        config.setDriverClassName("org.h2.Driver");
        config.addDataSourceProperty("IGNORECASE", "TRUE");

        assertThat(HikariDataSources.reconnectOnOutage(config)).isTrue();

        try (HikariDataSource pool = new HikariDataSource(config); Connection c = pool.getConnection();
                var rs = c.createStatement().executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'IGNORECASE'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).matches("(?i)1|true"); // set by the driver property
        }
    }

    @Test
    void aStartedPoolIsLeftAsItIs() throws SQLException {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(URL);
            pool.getConnection().close(); // starts it

            assertThat(HikariDataSources.reconnectOnOutage(pool)).isFalse();
            assertThat(pool.getDataSource()).isNull();
        }
    }

    @Test
    void aPoolWithADataSourceOfItsOwnIsLeftAsItIs() {
        HikariConfig config = new HikariConfig();
        JdbcDataSource own = new JdbcDataSource();
        own.setURL(URL);
        config.setDataSource(own);

        assertThat(HikariDataSources.reconnectOnOutage(config)).isFalse();
        assertThat(config.getDataSource()).isSameAs(own);
    }

    @Test
    void aPoolConfiguredByDataSourceClassNameIsLeftAsItIs() {
        HikariConfig config = new HikariConfig();
        config.setDataSourceClassName(JdbcDataSource.class.getName());
        config.addDataSourceProperty("URL", URL);

        assertThat(HikariDataSources.reconnectOnOutage(config)).isFalse();
        assertThat(config.getDataSource()).isNull();
    }

    @Test
    void aUrlNoDriverAcceptsIsLeftForHikariToReport() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:nosuchdatabase://localhost/db");

        assertThat(HikariDataSources.reconnectOnOutage(config)).isFalse();
        assertThat(config.getDataSource()).isNull();
    }
}
