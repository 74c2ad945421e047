package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookRequest;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.jdbc.multi.EffectRecorder;
import dev.hookwise.jdbc.multi.Instance;
import dev.hookwise.jdbc.multi.SecondInstanceMain;
import dev.hookwise.jdbc.multi.SignedEvents;
import dev.hookwise.testkit.MutableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, item 7: several application instances share one event log, and every handler effect
 * still happens exactly once. Each instance has its own pool, store and processor; one test runs
 * the second instance in another JVM. Subclasses pick the database.
 */
abstract class MultiInstanceTestBase {

    static final int EVENTS = 5_000;
    static final int COPIES = 3;
    static final int THREADS = 8;
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Test
    void twoProcessorsWithTheirOwnPoolsRunEveryEffectExactlyOnce() throws Exception {
        String effects = newEffectsTable("pools");
        List<WebhookRequest> deliveries = SignedEvents.deliveries(run, EVENTS, COPIES);
        long started = System.nanoTime();

        Instance.Tally a;
        Instance.Tally b;
        ExecutorService secondRunner = Executors.newSingleThreadExecutor();
        try (Instance first = start(effects, "pool-a"); Instance second = start(effects, "pool-b")) {
            Future<Instance.Tally> other = secondRunner.submit(() -> second.deliver(deliveries, THREADS));
            a = first.deliver(deliveries, THREADS);
            b = other.get(3, TimeUnit.MINUTES);
        } finally {
            secondRunner.shutdownNow();
        }
        report("two pools", started);

        assertExactlyOnce(effects, List.of(a, b));
    }

