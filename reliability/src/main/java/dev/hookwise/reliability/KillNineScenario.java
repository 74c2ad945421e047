package dev.hookwise.reliability;

import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.testkit.TestEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 1: two server JVMs share one event log; the load generator spreads the events over both;
 * every few seconds one of them is killed with SIGKILL, mid-handler, and started again. Counts what
 * was acknowledged, what took effect, what was lost (acknowledged without effect: must be 0) and
 * what took effect twice (plain handlers: at most the events in flight at each kill: the handlers running
 * and the completions waiting for their group commit).
 */
final class KillNineScenario {

    /** The scenario's size. */
    record Config(int events, int ratePerSecond, Duration killEvery, int workerThreads, long workMs, Duration lease,
            Duration drainBound, int transactionBatch) {

        /** Plain handlers (transactionBatch 0). */
        Config(int events, int ratePerSecond, Duration killEvery, int workerThreads, long workMs, Duration lease,
                Duration drainBound) {
            this(events, ratePerSecond, killEvery, workerThreads, workMs, lease, drainBound, 0);
        }

        boolean transactional() {
            return transactionBatch > 0;
        }
    }

    private KillNineScenario() {}

    static ScenarioResult run(Harness.Database db, Config config, String mode, Path out) throws Exception {
        return run(db, Harness.Sut.WEBHOOK_SERVER, config, mode, out);
    }

    /**
     * With {@link Harness.Sut#SPRING_ORDERS} the handlers are the sample's (transactional: the
     * ledger's booking commits with the event's completion) and {@code config.transactionBatch} is ignored.
     */
    static ScenarioResult run(Harness.Database db, Harness.Sut sut, Config config, String mode, Path out)
            throws Exception {
        boolean spring = sut == Harness.Sut.SPRING_ORDERS;
        boolean transactional = spring || config.transactional();
        ScenarioResult result = new ScenarioResult((spring ? "kill-9" : config.transactional() ? "kill-9-transactional"
                : "kill-9") + sut.suffix, db.label(), mode);
        String prefix = Harness.prefix("k9");
        long started = System.nanoTime();
        if (spring) {
            SpringOrders.prepare(db, prefix, config.events());
        } else {
            Harness.createTables(db, prefix);
        }
        List<String> serverArgs = List.of("--worker-threads", Integer.toString(config.workerThreads()),
                "--work-ms", Long.toString(config.workMs()), "--lease-ms", Long.toString(config.lease().toMillis()),
                "--handler", config.transactional() ? "transactional" : "plain",
                "--tx-batch", Integer.toString(Math.max(1, config.transactionBatch())));
        List<String> springProperties = List.of("--hookwise.worker.threads=" + config.workerThreads(),
                "--hookwise.lease-duration=" + config.lease().toMillis() + "ms");
        String name = "k9" + (spring ? "spring-" : config.transactional() ? "tx-" : "-")
                + db.name().toLowerCase(java.util.Locale.ROOT);
        try (ServerProcess a = spring ? ServerProcess.springOrders(name + "-a", db, prefix, out, springProperties)
                    : new ServerProcess(name + "-a", db, prefix, out, serverArgs);
                ServerProcess b = spring ? ServerProcess.springOrders(name + "-b", db, prefix, out, springProperties)
                    : new ServerProcess(name + "-b", db, prefix, out, serverArgs);
                LoadGenerator load = new LoadGenerator(new LoadGenerator.Config(config.events(), 14, 16,
                        config.ratePerSecond(), 0.3, Duration.ofMinutes(5)))) {
            a.start();
            b.start();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger kills = new AtomicInteger();
            AtomicInteger failedStarts = new AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<Throwable> chaosFailure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread chaos = new Thread(() -> chaos(List.of(a, b), config.killEvery(), stop, kills, failedStarts), "chaos");
            chaos.setUncaughtExceptionHandler((t, e) -> chaosFailure.set(e));
            chaos.start();
            List<TestEvent> events = LoadGenerator.events("k9" + prefix.substring(6, prefix.length() - 1), config.events());
            LoadGenerator.Result delivered = load.run(events, () -> List.of(a.uri(), b.uri()));
            // Keep killing while the workers drain the backlog, then let both run to the end.
            long backlog = Harness.awaitDrained(db, prefix, config.drainBound().dividedBy(2));
            stop.set(true);
            chaos.join();
            for (ServerProcess s : List.of(a, b)) {
                if (!s.alive()) {
                    s.start();
                }
            }
            long left = Harness.awaitDrained(db, prefix, config.drainBound());

            Set<String> effects = spring ? SpringOrders.bookedEventIds(db, prefix) : Harness.effectIds(db, prefix);
            long rows = Harness.count(db, "SELECT COUNT(*) FROM "
                    + (spring ? SpringOrders.effectsTable(prefix) : prefix + "effects"));
            Set<String> lost = new HashSet<>(delivered.acknowledged());
            lost.removeAll(effects);
            long dead = Harness.count(db, "SELECT COUNT(*) FROM " + prefix + "event_log WHERE status = 'DEAD'");
            long doubled = rows - effects.size();
            // In flight at a kill: the handlers running, and (plain handlers, WebhookServer) the completions
            // waiting for their group commit: at most 4 groups queued and 1 being written (CompletionGroups).
            int unfinishedPerKill = config.workerThreads()
                    + (spring || config.transactional() ? 0 : 5 * InboxWorker.DEFAULT_COMPLETION_GROUP_SIZE);
            int inFlightBound = kills.get() * unfinishedPerKill;
            result.put("events", delivered.events())
                    .put("copies delivered", delivered.copies())
                    .put("requests", delivered.requests())
                    .put("kills (SIGKILL)", kills.get())
                    .put("restarts that failed at start-up and were started again", failedStarts.get())
                    .put("seconds from a restarted server being up to the next kill", config.killEvery().toSeconds())
                    .put("acknowledged (2xx)", delivered.acknowledged().size())
                    .put("copies never acknowledged", delivered.notAcknowledgedCopies())
                    .put("no answer (refused/reset)", delivered.unanswered())
                    .put("answered 5xx", delivered.answered(500, 599))
                    .put("processed (effect present)", effects.size())
                    .put("lost (acknowledged, no effect)", lost.size())
                    .put("system under test", spring ? "Spring Boot orders sample (async)" : "WebhookServer (async)")
                    .put("handlers", spring ? "the sample's: StateTransitions and PaymentLedger transactional, Receipts plain"
                            : config.transactional()
                            ? "transactional, " + config.transactionBatch() + " event(s) per transaction" : "plain")
                    .put("doubled effects", doubled)
                    .put("bound on doubled: kills x (worker threads + completions awaiting a group commit)",
                            inFlightBound)
                    .put("dead", dead)
                    .put("still to run at the end", left)
                    .put("backlog when the kills stopped", backlog)
                    .put("load seconds", round(delivered.elapsed().toMillis() / 1000.0));
            Throwable chaosEnded = chaosFailure.get();
            result.check(chaosEnded == null, "the kills went on until the load ended"
                    + (chaosEnded == null ? "" : " (" + chaosEnded.getCause() + ")"))
                    .check(lost.isEmpty(), "lost = 0 (lost: " + first(lost) + ")")
                    .check(delivered.notAcknowledgedCopies() == 0, "every copy acknowledged in the end")
                    .check(delivered.answered(500, 599) == 0, "no 5xx while the database is up")
                    .check(left == 0, "event log drained after the kills")
                    .check(dead == 0, "no event dead")
                    .check(transactional ? doubled == 0 : doubled <= inFlightBound, transactional
                            ? "doubled = 0 with transactional handlers"
                            : "doubled effects <= handlers in flight at the kills");
            if (lost.isEmpty() && doubled > 0 && !transactional) {
                result.notes.add("Plain handlers are at-least-once: a kill between the handler's own commit and the"
                        + " event's completion runs the event again after its lease.");
            }
        } finally {
            result.seconds = round((System.nanoTime() - started) / 1e9);
            Harness.dropTables(db, prefix);
        }
        return result;
    }

