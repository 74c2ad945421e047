package dev.hookwise.reliability;

import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Scenario 2: the database is stopped in the middle of a run and started again. While it is down
 * the servers answer 503 (Stripe redelivers); nothing acknowledged is lost; the request path and
 * the workers recover by themselves. Reported: the time from the database accepting connections
 * again to the first acknowledged delivery, and to the first event processed by a worker; both are
 * probed at the same time from that moment (each every 10 ms), so neither waits for the other.
 * Each server's log has HikariCP's pool events (DEBUG) with their times: when its connection adder
 * backed off, and when it added a connection again.
 */
final class DatabaseRestartScenario {

    /** The scenario's size. */
    record Config(int events, int ratePerSecond, Duration downFor, long pollMs, Duration drainBound) {}

    private DatabaseRestartScenario() {}

    static ScenarioResult run(Harness.Database db, Config config, String mode, Path out) throws Exception {
        return run(db, Harness.Sut.WEBHOOK_SERVER, config, mode, out);
    }

    static ScenarioResult run(Harness.Database db, Harness.Sut sut, Config config, String mode, Path out)
            throws Exception {
        boolean spring = sut == Harness.Sut.SPRING_ORDERS;
        ScenarioResult result = new ScenarioResult("database-restart" + sut.suffix, db.label(), mode);
        String prefix = Harness.prefix("dbr");
        long started = System.nanoTime();
        if (spring) {
            SpringOrders.prepare(db, prefix, config.events() + 1); // the last order is the probe's
        } else {
            Harness.createTables(db, prefix);
        }
        List<String> serverArgs = List.of("--poll-ms", Long.toString(config.pollMs()), "--work-ms", "2");
        List<String> springProperties = List.of("--hookwise.worker.poll-interval=" + config.pollMs() + "ms");
        String name = "dbr-" + (spring ? "spring-" : "") + db.name().toLowerCase(java.util.Locale.ROOT);
        try (ServerProcess a = spring ? ServerProcess.springOrders(name + "-a", db, prefix, out, springProperties)
                    : new ServerProcess(name + "-a", db, prefix, out, serverArgs);
                ServerProcess b = spring ? ServerProcess.springOrders(name + "-b", db, prefix, out, springProperties)
                    : new ServerProcess(name + "-b", db, prefix, out, serverArgs);
                LoadGenerator load = new LoadGenerator(new LoadGenerator.Config(config.events(), 22, 16,
                        config.ratePerSecond(), 0.3, Duration.ofMinutes(5)))) {
            a.start();
            b.start();
            List<TestEvent> events = LoadGenerator.events("dbr" + prefix.substring(7, prefix.length() - 1), config.events());
            long[] recovery = new long[2];
            java.time.Instant[] acceptingAt = new java.time.Instant[1];
            Thread outage = new Thread(() -> {
                try {
                    Thread.sleep(2_000); // let the load run first: the fault's schedule
                    db.stop();
                    Thread.sleep(config.downFor().toMillis());
                    db.start(); // returns once it accepts connections
                    long accepting = System.nanoTime();
                    acceptingAt[0] = java.time.Instant.now();
                    // Both probes from the same moment, side by side.
                    Thread processed = new Thread(() -> {
                        try {
                            recovery[1] = untilProcessed(db, prefix, accepting);
                        } catch (Exception e) {
                            throw new IllegalStateException("processing probe failed", e);
                        }
                    }, "processed-probe");
                    processed.start();
                    recovery[0] = untilAcknowledged(a.uri(), accepting, prefix, config.events());
                    processed.join();
                } catch (Exception e) {
                    throw new IllegalStateException("outage thread failed", e);
                }
            }, "outage");
            outage.start();
            LoadGenerator.Result delivered = load.run(events, () -> List.of(a.uri(), b.uri()));
            outage.join();
            long left = Harness.awaitDrained(db, prefix, config.drainBound());

            Set<String> effects = spring ? SpringOrders.bookedEventIds(db, prefix) : Harness.effectIds(db, prefix);
            Set<String> lost = new HashSet<>(delivered.acknowledged());
            lost.removeAll(effects);
            long other5xx = delivered.answered(500, 599) - delivered.answered(503, 503);
            double pollIntervals = recovery[1] / 1e6 / config.pollMs();
            result.put("events", delivered.events())
                    .put("requests", delivered.requests())
                    .put("system under test", spring ? "Spring Boot orders sample (async)" : "WebhookServer (async)")
                    .put("database down (s)", config.downFor().toSeconds())
                    .put("database accepting again at (UTC, see the servers' logs)", String.valueOf(acceptingAt[0]))
                    .put("answered 503 (store unavailable)", delivered.answered(503, 503))
                    .put("answered other 5xx", other5xx)
                    .put("no answer (refused/reset)", delivered.unanswered())
                    .put("acknowledged (2xx)", delivered.acknowledged().size())
                    .put("copies never acknowledged", delivered.notAcknowledgedCopies())
                    .put("processed (effect present)", effects.size())
                    .put("lost (acknowledged, no effect)", lost.size())
                    .put("ms from accepting to first 2xx", recovery[0] / 1_000_000)
                    .put("ms from accepting to first event processed by a worker", recovery[1] / 1_000_000)
                    .put("worker recovery in poll intervals", KillNineScenario.round(pollIntervals))
                    .put("poll interval (ms)", config.pollMs())
                    .put("still to run at the end", left);
            result.check(lost.isEmpty(), "lost = 0 (lost: " + KillNineScenario.first(lost) + ")")
                    .check(other5xx == 0, "no 5xx other than 503 store_unavailable")
                    .check(delivered.answered(503, 503) > 0 || delivered.unanswered() > 0,
                            "the outage was seen by the load (503 or no answer)")
                    .check(delivered.notAcknowledgedCopies() == 0, "every copy acknowledged in the end")
                    .check(left == 0, "event log drained after the restart")
                    .check(pollIntervals <= 2.0, "workers recover within 2 poll intervals of the database accepting");
        } finally {
            result.seconds = KillNineScenario.round((System.nanoTime() - started) / 1e9);
            if (!db.accepting()) {
                db.start();
            }
            Harness.dropTables(db, prefix);
        }
        return result;
    }

