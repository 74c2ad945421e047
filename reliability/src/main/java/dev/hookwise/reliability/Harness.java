package dev.hookwise.reliability;

import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** What every scenario shares: the signing secret, the databases, and their administration. */
final class Harness {
    static final String SECRET = "whsec_reliability_suite";
    static final String PATH = "/stripe/webhook";

    private Harness() {}

    /** A database server the suite runs against, with the commands that stop and start it. */
    enum Database {
        POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres", ""),
        MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root", "");

        final String url;
        final String user;
        final String password;

        Database(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        /** The same database reached through {@code port} on loopback (a proxy). */
        String urlVia(int port) {
            return url.replaceFirst("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + port);
        }

        int port() {
            return this == POSTGRESQL ? 5432 : 3306;
        }

        String label() {
            return this == POSTGRESQL ? "PostgreSQL" : "MariaDB";
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        DataSource dataSource() {
            if (this == POSTGRESQL) {
                PGSimpleDataSource ds = new PGSimpleDataSource();
                ds.setUrl(url);
                ds.setUser(user);
                return ds;
            }
            org.mariadb.jdbc.MariaDbDataSource ds = new org.mariadb.jdbc.MariaDbDataSource();
            try {
                ds.setUrl(url);
                ds.setUser(user);
                ds.setPassword(password);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return ds;
        }

        /** True when the server accepts a connection now. */
        boolean accepting() {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        /** Stops the server (fast shutdown: connections are cut, as in a crash of the database host's service). */
        void stop() throws IOException, InterruptedException {
            if (this == POSTGRESQL) {
                run("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "stop", "-m", "fast");
            } else {
                run("sh", "-c", "pkill -TERM -x mariadbd; for i in $(seq 1 600); do pgrep -x mariadbd >/dev/null || exit 0;"
                        + " sleep 0.1; done; exit 1");
            }
        }

        /** Starts the server again and returns once it accepts connections. */
        void start() throws IOException, InterruptedException {
            if (this == POSTGRESQL) {
                run("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "start");
            } else {
                run("start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd");
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!accepting()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(label() + " did not accept connections within 2 minutes of starting");
                }
                Thread.sleep(50);
            }
        }

        private static String postgresVersion() throws IOException {
            try (var versions = Files.list(Path.of("/etc/postgresql"))) {
                return versions.map(p -> p.getFileName().toString()).sorted().reduce((x, y) -> y)
                        .orElseThrow(() -> new IOException("no PostgreSQL cluster under /etc/postgresql"));
            }
        }
    }

    /** Creates the event log and the effects table (no unique key) under {@code prefix}. */
    static void createTables(Database db, String prefix) throws SQLException {
        JdbcIdempotencyStore.builder(db.dataSource()).tablePrefix(prefix).createSchema(true).build();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + prefix + "effects (event_id VARCHAR(255) NOT NULL, instance_name VARCHAR(64) NOT NULL)");
            s.execute("CREATE TABLE " + prefix + "running (event_id VARCHAR(255) PRIMARY KEY)");
            s.execute("CREATE TABLE " + prefix + "overlaps (event_id VARCHAR(255) NOT NULL, instance_name VARCHAR(64) NOT NULL)");
        }
    }

    /** Drops every table whose name starts with {@code prefix}. */
    static void dropTables(Database db, String prefix) throws SQLException {
        try (Connection c = db.connect()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, null, new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    if (name.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
                        tables.add(name);
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                for (String t : tables) {
                    s.execute("DROP TABLE IF EXISTS " + t);
                }
            }
        }
    }

    /** One number from one query. */
    static long count(Database db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Event ids present in the effects table. */
    static java.util.Set<String> effectIds(Database db, String prefix) throws SQLException {
        return distinct(db, "SELECT DISTINCT event_id FROM " + prefix + "effects");
    }

    /** The first column of every row of {@code sql}. */
    static java.util.Set<String> distinct(Database db, String sql) throws SQLException {
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Which system runs in the server JVMs. */
    enum Sut {
        /** {@link ServerUnderTest}: WebhookServer in asynchronous mode with an InboxWorker. */
        WEBHOOK_SERVER(""),
        /** The Spring Boot orders sample, asynchronous mode, transactional handlers ({@link SpringOrders}). */
        SPRING_ORDERS("-spring");

        /** Appended to the scenario's name. */
        final String suffix;

        Sut(String suffix) {
            this.suffix = suffix;
        }
    }

    /**
     * Waits until the event log holds no event still to run (queued, processing, failed and due
     * later) or {@code bound} passes; returns how many were left.
     */
    static long awaitDrained(Database db, String prefix, Duration bound) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        String sql = "SELECT COUNT(*) FROM " + prefix + "event_log WHERE status IN ('QUEUED', 'PROCESSING', 'FAILED')";
        long left;
        while ((left = countQuietly(db, sql)) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return left;
    }

    private static long countQuietly(Database db, String sql) throws InterruptedException {
        try {
            return count(db, sql);
        } catch (SQLException e) {
            Thread.sleep(500); // the database may be starting again
            return -1;
        }
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    /** A unique table prefix for one scenario run. */
    static String prefix(String scenario) {
        return "rel_" + scenario + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "_";
    }
}