    /** Most attempts to bring a killed server back, as a process supervisor would restart it. */
    private static final int START_ATTEMPTS = 3;

    private static void chaos(List<ServerProcess> servers, Duration every, AtomicBoolean stop, AtomicInteger kills,
            AtomicInteger failedStarts) {
        int victim = 0;
        try {
            while (!stop.get()) {
                Thread.sleep(every.toMillis()); // the fault's schedule
                if (stop.get()) {
                    return;
                }
                ServerProcess s = servers.get(victim++ % servers.size());
                s.kill();
                kills.incrementAndGet();
                restart(s, failedStarts);
            }
        } catch (Exception e) {
            throw new IllegalStateException("chaos thread failed", e);
        }
    }

    /**
     * Starts a killed server again. Under the load of the other server, the load generator and the
     * database on two cores, its first connection can take longer than the pool's 2 s connection
     * timeout, and the server then exits at start-up (it cannot prepare its event log): started again,
     * as systemd or Kubernetes would, and counted.
     */
    private static void restart(ServerProcess s, AtomicInteger failedStarts) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                s.start();
                return;
            } catch (java.io.IOException didNotStart) {
                if (attempt == START_ATTEMPTS) {
                    throw didNotStart;
                }
                failedStarts.incrementAndGet();
            }
        }
    }

    static String first(Set<String> ids) {
        return ids.stream().sorted().limit(5).toList().toString();
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
