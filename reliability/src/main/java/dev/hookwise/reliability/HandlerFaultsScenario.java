package dev.hookwise.reliability;

import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Scenario 4: handler faults in two server JVMs. Among normal events, a few are slow (three leases
 * long), hung (until the handler timeout), throwing an {@link Error}, or holding most of the heap.
 * Targets: the normal events all take effect once; slow events take effect once (their leases are
 * renewed, never taken over); hung and erroring events end DEAD after their attempts; nothing lost.
 */
final class HandlerFaultsScenario {

    /** The scenario's size. */
    record Config(int normalEvents, int perFault, int ratePerSecond, Duration lease, Duration handlerTimeout,
            int maxAttempts, Duration drainBound) {}

    private HandlerFaultsScenario() {}

    static ScenarioResult run(Harness.Database db, Config config, String mode, Path out) throws Exception {
        return run(db, Harness.Sut.WEBHOOK_SERVER, config, mode, out);
    }

    /**
     * With {@link Harness.Sut#SPRING_ORDERS} the servers are the orders sample with
     * {@link ReliabilityAutoConfiguration}'s faulty handler beside its own (the sample itself is
     * unchanged); that handler's rows in {@code <prefix>effects} are the effects counted, and the
     * sample's ledger books every event too (the faulty events name orders of their own).
     */
    static ScenarioResult run(Harness.Database db, Harness.Sut sut, Config config, String mode, Path out)
            throws Exception {
        boolean spring = sut == Harness.Sut.SPRING_ORDERS;
        ScenarioResult result = new ScenarioResult("handler-faults" + sut.suffix, db.label(), mode);
        String prefix = Harness.prefix("hf");
        int faulty = Faults.KINDS.size() * config.perFault();
        if (spring) {
            SpringOrders.prepare(db, prefix, config.normalEvents() + faulty);
        } else {
            Harness.createTables(db, prefix);
        }
        long started = System.nanoTime();
        List<String> args = List.of("--lease-ms", Long.toString(config.lease().toMillis()),
                "--handler-timeout-ms", Long.toString(config.handlerTimeout().toMillis()),
                "--max-attempts", Integer.toString(config.maxAttempts()), "--backoff-ms", "200", "--poll-ms", "200");
        List<String> springProperties = List.of("--reliability.handler-faults=true",
                "--hookwise.lease-duration=" + config.lease().toMillis() + "ms",
                "--hookwise.handler-timeout=" + config.handlerTimeout().toMillis() + "ms",
                "--hookwise.worker.max-attempts=" + config.maxAttempts(),
                "--hookwise.worker.backoff-initial=200ms", "--hookwise.worker.poll-interval=200ms");
        String name = "hf-" + (spring ? "spring-" : "") + db.name().toLowerCase(java.util.Locale.ROOT);
        try (ServerProcess a = spring ? ServerProcess.springOrders(name + "-a", db, prefix, out, springProperties)
                    : new ServerProcess(name + "-a", db, prefix, out, args);
                ServerProcess b = spring ? ServerProcess.springOrders(name + "-b", db, prefix, out, springProperties)
                    : new ServerProcess(name + "-b", db, prefix, out, args);
                LoadGenerator load = new LoadGenerator(new LoadGenerator.Config(config.normalEvents(), 44, 8,
                        config.ratePerSecond(), 0.3, Duration.ofMinutes(3)))) {
            a.start();
            b.start();
            String run = prefix.substring(6, prefix.length() - 1);
            List<TestEvent> events = new ArrayList<>(LoadGenerator.events("hf" + run, config.normalEvents()));
            StripeEventFactory factory = StripeEventFactory.create();
            int order = config.normalEvents(); // the faulty events' orders follow the normal events' (Spring)
            for (String fault : Faults.KINDS) {
                for (int i = 0; i < config.perFault(); i++) {
                    // Spread the faulty events through the load.
                    events.add((i * 7 + fault.length()) % events.size(), factory.paymentIntentSucceeded()
                            .id("evt_hf" + run + "_" + fault + "_" + i).metadata("fault", fault)
                            .metadata("order_id", "ord_" + order++).currency("eur").build());
                }
            }
            LoadGenerator.Result delivered = load.run(events, () -> List.of(a.uri(), b.uri()));
            long left = Harness.awaitDrained(db, prefix, config.drainBound());

            String log = prefix + "event_log";
            String effects = prefix + "effects";
            Set<String> present = Harness.effectIds(db, prefix);
            Set<String> normal = new HashSet<>(delivered.acknowledged());
            normal.removeIf(id -> id.contains("_slow_") || id.contains("_hung_") || id.contains("_error_")
                    || id.contains("_heap_"));
            Set<String> lostNormal = new HashSet<>(normal);
            lostNormal.removeAll(present);
            long rows = Harness.count(db, "SELECT COUNT(*) FROM " + effects);
            long slowDone = Harness.count(db, "SELECT COUNT(DISTINCT event_id) FROM " + effects + " WHERE event_id LIKE '%\\_slow\\_%'");
            long slowRows = Harness.count(db, "SELECT COUNT(*) FROM " + effects + " WHERE event_id LIKE '%\\_slow\\_%'");
            long hungDead = Harness.count(db, "SELECT COUNT(*) FROM " + log + " WHERE id LIKE '%\\_hung\\_%' AND status = 'DEAD'");
            long errorDead = Harness.count(db, "SELECT COUNT(*) FROM " + log + " WHERE id LIKE '%\\_error\\_%' AND status = 'DEAD'");
            long heapDone = Harness.count(db, "SELECT COUNT(*) FROM " + log + " WHERE id LIKE '%\\_heap\\_%' AND status IN ('COMPLETED', 'DEAD')");
            long normalDead = Harness.count(db, "SELECT COUNT(*) FROM " + log + " WHERE status = 'DEAD' AND id NOT LIKE '%\\_hung\\_%'"
                    + " AND id NOT LIKE '%\\_error\\_%' AND id NOT LIKE '%\\_heap\\_%' AND id NOT LIKE '%\\_slow\\_%'");
            if (spring) {
                long bookings = Harness.count(db, "SELECT COUNT(*) FROM " + SpringOrders.effectsTable(prefix));
                long booked = SpringOrders.bookedEventIds(db, prefix).size();
                result.put("system under test", "Spring Boot orders sample (async) with a faulty handler bean")
                        .put("events booked by the sample's ledger", booked)
                        .put("doubled bookings", bookings - booked);
                result.check(bookings == booked, "no booking doubled");
            }
            result.put("normal events", config.normalEvents())
                    .put("events per fault (slow, hung, error, heap)", config.perFault())
                    .put("lease (ms)", config.lease().toMillis())
                    .put("handler timeout (ms)", config.handlerTimeout().toMillis())
                    .put("max attempts", config.maxAttempts())
                    .put("acknowledged (2xx)", delivered.acknowledged().size())
                    .put("answered 5xx", delivered.answered(500, 599))
                    .put("normal events lost", lostNormal.size())
                    .put("normal events dead", normalDead)
                    .put("doubled effects (all events)", rows - present.size())
                    .put("slow events processed", slowDone)
                    .put("slow events' effect rows", slowRows)
                    .put("hung events dead", hungDead)
                    .put("erroring events dead", errorDead)
                    .put("heap-pressure events finished (completed or dead)", heapDone)
                    .put("still to run at the end", left);
            result.check(lostNormal.isEmpty(), "normal events lost = 0")
                    .check(normalDead == 0, "no normal event dead")
                    .check(delivered.answered(500, 599) == 0, "no 5xx")
                    .check(rows == present.size(), "no effect doubled")
                    .check(slowDone == config.perFault() && slowRows == config.perFault(), "slow events run once, never taken over")
                    .check(hungDead == config.perFault(), "hung events end DEAD")
                    .check(errorDead == config.perFault(), "events throwing Error end DEAD")
                    .check(heapDone == config.perFault(), "heap-pressure events finish")
                    .check(left == 0, "event log drained");
        } finally {
            result.seconds = KillNineScenario.round((System.nanoTime() - started) / 1e9);
            Harness.dropTables(db, prefix);
        }
        return result;
    }
}
