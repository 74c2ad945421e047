package dev.hookwise.benchmarks.jdbc;

import com.stripe.model.PaymentIntent;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.benchmarks.Load;
import dev.hookwise.benchmarks.Results;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.jdbc.HikariDataSources;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inbox drain with plain handlers (issue 16) on PostgreSQL, MariaDB and H2: how many queued events
 * per second an {@link InboxWorker} takes through claim, handler and durable completion.
 *
 * <p>Each run: a fresh event log (random prefix, dropped afterwards), {@code --events}
 * {@code payment_intent.succeeded} events (~2 KB) queued through {@link JdbcIdempotencyStore#enqueue}
 * with no worker running, then an {@link InboxWorker} with {@code --threads} threads, a 10 ms poll and
 * claims of up to 50 events is started. The handler is the quickstart's typed one: stripe-java reads
 * the {@link PaymentIntent} from {@code data.object} and the handler looks at its amount; it touches
 * no database. The rate is events ÷ time from the worker's start until the last event's completion
 * was recorded (counted by a {@link dev.hookwise.core.WebhookListener}, which hears of an event after its completion
 * committed). Every run then checks that each event is completed exactly once: none left queued or
 * processing, and the handler ran once per event. The databases and rounds take turns, each keeping
 * its best, so that someone else's burst of load does not land on one database only.
 *
 * <p>Baseline, same run, PostgreSQL only: pgbench at {@code --threads} clients committing one
 * single-row {@code INSERT} per transaction, the database's commit rate on this machine. A drain
 * whose every event needs its own durable completion cannot pass it.
 *
 * <pre>
 * java -cp benchmarks.jar dev.hookwise.benchmarks.jdbc.PlainDrain --events 5000 --rounds 3 --threads 4 \
 *      --databases postgresql,mariadb,h2 --out benchmarks/results/drain.json
 * </pre>
 */
public final class PlainDrain {

    private static final Duration POLL = Duration.ofMillis(10);
    private static final int CLAIM_BATCH = 50;

    /** A database under test. */
    record Database(String name, String url, String user, String password) {}

    private static final Map<String, Database> DATABASES = Map.of(
            "postgresql", new Database("postgresql", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", ""),
            "mariadb", new Database("mariadb", "jdbc:mariadb://127.0.0.1:3306/test", "root", ""),
            "h2", new Database("h2", "jdbc:h2:mem:hookwise_drain;DB_CLOSE_DELAY=-1", "sa", ""));

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(Results.arg(args, "events", "5000"));
        int rounds = Integer.parseInt(Results.arg(args, "rounds", "3"));
        int threads = Integer.parseInt(Results.arg(args, "threads", "4"));
        String label = Results.arg(args, "label", "");
        Path out = Path.of(Results.arg(args, "out", "benchmarks/results/drain.json"));
        List<Database> dbs = new ArrayList<>();
        for (String name : Results.arg(args, "databases", "postgresql,mariadb,h2").split(",")) {
            Database db = DATABASES.get(name.trim());
            if (db == null) {
                throw new IllegalArgumentException("unknown database " + name + ": use postgresql, mariadb, h2");
            }
            dbs.add(db);
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("label", label);
        result.put("events", events);
        result.put("threads", threads);
        result.put("rounds", rounds);
        result.put("pollMillis", POLL.toMillis());
        result.put("claimBatch", CLAIM_BATCH);
        result.put("worker", describeWorker());
        result.put("measuredAt", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        result.put("loadStart", Load.now());
        Map<String, Map<String, Object>> perDb = new LinkedHashMap<>();
        Map<String, HikariDataSource> pools = new LinkedHashMap<>();
        try {
            for (Database db : dbs) {
                Map<String, Object> entry = new LinkedHashMap<>();
                try {
                    HikariDataSource pool = HikariDataSources.create(db.url(), db.user(), db.password(), threads + 6);
                    try (Connection c = pool.getConnection()) {
                        DatabaseMetaData md = c.getMetaData();
                        entry.put("version", md.getDatabaseProductName() + " " + md.getDatabaseProductVersion());
                    }
                    pools.put(db.name(), pool);
                    entry.put("roundsEventsPerSecond", new ArrayList<Double>());
                    entry.put("roundsLoad", new ArrayList<String>());
                    entry.put("eventsPerSecond", 0.0);
                    if (db.name().equals("postgresql")) {
                        entry.put("pgbenchCommitsPerSecond", new ArrayList<Object>());
                    }
                } catch (SQLException | RuntimeException e) {
                    entry.put("skipped", "not reachable: " + e.getMessage());
                    System.out.println(db.name() + ": not reachable, skipped (" + e.getMessage() + ")");
                }
                perDb.put(db.name(), entry);
            }
            result.put("databases", perDb);
            for (int round = 1; round <= rounds; round++) {
                for (Database db : dbs) {
                    HikariDataSource pool = pools.get(db.name());
                    if (pool == null) {
                        continue;
                    }
                    Map<String, Object> entry = perDb.get(db.name());
                    if (db.name().equals("postgresql")) {
                        Object commits = pgbenchCommits(db, threads);
                        @SuppressWarnings("unchecked")
                        List<Object> baseline = (List<Object>) entry.get("pgbenchCommitsPerSecond");
                        baseline.add(commits);
                        System.out.printf(Locale.ROOT, "round %d  %-12s pgbench %s commits/s at %d clients%n", round,
                                db.name(), commits, threads);
                    }
                    String loadBefore = Load.now();
                    double rate = run(pool, events, threads);
                    @SuppressWarnings("unchecked")
                    List<Double> rates = (List<Double>) entry.get("roundsEventsPerSecond");
                    rates.add(rate);
                    @SuppressWarnings("unchecked")
                    List<String> loads = (List<String>) entry.get("roundsLoad");
                    loads.add(loadBefore + " → " + Load.now());
                    entry.put("eventsPerSecond", Math.max((Double) entry.get("eventsPerSecond"), rate));
                    System.out.printf(Locale.ROOT, "round %d  %-12s %,8.0f events/s   load %s → %s%n", round, db.name(),
                            rate, loadBefore, Load.now());
                    Results.write(out, result);
                }
            }
        } finally {
            pools.values().forEach(HikariDataSource::close);
        }
        result.put("loadEnd", Load.now());
        Results.write(out, result);
        System.out.println("wrote " + out);
    }

    /** The worker's defaults that matter here, as the jar under test has them (read reflectively). */
    private static Map<String, Object> describeWorker() {
        Map<String, Object> d = new LinkedHashMap<>();
        for (java.lang.reflect.Field f : InboxWorker.class.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("DEFAULT_")) {
                try {
                    d.put(f.getName(), String.valueOf(f.get(null)));
                } catch (IllegalAccessException e) {
                    d.put(f.getName(), "?");
                }
            }
        }
        return d;
    }

    /** One drain of {@code events} events; returns events per second. */
    static double run(HikariDataSource pool, int events, int threads) throws Exception {
        String prefix = "bench" + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40), 36) + "_";
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).tablePrefix(prefix).createSchema(true).build();
        try {
            TransactionalDrain.fill(store, events);
            CountDownLatch recorded = new CountDownLatch(events);
            LongAdder runs = new LongAdder();
            WebhookProcessor processor = WebhookProcessor.builder()
                    .signingSecrets("whsec_benchmark_plain_drain")
                    .store(store)
                    .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", PaymentIntent.class, (pi, ctx) -> {
                        if (pi.getAmount() != null) {
                            runs.increment();
                        }
                    }).build())
                    .mode(ProcessingMode.ASYNC)
                    .listener(TransactionalDrain.countProcessed(recorded))
                    .build();
            InboxWorker worker = InboxWorker.builder(processor).threads(threads).pollInterval(POLL)
                    .batchSize(CLAIM_BATCH).build();
            long started = System.nanoTime();
            worker.start();
            boolean done;
            double seconds;
            try {
                done = recorded.await(10, TimeUnit.MINUTES);
                seconds = (System.nanoTime() - started) / 1e9;
            } finally {
                worker.close();
            }
            if (!done) {
                throw new IllegalStateException("only " + (events - recorded.getCount()) + " of " + events
                        + " events recorded in 10 minutes");
            }
            check(pool, store.tableName(), events, runs.sum());
            return events / seconds;
        } finally {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + store.tableName());
            }
        }
    }

    /** Every event completed, the handler ran once per event: a run that lost or doubled work is void. */
    private static void check(HikariDataSource pool, String log, int events, long handlerRuns) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            long completed = TransactionalDrain.one(s, "SELECT COUNT(*) FROM " + log + " WHERE status = 'COMPLETED' AND attempts = 1");
            long all = TransactionalDrain.one(s, "SELECT COUNT(*) FROM " + log);
            if (completed != events || all != events || handlerRuns != events) {
                throw new IllegalStateException("expected " + events + " events completed at their first attempt, one"
                        + " handler run each, but found " + completed + " of " + all + " so, and " + handlerRuns + " runs");
            }
        }
    }

    /**
     * pgbench, {@code clients} clients for 5 s, each transaction one single-row {@code INSERT}: the
     * commit rate of the PostgreSQL server right now. Returns commits/s, or the error as text.
     */
    private static Object pgbenchCommits(Database db, int clients) {
        String table = "bench_commits_" + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40), 36);
        try (HikariDataSource ds = HikariDataSources.create(db.url(), db.user(), db.password(), 1)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (n BIGINT NOT NULL)");
            }
            Path file = Files.createTempFile("hookwise-pgbench-", ".sql");
            try {
                Files.writeString(file, "\\set n random(1, 1000000000)\nINSERT INTO " + table + " (n) VALUES (:n);\n",
                        StandardCharsets.UTF_8);
                List<String> cmd = List.of("pgbench", "-n", "-M", "prepared", "-h", "127.0.0.1", "-p", "5432", "-U",
                        db.user(), "-c", Integer.toString(clients), "-j", "2", "-T", "5", "-f", file.toString(), "test");
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int rc = p.waitFor();
                Matcher m = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(output);
                if (rc != 0 || !m.find()) {
                    return "pgbench exited " + rc + ": " + output.strip();
                }
                return Math.round(Double.parseDouble(m.group(1)));
            } finally {
                Files.deleteIfExists(file);
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        } catch (IOException | SQLException e) {
            return "pgbench failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
