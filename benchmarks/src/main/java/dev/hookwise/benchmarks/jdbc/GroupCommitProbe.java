package dev.hookwise.benchmarks.jdbc;

import com.stripe.model.PaymentIntent;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.benchmarks.Load;
import dev.hookwise.benchmarks.Payloads;
import dev.hookwise.benchmarks.Results;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.jdbc.HikariDataSources;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A diagnostic, not a benchmark of Hookwise as shipped: how fast would the PostgreSQL drain of
 * {@link PlainDrain} be if completions were group-committed? The worker runs against a store whose
 * {@code complete} only hands the fenced verdict to one completer thread and answers at once; that
 * thread writes up to 200 pending completions as one JDBC batch of the same fenced {@code UPDATE}s
 * and commits once. The clock stops when every completion has committed. A completion is therefore
 * not durable when the worker moves on, which Hookwise does not allow; the figure bounds what a real
 * completion group commit (handler threads moving on, each event counted done once its group
 * committed) could reach, and shows whether the completion commit is what limits the drain.
 *
 * <pre>
 * java -cp benchmarks.jar dev.hookwise.benchmarks.jdbc.GroupCommitProbe --mode group --prefetch 32 --batch 50
 * java -cp benchmarks.jar dev.hookwise.benchmarks.jdbc.GroupCommitProbe --mode durable --prefetch 32 --batch 50
 * </pre>
 */
public final class GroupCommitProbe {

    private record Pending(ClaimToken token, long micros) {}

    @SuppressWarnings("try") // the worker runs while the try block waits
    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(Results.arg(args, "events", "5000"));
        boolean group = Results.arg(args, "mode", "group").equals("group");
        int prefetch = Integer.parseInt(Results.arg(args, "prefetch", Integer.toString(InboxWorker.DEFAULT_PREFETCH)));
        int batch = Integer.parseInt(Results.arg(args, "batch", "50"));
        String loadBefore = Load.now();
        try (HikariDataSource pool = HikariDataSources.create("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "", 12)) {
            String prefix = "probe" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "_";
            JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).tablePrefix(prefix).createSchema(true).build();
            String table = store.tableName();
            try {
                fill(store, events);
                BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
                CountDownLatch committed = new CountDownLatch(events);
                Thread completer = new Thread(() -> complete(pool, table, pending, committed), "probe-completer");
                completer.setDaemon(true);
                if (group) {
                    completer.start();
                }
                InboxStore deferring = (InboxStore) Proxy.newProxyInstance(GroupCommitProbe.class.getClassLoader(),
                        new Class<?>[] {InboxStore.class}, (proxy, method, a) -> {
                            if (group && method.getName().equals("complete")) {
                                pending.add(new Pending((ClaimToken) a[0], ((Duration) a[1]).toNanos() / 1000));
                                return UpdateResult.APPLIED;
                            }
                            try {
                                return method.invoke(store, a);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
                WebhookProcessor processor = WebhookProcessor.builder().signingSecrets("whsec_group_commit_probe")
                        .store(deferring)
                        .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", PaymentIntent.class, (pi, ctx) -> { })
                                .build())
                        .mode(ProcessingMode.ASYNC).build();
                long started = System.nanoTime();
                try (InboxWorker worker = InboxWorker.builder(processor).threads(4).pollInterval(Duration.ofMillis(10))
                        .batchSize(batch).prefetch(prefetch).build().start()) {
                    if (group) {
                        committed.await(5, TimeUnit.MINUTES);
                    } else {
                        while (count(pool, "SELECT COUNT(*) FROM " + table + " WHERE status = 'COMPLETED'") < events) {
                            TimeUnit.MILLISECONDS.sleep(5); // polling the database: this diagnostic has no listener
                        }
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                long first = count(pool, "SELECT COUNT(*) FROM " + table + " WHERE status = 'COMPLETED' AND attempts = 1");
                System.out.printf(Locale.ROOT, "postgresql, completions %s, prefetch %d, claims of up to %d: %,.0f events/s"
                        + " (%d of %d completed at their first attempt), load %s → %s%n", group ? "group-committed"
                        : "committed one by one (as shipped)", prefetch, batch, events / seconds, first, events, loadBefore,
                        Load.now());
            } finally {
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }

    /** The completer: pending completions, up to 200 per transaction, each its own fenced UPDATE. */
    private static void complete(HikariDataSource pool, String table, BlockingQueue<Pending> pending,
            CountDownLatch committed) {
        String sql = "UPDATE " + table + " SET status = 'COMPLETED', lease_until = NULL, completed_at = CURRENT_TIMESTAMP,"
                + " processing_micros = ? WHERE id = ? AND status = 'PROCESSING' AND owner = ? AND attempts = ?";
        List<Pending> chunk = new ArrayList<>();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            while (committed.getCount() > 0) {
                Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                chunk.clear();
                chunk.add(first);
                pending.drainTo(chunk, 199);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (Pending p : chunk) {
                        ps.setLong(1, p.micros());
                        ps.setString(2, p.token().eventId());
                        ps.setString(3, p.token().owner());
                        ps.setInt(4, p.token().attempt());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                    chunk.forEach(p -> committed.countDown());
                }
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException("completer failed", e);
        }
    }

    private static void fill(JdbcIdempotencyStore store, int events) {
        byte[] template = Payloads.template();
        int idOffset = Payloads.idOffset(template);
        EventEnvelope parsed = EventEnvelope.parse(template);
        for (int i = 0; i < events; i++) {
            store.enqueue(new NewEvent(Payloads.idFor(i), parsed.type(), parsed.created(), parsed.livemode(),
                    parsed.apiVersion().orElse(null), parsed.account().orElse(null), EventSource.WEBHOOK,
                    Payloads.withId(template, idOffset, i)));
        }
    }

    private static long count(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
