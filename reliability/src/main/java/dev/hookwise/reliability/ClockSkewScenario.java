package dev.hookwise.reliability;

import dev.hookwise.testkit.TestEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Scenario 6: two server JVMs share one event log, one with its clock two minutes ahead of the
 * other's. Each handler run marks its event in a table keyed by event id for its duration, so two
 * runs of one event at the same time are recorded as an overlap. Target: no overlap, nothing lost,
 * nothing doubled. In full mode a control run with each instance on its own clock (not the
 * database's) shows the hazard the database time removes.
 */
final class ClockSkewScenario {

    /** The scenario's size. */
    record Config(int events, int ratePerSecond, Duration skew, long workMs, Duration lease, boolean control) {}

    private ClockSkewScenario() {}

    static ScenarioResult run(Harness.Database db, Config config, String mode, Path out) throws Exception {
        return run(db, Harness.Sut.WEBHOOK_SERVER, config, mode, out);
    }

    /**
     * With {@link Harness.Sut#SPRING_ORDERS} the two servers are the orders sample with
     * {@link ReliabilityAutoConfiguration}'s overlap-checking handler beside its own; the second's
     * processor clock is set ahead (a {@code WebhookProcessorCustomizer}), the starter's store left
     * as it is, on the database's time. The control gives each instance a {@link java.time.Clock}
     * bean instead (its own, the second's ahead), which the starter hands to the store as well.
     */
    static ScenarioResult run(Harness.Database db, Harness.Sut sut, Config config, String mode, Path out)
            throws Exception {
        boolean spring = sut == Harness.Sut.SPRING_ORDERS;
        ScenarioResult result = new ScenarioResult("clock-skew" + sut.suffix, db.label(), mode);
        long started = System.nanoTime();
        try {
            Figures onDatabaseTime = once(db, spring, config, out, true);
            if (spring) {
                result.put("system under test", "Spring Boot orders sample (async) with an overlap-checking handler bean");
            }
            result.put("events", config.events())
                    .put("skew of the second instance (s)", config.skew().toSeconds())
                    .put("lease (ms)", config.lease().toMillis())
                    .put("handler time (ms)", config.workMs())
                    .put("acknowledged (2xx)", onDatabaseTime.acknowledged)
                    .put("processed (effect present)", onDatabaseTime.processed)
                    .put("lost (acknowledged, no effect)", onDatabaseTime.lost)
                    .put("doubled effects", onDatabaseTime.doubled)
                    .put("runs overlapping another run of the same event", onDatabaseTime.overlaps);
            result.check(onDatabaseTime.lost == 0, "lost = 0")
                    .check(onDatabaseTime.overlaps == 0, "no event runs twice at once")
                    .check(onDatabaseTime.doubled == 0, "doubled = 0 (nothing is killed here)");
            if (config.control()) {
                Figures ownClocks = once(db, spring, config, out, false);
                result.put("control, instances on their own clocks: overlapping runs", ownClocks.overlaps)
                        .put("control, instances on their own clocks: doubled effects", ownClocks.doubled);
                result.notes.add("The control run (leases on each instance's own clock) is not a target: it shows"
                        + " why leases follow the database's time.");
            }
        } finally {
            result.seconds = KillNineScenario.round((System.nanoTime() - started) / 1e9);
        }
        return result;
    }

    private record Figures(int acknowledged, int processed, int lost, long doubled, long overlaps) {}

    private static Figures once(Harness.Database db, boolean spring, Config config, Path out, boolean databaseTime)
            throws Exception {
        String prefix = Harness.prefix("skew");
        if (spring) {
            SpringOrders.prepare(db, prefix, config.events());
        } else {
            Harness.createTables(db, prefix);
        }
        String name = "skew-" + (spring ? "spring-" : "") + db.name().toLowerCase(java.util.Locale.ROOT)
                + (databaseTime ? "" : "-control");
        List<String> common = List.of("--work-ms", Long.toString(config.workMs()), "--lease-ms",
                Long.toString(config.lease().toMillis()), "--overlap-check", "true", "--poll-ms", "100",
                "--database-time", Boolean.toString(databaseTime));
        // Database time: only the processor's clock is skewed; control: a Clock bean, the store's too.
        List<String> springCommon = List.of("--reliability.overlap-check=true", "--reliability.work-ms=" + config.workMs(),
                "--hookwise.lease-duration=" + config.lease().toMillis() + "ms", "--hookwise.worker.poll-interval=100ms",
                "--reliability.clock-skew-as=" + (databaseTime ? "processor" : "bean"));
        try (ServerProcess onTime = spring
                    ? ServerProcess.springOrders(name + "-a", db, prefix, out,
                            concat(springCommon, List.of("--reliability.clock-skew-ms=0")))
                    : new ServerProcess(name + "-a", db, prefix, out, common);
                ServerProcess ahead = spring
                    ? ServerProcess.springOrders(name + "-b", db, prefix, out,
                            concat(springCommon, List.of("--reliability.clock-skew-ms=" + config.skew().toMillis())))
                    : new ServerProcess(name + "-b", db, prefix, out, concat(common,
                        List.of("--clock-skew-ms", Long.toString(config.skew().toMillis()))));
                LoadGenerator load = new LoadGenerator(new LoadGenerator.Config(config.events(), 66, 8,
                        config.ratePerSecond(), 0.3, Duration.ofMinutes(3)))) {
            onTime.start();
            ahead.start();
            List<TestEvent> events = LoadGenerator.events("skew" + prefix.substring(8, prefix.length() - 1)
                    + (databaseTime ? "" : "c"), config.events());
            LoadGenerator.Result delivered = load.run(events, () -> List.of(onTime.uri(), ahead.uri()));
            Harness.awaitDrained(db, prefix, Duration.ofMinutes(3));
            Set<String> effects = Harness.effectIds(db, prefix);
            Set<String> lost = new HashSet<>(delivered.acknowledged());
            lost.removeAll(effects);
            long rows = Harness.count(db, "SELECT COUNT(*) FROM " + prefix + "effects");
            long overlaps = Harness.count(db, "SELECT COUNT(*) FROM " + prefix + "overlaps");
            return new Figures(delivered.acknowledged().size(), effects.size(), lost.size(), rows - effects.size(), overlaps);
        } finally {
            Harness.dropTables(db, prefix);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