    /** Nanoseconds from {@code since} until a fresh delivery to {@code uri} is answered 2xx. */
    private static long untilAcknowledged(URI uri, long since, String prefix, int probeIndex) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        WebhookSigner signer = WebhookSigner.forSecret(Harness.SECRET);
        // Its own order (the Spring sample moves that order to paid).
        TestEvent probe = LoadGenerator.event("probe" + prefix.substring(7, prefix.length() - 1), probeIndex);
        long deadline = since + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Stripe-Signature", signer.sign(probe.bytes(), Instant.now()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(probe.bytes())).build();
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2) {
                    return System.nanoTime() - since;
                }
            } catch (java.io.IOException e) {
                // not yet
            }
            Thread.sleep(10); // probing cadence
        }
        return Duration.ofMinutes(2).toNanos();
    }

    /** Nanoseconds from {@code since} until an event completes after it. */
    private static long untilProcessed(Harness.Database db, String prefix, long since) throws Exception {
        long before = -1;
        long deadline = since + Duration.ofMinutes(2).toNanos();
        String sql = "SELECT COUNT(*) FROM " + prefix + "event_log WHERE status = 'COMPLETED'";
        while (System.nanoTime() < deadline) {
            try {
                long completed = Harness.count(db, sql);
                if (before < 0) {
                    before = completed;
                } else if (completed > before) {
                    return System.nanoTime() - since;
                }
            } catch (java.sql.SQLException e) {
                // not yet
            }
            Thread.sleep(10); // probing cadence
        }
        return Duration.ofMinutes(2).toNanos();
    }
}
