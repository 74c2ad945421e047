package dev.hookwise.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the reliability scenarios and writes one JSON file per scenario and database.
 *
 * <pre>
 * java -cp … [-Dreliability.scenarios=kill-9,database-restart] [-Dreliability.databases=POSTGRESQL]
 *     dev.hookwise.reliability.ReliabilityMain quick|full &lt;results dir&gt; [scenario …]
 * </pre>
 *
 * Quick mode (inside {@code mvn verify}) runs reduced versions of kill -9, database restart,
 * clock skew and HTTP abuse; full mode ({@code reliability/run.sh}) runs them at the sizes RELIABILITY.md
 * reports, and the Spring Boot orders sample as a second system under test ({@code kill-9-spring},
 * {@code database-restart-spring}, {@code network-faults-spring}, {@code handler-faults-spring},
 * {@code clock-skew-spring}, {@code http-abuse-spring}) when run.sh built it. Scenarios are chosen by name (the arguments
 * after the results folder, or {@code -Dreliability.scenarios}, comma-separated; {@code slow-loris-200}
 * is the larger HTTP abuse run); none chosen runs every one of the mode.
 */
public final class ReliabilityMain {

    private ReliabilityMain() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "quick";
        Path out = Path.of(args.length > 1 ? args[1] : "reliability/results");
        List<String> only = new ArrayList<>(args.length > 2 ? List.of(args).subList(2, args.length) : List.of());
        for (String s : System.getProperty("reliability.scenarios", "").split(",")) {
            if (!s.isBlank()) {
                only.add(s.strip());
            }
        }
        List<ScenarioResult> results = runAll(mode, out, only);
        boolean failed = results.stream().anyMatch(r -> !r.passed());
        System.exit(failed ? 1 : 0);
    }

    /** Runs every scenario of {@code mode} (or those named in {@code only}) and writes their results. */
    public static List<ScenarioResult> runAll(String mode, Path out, List<String> only) throws Exception {
        boolean full = "full".equals(mode);
        if (!full && !"quick".equals(mode)) {
            throw new IllegalArgumentException("mode must be quick or full, but was " + mode);
        }
        List<String> known = List.of("kill-9", "kill-9-transactional", "database-restart", "network-faults",
                "handler-faults", "clock-skew", "http-abuse", "slow-loris-200", "kill-9-spring", "database-restart-spring",
                "http-abuse-spring", "network-faults-spring", "handler-faults-spring", "clock-skew-spring");
        for (String s : only) {
            if (!known.contains(s)) {
                throw new IllegalArgumentException("unknown scenario " + s + "; known: " + known);
            }
        }
        if (full && only.stream().anyMatch(s -> s.endsWith("-spring")) && !SpringOrders.available()) {
            throw new IllegalStateException("the Spring scenarios need the orders sample built: run them through"
                    + " reliability/run.sh, which passes -Dreliability.spring-orders.classpath");
        }
        Files.createDirectories(out);
        Path logs = out.resolve("logs");
        List<ScenarioResult> results = new ArrayList<>();
        String databases = System.getProperty("reliability.databases", "POSTGRESQL,MARIADB");
        for (Harness.Database db : Harness.Database.values()) {
            if (!List.of(databases.split(",")).contains(db.name())) {
                continue; // -Dreliability.databases=MARIADB runs one of them
            }
            if (!db.accepting()) {
                throw new IllegalStateException(db.label() + " is not accepting connections at " + db.url
                        + "; start it (see .ci/run) before running the reliability suite");
            }
            if (wanted(only, "kill-9")) {
                results.add(write(out, KillNineScenario.run(db, full
                        ? new KillNineScenario.Config(20_000, 400, Duration.ofSeconds(4), 4, 4, Duration.ofSeconds(3), Duration.ofMinutes(5))
                        : new KillNineScenario.Config(2_000, 400, Duration.ofSeconds(2), 4, 4, Duration.ofSeconds(2), Duration.ofMinutes(3)),
                        mode, logs)));
            }
            if (wanted(only, "kill-9-transactional")) {
                results.add(write(out, KillNineScenario.run(db, full
                        ? new KillNineScenario.Config(20_000, 400, Duration.ofSeconds(4), 4, 4, Duration.ofSeconds(3), Duration.ofMinutes(5), 10)
                        : new KillNineScenario.Config(2_000, 400, Duration.ofSeconds(2), 4, 4, Duration.ofSeconds(2), Duration.ofMinutes(3), 10),
                        mode, logs)));
            }
            if (wanted(only, "database-restart") && !mayRestartDatabases(full)) {
                System.out.println("database-restart skipped: it stops and starts the local " + db.label() + " server;"
                        + " it runs in full mode, with CI=true, or with -Dreliability.restart-databases=true");
            } else if (wanted(only, "database-restart")) {
                results.add(write(out, DatabaseRestartScenario.run(db, full
                        ? new DatabaseRestartScenario.Config(10_000, 300, Duration.ofSeconds(10), 1_000, Duration.ofMinutes(5))
                        : new DatabaseRestartScenario.Config(2_500, 250, Duration.ofSeconds(3), 1_000, Duration.ofMinutes(3)),
                        mode, logs)));
            }
            if (wanted(only, "network-faults") && full) {
                results.add(write(out, NetworkFaultsScenario.run(db,
                        new NetworkFaultsScenario.Config(150, Duration.ofSeconds(6), 100, Duration.ofSeconds(15), 12),
                        mode, logs)));
            }
            if (wanted(only, "handler-faults") && full) {
                results.add(write(out, HandlerFaultsScenario.run(db,
                        new HandlerFaultsScenario.Config(3_000, 5, 200, Duration.ofSeconds(2), Duration.ofSeconds(10), 3,
                                Duration.ofMinutes(5)), mode, logs)));
            }
            if (wanted(only, "clock-skew")) {
                results.add(write(out, ClockSkewScenario.run(db, full
                        ? new ClockSkewScenario.Config(2_000, 100, Duration.ofMinutes(2), 150, Duration.ofSeconds(2), true)
                        : new ClockSkewScenario.Config(300, 100, Duration.ofMinutes(2), 150, Duration.ofSeconds(2), false),
                        mode, logs)));
            }
            boolean spring = full && SpringOrders.available();
            if (wanted(only, "kill-9-spring") && spring) {
                // Spring Boot takes 4-30 s to start under this load, and the next kill waits for the restart:
                // more events than that for several kills.
                results.add(write(out, KillNineScenario.run(db, Harness.Sut.SPRING_ORDERS,
                        new KillNineScenario.Config(12_000, 200, Duration.ofSeconds(4), 4, 4, Duration.ofSeconds(3),
                                Duration.ofMinutes(5)), mode, logs)));
            }
            if (wanted(only, "database-restart-spring") && spring) {
                results.add(write(out, DatabaseRestartScenario.run(db, Harness.Sut.SPRING_ORDERS,
                        new DatabaseRestartScenario.Config(5_000, 250, Duration.ofSeconds(10), 1_000, Duration.ofMinutes(5)),
                        mode, logs)));
            }
            if (wanted(only, "network-faults-spring") && spring) {
                results.add(write(out, NetworkFaultsScenario.run(db, Harness.Sut.SPRING_ORDERS,
                        new NetworkFaultsScenario.Config(150, Duration.ofSeconds(6), 100, Duration.ofSeconds(15), 12),
                        mode, logs)));
            }
            if (wanted(only, "handler-faults-spring") && spring) {
                results.add(write(out, HandlerFaultsScenario.run(db, Harness.Sut.SPRING_ORDERS,
                        new HandlerFaultsScenario.Config(3_000, 5, 200, Duration.ofSeconds(2), Duration.ofSeconds(10), 3,
                                Duration.ofMinutes(5)), mode, logs)));
            }
            if (wanted(only, "clock-skew-spring") && spring) {
                results.add(write(out, ClockSkewScenario.run(db, Harness.Sut.SPRING_ORDERS,
                        new ClockSkewScenario.Config(2_000, 100, Duration.ofMinutes(2), 150, Duration.ofSeconds(2), true),
                        mode, logs)));
            }
            if (db != Harness.Database.POSTGRESQL) { // HTTP, not the database, is under test
                continue;
            }
            if (wanted(only, "http-abuse")) {
                results.add(write(out, HttpAbuseScenario.run(db, full
                        ? new HttpAbuseScenario.Config("http-abuse", 1_000_000, 100, 20, 8, 1)
                        : new HttpAbuseScenario.Config("http-abuse", 20_000, 100, 4, 4, 1),
                        mode, logs)));
            }
            if (wanted(only, "http-abuse-spring") && spring) {
                // The same abuse as http-abuse against the orders sample's endpoint (Tomcat).
                results.add(write(out, HttpAbuseScenario.run(db, Harness.Sut.SPRING_ORDERS,
                        new HttpAbuseScenario.Config("http-abuse-spring", 1_000_000, 100, 20, 8, 1), mode, logs)));
            }
            if (wanted(only, "slow-loris-200")) {
                if (full) {
                    // More slow connections than WebhookServer's 128 connection threads.
                    results.add(write(out, HttpAbuseScenario.run(db,
                            new HttpAbuseScenario.Config("slow-loris-200", 20_000, 200, 4, 4, 2), mode, logs)));
                }
            }
        }
        return results;
    }

    /**
     * The database-restart scenario stops the machine's database servers: on a developer's machine
     * {@code mvn verify} must not do that unasked.
     */
    private static boolean mayRestartDatabases(boolean full) {
        return full || "true".equals(System.getenv("CI")) || Boolean.getBoolean("reliability.restart-databases");
    }

    private static boolean wanted(List<String> only, String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    private static ScenarioResult write(Path out, ScenarioResult result) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String file = result.scenario + "-" + result.database.toLowerCase(Locale.ROOT) + ".json";
        json.writeValue(out.resolve(file).toFile(), result);
        System.out.println(result);
        return result;
    }
}
