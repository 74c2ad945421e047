package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.jdbc.multi.SignedEvents;
import dev.hookwise.jdbc.tx.CrashingWorkerMain;
import dev.hookwise.testkit.MutableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's crash acceptance on one database per subclass: a real second JVM runs handlers that
 * write their row and then hang, and is killed with SIGKILL before any verdict commits. A worker in
 * this JVM then takes the expired claims over (its clock past the crashed worker's lease) and runs
 * the events again. Transactional handlers leave exactly one row per event: the killed process's
 * writes died with its transaction. Plain handlers, killed the same way, show the contrast: their
 * writes had committed on their own, so the rerun doubles them (at-least-once, asserted).
 */
abstract class TransactionalCrashTestBase {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Test
    void aKilledJvmsTransactionalHandlersLeaveNoRowAndTheRestartWritesExactlyOnePerEvent() throws Exception {
        crashThenRestart("handful", true, 4, 4, 1, 1);
    }

    @Test
    void aJvmKilledInTheMiddleOfATransactionBatchLeavesNoRowAndTheRestartWritesExactlyOnePerEvent()
            throws Exception {
        // One thread, five events in one transaction: four complete inside it, the fifth hangs.
        crashThenRestart("batch", true, 5, 1, 5, 5);
    }

    @Test
    void plainHandlersKilledTheSameWayWriteTwiceTheContrastThatIsAtLeastOnce() throws Exception {
        crashThenRestart("plain", false, 4, 4, 1, 1);
    }

    private void crashThenRestart(String label, boolean transactional, int events, int threads,
            int transactionBatchSize, int blockAt) throws Exception {
        String prefix = db().newPrefix(label + "_" + run.substring(0, 4));
        String effects = db().table("fx_crash_" + label + "_" + run.substring(0, 4).toLowerCase(Locale.ROOT));
        TransactionalHandlersTestBase.createEffectsTable(db().dataSource(), effects);
        JdbcIdempotencyStore queue = JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(prefix)
                .createSchema(true).build();
        WebhookProcessor receiver = processor(queue, ctx -> { }, Clock.systemUTC(), "receiver");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            Instant now = Instant.now();
            assertThat(receiver.process(SignedEvents.sign(SignedEvents.payload(run, i, now), now)).outcome())
                    .isEqualTo(Outcome.QUEUED);
            ids.add(SignedEvents.id(run, i));
        }

        // ---- the worker JVM: every handler writes its row, then hangs; killed with SIGKILL
        Path childErrors = Files.createTempFile("hookwise-crashing-worker", ".log");
        Process child = new ProcessBuilder(javaCommand(), "-Duser.timezone=America/Sao_Paulo", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), CrashingWorkerMain.class.getName(),
                db().remoteUrl(), db().database.user, db().database.password, prefix, effects,
                transactional ? "transactional" : "plain", Integer.toString(threads),
                Integer.toString(transactionBatchSize), Integer.toString(events), Integer.toString(blockAt))
                .redirectError(childErrors.toFile())
                .start();
        Set<String> written = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            while (written.size() < events) {
                String line = out.readLine();
                if (line == null) {
                    fail("the worker JVM ended before writing every event (" + written + "); its stderr: "
                            + Files.readString(childErrors));
                }
                if (line.startsWith("WROTE ")) {
                    written.add(line.substring("WROTE ".length()));
                }
            }
            assertThat(written).containsExactlyInAnyOrderElementsOf(ids);
            for (String id : ids) {
                assertThat(queue.find(id).orElseThrow().status()).as("claimed by the worker JVM, no verdict")
                        .isEqualTo(EventStatus.PROCESSING);
            }
            assertThat(rows(effects, null)).as("rows committed while the handlers hang")
                    .isEqualTo(transactional ? 0 : events);
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no rollback from the JVM
        }
        assertThat(child.waitFor(1, TimeUnit.MINUTES)).as("the worker JVM died").isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
        Files.deleteIfExists(childErrors);

        // ---- the restart: a worker in this JVM whose clock is past the dead worker's leases
        MutableClock later = MutableClock.at(Instant.now().plus(CrashingWorkerMain.LEASE).plusSeconds(60));
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(prefix)
                .clock(later).build();
        WebhookHandler rerun = transactional
                ? JdbcTransactional.handler((ctx, c) -> TransactionalHandlersTestBase.insert(c, effects, ctx.eventId(), "restarted"))
                : ctx -> {
                    try (Connection c = db().dataSource().getConnection()) {
                        TransactionalHandlersTestBase.insert(c, effects, ctx.eventId(), "restarted");
                    }
                };
        InboxWorker worker = InboxWorker.builder(processor(store, rerun, later, "restarted"))
                .batchSize(events).transactionBatchSize(transactional ? transactionBatchSize : 1).build();
        awaitAllCompleted(worker, store, ids);

        for (String id : ids) {
            EventRecord row = store.find(id).orElseThrow();
            assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
            assertThat(row.attempts()).as("the crashed attempt counts").isEqualTo(2);
            if (transactional) {
                assertThat(notes(effects, id)).as("exactly one row for %s", id).containsExactly("restarted");
            } else {
                assertThat(notes(effects, id)).as("at-least-once: the crashed run's write stayed, the rerun wrote again")
                        .containsExactly("crashed", "restarted");
            }
        }
        assertThat(rows(effects, null)).isEqualTo(transactional ? events : 2 * events);
    }

    /**
     * Drains until every event is completed. The dead JVM's database sessions end when the server
     * notices the closed sockets; until then their rows may still be locked and skipped, so the
     * drain repeats, bounded by a generous deadline.
     */
    private static void awaitAllCompleted(InboxWorker worker, JdbcIdempotencyStore store, List<String> ids) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            int claimed = worker.drainOnce();
            if (ids.stream().allMatch(id -> store.find(id).orElseThrow().status() == EventStatus.COMPLETED)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("not every event completed after the restart: " + ids.stream()
                        .map(id -> id + "=" + store.find(id).orElseThrow().status()).toList());
            }
            if (claimed == 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    private static WebhookProcessor processor(JdbcIdempotencyStore store, WebhookHandler handler, Clock clock,
            String name) {
        return SignedEvents.processor(store, handler).mode(ProcessingMode.ASYNC).leaseDuration(CrashingWorkerMain.LEASE)
                .clock(clock).instanceId(name).build();
    }

    private int rows(String table, String eventId) throws SQLException {
        return eventId == null ? notes(table, null).size() : notes(table, eventId).size();
    }

    private List<String> notes(String table, String eventId) throws SQLException {
        String sql = "SELECT note FROM " + table + (eventId == null ? "" : " WHERE event_id = ?") + " ORDER BY note";
        return eventId == null ? TestSql.strings(db().dataSource(), sql) : TestSql.strings(db().dataSource(), sql, eventId);
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
