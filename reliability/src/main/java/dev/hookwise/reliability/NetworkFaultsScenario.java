package dev.hookwise.reliability;

import dev.hookwise.testkit.TestEvent;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scenario 3: network faults between the servers and the database, through a {@link FaultyProxy}:
 * added latency, every connection dropped at once, then a black hole. Targets: nothing lost, no 5xx
 * but 503, no answer slower than the driver's socket timeout plus the pool's connection timeout (a
 * margin of 5 s), and recovery by itself once the network is back.
 */
final class NetworkFaultsScenario {

    /** The scenario's size and the servers' timeouts. */
    record Config(int ratePerSecond, Duration latencyFor, long latencyMs, Duration blackHoleFor, int socketTimeoutSeconds) {}

    /** The lease both systems under test run with (WebhookServer's default in {@link ServerUnderTest}). */
    private static final long LEASE_MS = 3_000;

    private NetworkFaultsScenario() {}

    static ScenarioResult run(Harness.Database db, Config config, String mode, Path out) throws Exception {
        return run(db, Harness.Sut.WEBHOOK_SERVER, config, mode, out);
    }

    /**
     * With {@link Harness.Sut#SPRING_ORDERS} the servers are the orders sample, its
     * {@code spring.datasource.url} pointing at the proxy with the driver's connect and socket
     * timeouts in the URL (what {@code HikariDataSources} sets for WebhookServer); the effect is the
     * sample's ledger booking.
     */
    static ScenarioResult run(Harness.Database db, Harness.Sut sut, Config config, String mode, Path out)
            throws Exception {
        boolean spring = sut == Harness.Sut.SPRING_ORDERS;
        ScenarioResult result = new ScenarioResult("network-faults" + sut.suffix, db.label(), mode);
        String prefix = Harness.prefix("net");
        long loadSeconds = 3 + config.latencyFor().toSeconds() + 5 + config.blackHoleFor().toSeconds() + 8;
        int events = (int) (config.ratePerSecond() * loadSeconds);
        if (spring) {
            SpringOrders.prepare(db, prefix, events);
        } else {
            Harness.createTables(db, prefix);
        }
        long started = System.nanoTime();
        List<String> args = List.of("--socket-timeout-s", Integer.toString(config.socketTimeoutSeconds()),
                "--connect-timeout-s", "2", "--poll-ms", "200", "--work-ms", "2");
        String name = "net-" + (spring ? "spring-" : "") + db.name().toLowerCase(java.util.Locale.ROOT);
        try (FaultyProxy proxy = new FaultyProxy(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), db.port()));
                ServerProcess a = server(spring, name + "-a", db, proxy.port(), prefix, out, args, config);
                ServerProcess b = server(spring, name + "-b", db, proxy.port(), prefix, out, args, config);
                LoadGenerator load = new LoadGenerator(new LoadGenerator.Config(events, 33, 16, config.ratePerSecond(),
                        0.3, Duration.ofMinutes(5), Duration.ofMinutes(2)))) {
            a.start();
            b.start();
            Map<String, Object> timeline = new LinkedHashMap<>();
            long[] recovery = new long[1];
            Thread faults = new Thread(() -> {
                try {
                    Thread.sleep(3_000); // the faults' schedule
                    proxy.latency(config.latencyMs());
                    Thread.sleep(config.latencyFor().toMillis());
                    proxy.latency(0);
                    Thread.sleep(2_000);
                    timeline.put("connections dropped at once", proxy.dropAll());
                    Thread.sleep(3_000);
                    proxy.mode(FaultyProxy.Mode.BLACK_HOLE);
                    Thread.sleep(config.blackHoleFor().toMillis());
                    proxy.mode(FaultyProxy.Mode.NORMAL);
                    long back = System.nanoTime();
                    recovery[0] = untilCompletedAfter(db, prefix, back);
                } catch (Exception e) {
                    throw new IllegalStateException("fault thread failed", e);
                }
            }, "network-faults");
            faults.start();
            List<TestEvent> list = LoadGenerator.events("net" + prefix.substring(7, prefix.length() - 1), events);
            LoadGenerator.Result delivered = load.run(list, () -> List.of(a.uri(), b.uri()));
            faults.join();
            long left = Harness.awaitDrained(db, prefix, Duration.ofMinutes(3));

            Set<String> effects = spring ? SpringOrders.bookedEventIds(db, prefix) : Harness.effectIds(db, prefix);
            Set<String> lost = new HashSet<>(delivered.acknowledged());
            lost.removeAll(effects);
            long other5xx = delivered.answered(500, 599) - delivered.answered(503, 503);
            Duration bound = Duration.ofSeconds(config.socketTimeoutSeconds() + 2 + 5);
            result.put("system under test", spring ? "Spring Boot orders sample (async)" : "WebhookServer (async)")
                    .put("events", events)
                    .put("requests", delivered.requests())
                    .put("latency added (ms) / for (s)", config.latencyMs() + " / " + config.latencyFor().toSeconds())
                    .put("black hole for (s)", config.blackHoleFor().toSeconds())
                    .put("driver socket timeout (s)", config.socketTimeoutSeconds())
                    .put("lease (ms)", LEASE_MS);
            timeline.forEach(result::put);
            result.put("answered 503", delivered.answered(503, 503))
                    .put("answered other 5xx", other5xx)
                    .put("no answer (client gave up after 120 s, or reset)", delivered.unanswered())
                    .put("slowest answer (ms)", delivered.slowestAnswer().toMillis())
                    .put("bound on an answer (ms): socket + connection timeout + 5 s", bound.toMillis())
                    .put("acknowledged (2xx)", delivered.acknowledged().size())
                    .put("lost (acknowledged, no effect)", lost.size())
                    .put("ms from network back to an event completed", recovery[0] / 1_000_000)
                    .put("still to run at the end", left);
            result.check(lost.isEmpty(), "lost = 0")
                    .check(other5xx == 0, "no 5xx other than 503")
                    .check(delivered.slowestAnswer().compareTo(bound) <= 0, "no answer slower than the configured timeouts")
                    .check(delivered.notAcknowledgedCopies() == 0, "every copy acknowledged in the end")
                    .check(left == 0, "event log drained after the faults");
        } finally {
            result.seconds = KillNineScenario.round((System.nanoTime() - started) / 1e9);
            Harness.dropTables(db, prefix);
        }
        return result;
    }

    private static ServerProcess server(boolean spring, String name, Harness.Database db, int proxyPort, String prefix,
            Path out, List<String> args, Config config) throws java.io.IOException {
        if (!spring) {
            return new ServerProcess(name, db, db.urlVia(proxyPort), prefix, out, args);
        }
        // The driver's timeouts in the URL: PostgreSQL's in seconds, MariaDB's in milliseconds.
        boolean seconds = db == Harness.Database.POSTGRESQL;
        String url = db.urlVia(proxyPort) + "?connectTimeout=" + (seconds ? "2" : "2000") + "&socketTimeout="
                + (seconds ? config.socketTimeoutSeconds() : config.socketTimeoutSeconds() * 1000);
        // WebhookServer's lease there (3 s), not the starter's default 5 min: events whose completion the
        // faults cut are claimed again within the scenario.
        return ServerProcess.springOrders(name, db, url, prefix, out, List.of("--hookwise.worker.poll-interval=200ms",
                "--hookwise.lease-duration=" + LEASE_MS + "ms"));
    }

    private static long untilCompletedAfter(Harness.Database db, String prefix, long since) throws Exception {
        String sql = "SELECT COUNT(*) FROM " + prefix + "event_log WHERE status = 'COMPLETED'";
        long before = Harness.count(db, sql);
        long deadline = since + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (Harness.count(db, sql) > before) {
                return System.nanoTime() - since;
            }
            Thread.sleep(10); // probing cadence
        }
        return Duration.ofMinutes(2).toNanos();
    }
}