    @Test
    void aSecondJvmAndThisJvmRunEveryEffectExactlyOnce() throws Exception {
        String effects = newEffectsTable("jvms");
        List<WebhookRequest> deliveries = SignedEvents.deliveries(run, EVENTS, COPIES);
        Path childErrors = Files.createTempFile("hookwise-second-jvm", ".log");
        Process child = new ProcessBuilder(javaCommand(), "-Duser.timezone=America/Sao_Paulo", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), SecondInstanceMain.class.getName(),
                db().remoteUrl(), db().database.user, db().database.password, db().prefix(), effects, run,
                Integer.toString(EVENTS), Integer.toString(COPIES), Integer.toString(THREADS))
                .redirectError(childErrors.toFile())
                .start();
        try (Instance here = start(effects, "jvm1");
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
            assertThat(out.readLine()).as("second JVM start-up; its stderr: %s", childErrors).isEqualTo("READY");
            long started = System.nanoTime();
            in.write("GO\n");
            in.flush();

            Instance.Tally mine = here.deliver(deliveries, THREADS);
            String result = out.readLine();
            assertThat(child.waitFor(3, TimeUnit.MINUTES)).as("second JVM finished").isTrue();
            report("two JVMs", started);

            assertThat(child.exitValue()).as("second JVM exit code; its stderr: %s", childErrors).isZero();
            assertThat(result).as("second JVM report; its stderr: %s", childErrors).startsWith("RESULT ");
            assertExactlyOnce(effects, List.of(mine, Instance.Tally.parse(result)));
        } finally {
            child.destroyForcibly();
        }
        Files.deleteIfExists(childErrors);
    }

    @Test
    void crashedOwnersEventIsProcessedByAnotherInstanceAfterItsLeaseAndTheLateCompleteIsLost() throws Exception {
        String effects = newEffectsTable("crash");
        MutableClock clock = MutableClock.now();
        Duration lease = Duration.ofMinutes(1);
        String payload = SignedEvents.payload(run, 0, clock.instant());
        String id = SignedEvents.id(run, 0);

        try (Instance crashing = start(effects, "crashing", clock, lease, null);
                Instance survivor = start(effects, "survivor", clock, lease, null)) {
            // The first owner claims, then its process dies inside the handler: no verdict, no heartbeat.
            // (Anything a handler throws in-process, Errors included, is recorded; only a dead process
            // leaves a claim without a verdict, so the claim is made here as that process made it.)
            EventEnvelope envelope = EventEnvelope.parse(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String deadOwner = "crashing-1";
            assertThat(crashing.store.claim(new NewEvent(envelope.id(), envelope.type(), envelope.created(),
                    envelope.livemode(), null, null, EventSource.WEBHOOK, envelope.rawBytes()), deadOwner, lease)
                    .isClaimed()).isTrue();
            EventRecord orphan = survivor.store.find(id).orElseThrow();
            assertThat(orphan.status()).isEqualTo(EventStatus.PROCESSING);

            // While the lease holds, the other instance must not touch it.
            assertThat(survivor.processor.process(SignedEvents.sign(payload, clock.instant())).outcome())
                    .isEqualTo(Outcome.IN_PROGRESS);

            clock.advance(lease.plusSeconds(1));
            assertThat(survivor.processor.process(SignedEvents.sign(payload, clock.instant())).outcome())
                    .isEqualTo(Outcome.PROCESSED);
            EventRecord done = survivor.store.find(id).orElseThrow();
            assertThat(done.status()).isEqualTo(EventStatus.COMPLETED);
            assertThat(done.attempts()).isEqualTo(2);
            assertThat(done.owner()).startsWith("survivor-");

            // The first owner comes back late: nothing it says changes the result.
            assertThat(crashing.store.complete(new ClaimToken(id, deadOwner, 1), Duration.ofMinutes(2))).isEqualTo(UpdateResult.LEASE_LOST);
            assertThat(crashing.store.markDead(new ClaimToken(id, deadOwner, 1), "late"))
                    .isEqualTo(UpdateResult.LEASE_LOST);
            assertThat(crashing.store.find(id).orElseThrow()).isEqualTo(done);
            assertThat(crashing.processor.process(SignedEvents.sign(payload, clock.instant())).outcome())
                    .isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(count("SELECT COUNT(*) FROM " + effects + " WHERE event_id = ? AND instance = 'survivor'", id))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM " + effects, null)).isEqualTo(1);
    }

    private void assertExactlyOnce(String effects, List<Instance.Tally> tallies) throws SQLException {
        assertThat(tallies).allSatisfy(t -> {
            assertThat(t.errors()).as("deliveries that threw").isZero();
            assertThat(t.duplicateEffects()).as("effects applied twice").isZero();
            assertThat(t.outcomes().keySet())
                    .isSubsetOf(Outcome.PROCESSED, Outcome.DUPLICATE, Outcome.IN_PROGRESS);
            assertThat(t.outcomes().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(EVENTS * COPIES);
        });
        assertThat(tallies.stream().mapToInt(Instance.Tally::invocations).sum()).as("handler runs").isEqualTo(EVENTS);
        assertThat(tallies.stream().mapToInt(t -> t.count(Outcome.PROCESSED)).sum()).isEqualTo(EVENTS);
        assertThat(count("SELECT COUNT(*) FROM " + effects, null)).as("effect rows").isEqualTo(EVENTS);
        String log = db().prefix() + "event_log";
        assertThat(count("SELECT COUNT(*) FROM " + log + " WHERE id LIKE ?", "evt_" + run + "_%")).isEqualTo(EVENTS);
        assertThat(count("SELECT COUNT(*) FROM " + log + " WHERE id LIKE ? AND status = 'COMPLETED' AND attempts = 1",
                "evt_" + run + "_%")).as("events completed on the first attempt").isEqualTo(EVENTS);
    }

    private Instance start(String effects, String name) {
        return start(effects, name, Clock.systemUTC(), LEASE, null);
    }

    private Instance start(String effects, String name, Clock clock, Duration lease,
            dev.hookwise.core.WebhookHandler handler) {
        return Instance.start(db().url(), db().database.user, db().database.password, db().prefix(), effects, name,
                clock, lease, THREADS, handler);
    }

    private String newEffectsTable(String label) throws SQLException {
        String table = db().table("fx_" + label + "_" + run.substring(0, 4).toLowerCase(Locale.ROOT));
        EffectRecorder.createTable(db().dataSource(), table);
        return table;
    }

    private int count(String sql, String param) throws SQLException {
        try (Connection c = db().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setString(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void report(String what, long startedNanos) {
        System.out.printf(Locale.ROOT, "%s, %s: %,d events x %d copies per instance in %d ms%n",
                db().database, what, EVENTS, COPIES, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
