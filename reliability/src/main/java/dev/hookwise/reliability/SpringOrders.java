package dev.hookwise.reliability;

import dev.hookwise.jdbc.state.JdbcStateStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Spring Boot orders sample ({@code samples/spring-boot-orders}) as a system under test: the
 * sample's own jar classes and dependencies (built by run.sh, path in
 * {@code -Dreliability.spring-orders.classpath}), started with properties that point it at the
 * scenario's database and tables and nothing else changed but the mode (asynchronous, the default
 * with a database; the sample itself answers synchronously to show each event's result).
 *
 * <p>Its effect is the sample's own: {@code PaymentLedger} books each {@code payment_intent.succeeded}
 * in {@code <prefix>payments}, a table without a unique key (one row per booking, the event id
 * in it), in the transaction that moves the order to {@code paid} and completes the event. A
 * second run of an event would show as a second row. The orders exist beforehand in
 * {@code pending_payment} (the checkout and {@code payment_intent.created} of a real shop), and
 * the shop books the load generator's currency.
 */
final class SpringOrders {
    /** The line Spring Boot logs once the application (and its HTTP port) is up. */
    static final String READY_MARKER = "Started OrdersApplication";
    private static final String MAIN = "dev.hookwise.samples.springorders.OrdersApplication";
    private static final String CLASSPATH_PROPERTY = "reliability.spring-orders.classpath";

    private SpringOrders() {}

    /** Whether run.sh built the sample and passed its classpath. */
    static boolean available() {
        String cp = System.getProperty(CLASSPATH_PROPERTY);
        return cp != null && !cp.isBlank();
    }

    /**
     * The sample's command line. When a property of {@code extraProperties} starts with
     * {@code --reliability.}, the reliability module's own classes join the classpath, so that
     * {@link ReliabilityAutoConfiguration} acts on it (faulty handlers, a skewed clock).
     */
    static List<String> command(String javaBinary, Harness.Database db, String jdbcUrl, String prefix, int port,
            String instance, List<String> extraProperties) {
        List<String> command = new ArrayList<>(List.of(javaBinary));
        command.addAll(ServerProcess.JVM_OPTIONS);
        // The sample's classpath and the MariaDB driver, which the sample does not ship.
        StringBuilder cp = new StringBuilder(System.getProperty(CLASSPATH_PROPERTY, ""));
        for (String entry : ServerProcess.classpath().split(java.io.File.pathSeparator)) {
            if (entry.contains("mariadb-java-client")) {
                cp.append(java.io.File.pathSeparator).append(entry);
            }
        }
        if (extraProperties.stream().anyMatch(p -> p.startsWith("--reliability."))) {
            cp.append(java.io.File.pathSeparator).append(reliabilityClasses());
        }
        command.addAll(List.of("-cp", cp.toString(), MAIN,
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + db.user,
                "--spring.datasource.password=" + db.password,
                // The recommended pool settings (docs/operations.md): fail fast while the database is down.
                "--spring.datasource.hikari.connection-timeout=2000",
                "--hookwise.store.table-prefix=" + prefix,
                "--hookwise.stripe.signing-secrets=" + Harness.SECRET,
                "--hookwise.mode=async",
                "--hookwise.instance-id=" + instance,
                "--shop.currency=eur",
                "--management.endpoints.web.exposure.include=health"));
        command.addAll(extraProperties);
        return command;
    }

    /** Where this module's classes are: target/classes under run.sh and surefire. */
    private static String reliabilityClasses() {
        try {
            return Path.of(SpringOrders.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sample's order states the suite needs: the name the store keeps is the enum constant's. */
    enum OrderStatus {
        PENDING_PAYMENT
    }

    /** Creates the event log (via the harness) and orders {@code ord_0 … ord_<count-1>} waiting for payment. */
    static void prepare(Harness.Database db, String prefix, int count) throws SQLException {
        Harness.createTables(db, prefix);
        // A pool: a connection of its own per order took a minute for a few thousand orders.
        try (com.zaxxer.hikari.HikariDataSource pool = dev.hookwise.jdbc.HikariDataSources.builder(db.url)
                .username(db.user).password(db.password).maxPoolSize(2).build()) {
            JdbcStateStore orders = JdbcStateStore.builder(pool).tablePrefix(prefix).createSchema(true).build();
            for (int i = 0; i < count; i++) {
                orders.create("order", "ord_" + i, OrderStatus.PENDING_PAYMENT);
            }
        }
    }

    /** The table the sample's ledger books into. */
    static String effectsTable(String prefix) {
        return prefix + "payments";
    }

    /** Event ids with a booking. */
    static Set<String> bookedEventIds(Harness.Database db, String prefix) throws SQLException {
        return Harness.distinct(db, "SELECT DISTINCT event_id FROM " + effectsTable(prefix));
    }
}
