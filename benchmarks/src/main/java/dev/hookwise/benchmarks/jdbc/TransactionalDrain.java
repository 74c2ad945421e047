package dev.hookwise.benchmarks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.benchmarks.Load;
import dev.hookwise.benchmarks.Payloads;
import dev.hookwise.benchmarks.Results;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookListener;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.jdbc.HikariDataSources;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.jdbc.JdbcTransactional;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Inbox drain on PostgreSQL with handlers that insert one row each (issue 15): transactional
 * handlers, whose insert commits with the event's completion, one event per transaction and in
 * transaction batches, against plain handlers doing the same insert on a connection of their own
 * (auto-commit) before the completion commits separately.
 *
 * <p>Each run: a fresh event log and effects table (random prefix, dropped afterwards),
 * {@code --events} {@code payment_intent.succeeded} events (~2 KB) queued through
 * {@link JdbcIdempotencyStore#enqueue} with no worker running, then an {@link InboxWorker} with
 * {@code --threads} threads and a 10 ms poll is started; the rate is events ÷ time from its start
 * until the last event's verdict was recorded (counted by a {@link WebhookListener}). Every run then
 * checks that each event has exactly one row and is completed. The workloads take turns for
 * {@code --rounds} rounds, each keeping its best, so that a burst of someone else's load does not land
 * on one workload only; every round's rate is in the JSON.
 *
 * <pre>
 * java -cp benchmarks.jar dev.hookwise.benchmarks.jdbc.TransactionalDrain --events 5000 --rounds 3 \
 *      --threads 4 --transaction-batches 1,10,25,50 --out benchmarks/results/txdrain.json
 * </pre>
 */
public final class TransactionalDrain {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";
    private static final Duration POLL = Duration.ofMillis(10);
    /** Claims per poll when events run one by one: the tuned worker of the HTTP drain benchmark. */
    private static final int PLAIN_BATCH = 50;

    /** One worker configuration. */
    record Workload(String name, boolean transactional, int transactionBatchSize, int claimBatch) {}

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(Results.arg(args, "events", "5000"));
        int rounds = Integer.parseInt(Results.arg(args, "rounds", "3"));
        int threads = Integer.parseInt(Results.arg(args, "threads", "4"));
        Path out = Path.of(Results.arg(args, "out", "benchmarks/results/txdrain.json"));
        List<Workload> workloads = new ArrayList<>();
        workloads.add(new Workload("plain", false, 1, PLAIN_BATCH));
        for (String t : Results.arg(args, "transaction-batches", "1,10,25,50").split(",")) {
            int size = Integer.parseInt(t.trim());
            workloads.add(new Workload("transactional, " + size + (size == 1 ? " event" : " events") + " per transaction",
                    true, size, Math.max(PLAIN_BATCH, threads * size)));
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("database", "postgresql");
        result.put("events", events);
        result.put("threads", threads);
        result.put("rounds", rounds);
        result.put("pollMillis", POLL.toMillis());
        result.put("measuredAt", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        result.put("loadStart", Load.now());
        Map<String, Map<String, Object>> perWorkload = new LinkedHashMap<>();
        for (Workload w : workloads) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", w.name());
            entry.put("transactional", w.transactional());
            entry.put("transactionBatchSize", w.transactionBatchSize());
            entry.put("claimBatch", w.claimBatch());
            entry.put("roundsEventsPerSecond", new ArrayList<Double>());
            entry.put("roundsLoad", new ArrayList<String>());
            entry.put("eventsPerSecond", 0.0);
            perWorkload.put(w.name(), entry);
        }
        result.put("workloads", perWorkload.values());
        try (HikariDataSource pool = HikariDataSources.create(URL, USER, null, threads + 6)) {
            for (int round = 1; round <= rounds; round++) {
                for (Workload w : workloads) {
                    String loadBefore = Load.now();
                    double rate = run(pool, w, events, threads);
                    Map<String, Object> entry = perWorkload.get(w.name());
                    @SuppressWarnings("unchecked")
                    List<Double> rates = (List<Double>) entry.get("roundsEventsPerSecond");
                    rates.add(rate);
                    @SuppressWarnings("unchecked")
                    List<String> loads = (List<String>) entry.get("roundsLoad");
                    loads.add(loadBefore + " → " + Load.now());
                    entry.put("eventsPerSecond", Math.max((Double) entry.get("eventsPerSecond"), rate));
                    System.out.printf(Locale.ROOT, "round %d  %-44s %,8.0f events/s   load %s%n", round, w.name(), rate,
                            Load.now());
                    Results.write(out, result);
                }
            }
        } catch (SQLException e) {
            result.put("skipped", "PostgreSQL at 127.0.0.1:5432 unreachable: " + e.getMessage());
            System.out.println("PostgreSQL unreachable, skipped: " + e.getMessage());
        }
        result.put("loadEnd", Load.now());
        Results.write(out, result);
        System.out.println("wrote " + out);
    }

    /** One drain of {@code events} events; returns events per second. */
    static double run(HikariDataSource pool, Workload w, int events, int threads) throws Exception {
        String prefix = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
        String effects = prefix + "effects";
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).tablePrefix(prefix).createSchema(true).build();
        try {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + effects + " (event_id VARCHAR(255) NOT NULL, amount BIGINT NOT NULL)");
            }
            fill(store, events);
            CountDownLatch recorded = new CountDownLatch(events);
            WebhookHandler handler = w.transactional()
                    ? JdbcTransactional.handler((ctx, c) -> insert(c, effects, ctx.eventId()))
                    : ctx -> {
                        try (Connection c = pool.getConnection()) {
                            insert(c, effects, ctx.eventId());
                        }
                    };
            WebhookProcessor processor = WebhookProcessor.builder()
                    .signingSecrets("whsec_benchmark_transactional_drain")
                    .store(store)
                    .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", handler).build())
                    .mode(ProcessingMode.ASYNC)
                    .listener(countProcessed(recorded))
                    .build();
            InboxWorker worker = InboxWorker.builder(processor).threads(threads).pollInterval(POLL)
                    .batchSize(w.claimBatch()).transactionBatchSize(w.transactionBatchSize()).build();
            long started = System.nanoTime();
            worker.start();
            boolean done;
            try {
                done = recorded.await(10, TimeUnit.MINUTES);
            } finally {
                worker.close();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (!done) {
                throw new IllegalStateException(w.name() + ": only " + (events - recorded.getCount()) + " of " + events
                        + " events recorded in 10 minutes");
            }
            check(pool, store.tableName(), effects, events);
            return events / seconds;
        } finally {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + effects);
                s.execute("DROP TABLE IF EXISTS " + store.tableName());
            }
        }
    }

    private static void insert(Connection c, String table, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (event_id, amount) VALUES (?, ?)")) {
            ps.setString(1, eventId);
            ps.setLong(2, 4999);
            ps.executeUpdate();
        }
    }

    /** Queues {@code events} events through the store's own enqueue, on four threads; not timed. */
    /**
     * Counts {@code recorded} down once per event processed. The processor tells its listeners after
     * the event's completion has committed, so the count is of durable completions.
     */
    static WebhookListener countProcessed(CountDownLatch recorded) {
        return new WebhookListener() {
            @Override
            public void onHandled(String type, Outcome outcome, Duration elapsed, boolean dead) {
                if (outcome == Outcome.PROCESSED) {
                    recorded.countDown();
                }
            }
        };
    }

    static void fill(JdbcIdempotencyStore store, int events) throws Exception {
        byte[] template = Payloads.template();
        int idOffset = Payloads.idOffset(template);
        EventEnvelope parsed = EventEnvelope.parse(template);
        ExecutorService fillers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                done.add(fillers.submit(() -> {
                    for (int i = first; i < events; i += 4) {
                        String id = Payloads.idFor(i);
                        byte[] body = Payloads.withId(template, idOffset, i);
                        store.enqueue(new NewEvent(id, parsed.type(), parsed.created(), parsed.livemode(),
                                parsed.apiVersion().orElse(null), parsed.account().orElse(null), EventSource.WEBHOOK, body));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            fillers.shutdownNow();
        }
    }

    /** Every event completed, exactly one effect row each: a benchmark that lost or doubled work is void. */
    private static void check(HikariDataSource pool, String log, String effects, int events) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            long completed = one(s, "SELECT COUNT(*) FROM " + log + " WHERE status = 'COMPLETED'");
            long rows = one(s, "SELECT COUNT(*) FROM " + effects);
            long distinct = one(s, "SELECT COUNT(DISTINCT event_id) FROM " + effects);
            if (completed != events || rows != events || distinct != events) {
                throw new IllegalStateException("expected " + events + " completed events with one row each, but found "
                        + completed + " completed, " + rows + " rows for " + distinct + " events");
            }
        }
    }

    static long one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
