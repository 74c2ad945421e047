package dev.hookwise.benchmarks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.benchmarks.Load;
import dev.hookwise.benchmarks.Results;
import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.jdbc.HikariDataSources;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Claim + complete throughput of {@link JdbcIdempotencyStore} on PostgreSQL, MariaDB and H2, at
 * several thread counts, with a fixed number of events per run, each run in a table of its own
 * (random prefix) that is dropped afterwards. Against two baselines:
 *
 * <ul>
 *   <li><b>pgbench</b> (PostgreSQL only) running the same two statements from
 *       {@code benchmarks/pgbench/claim_complete.sql}: the database's own ceiling for this work;</li>
 *   <li><b>naive</b>: what people write first. {@code SELECT} by id; if absent, process, then
 *       {@code INSERT} (a duplicate-key error is logged and ignored); no lock, no lease. Run on a
 *       delivery stream where every event arrives twice, back to back, so that two threads often
 *       hold the same event at once, as when Stripe retries while the first attempt is still
 *       running. Every handler run is counted per event; an event run twice is a duplicate.
 *       Hookwise runs on the same stream and counts the same way.</li>
 * </ul>
 *
 * <p>Payloads are not stored ({@code keepPayloads(false)}), so that Hookwise, pgbench and naive
 * write the same row.
 *
 * <pre>
 * java -cp benchmarks.jar dev.hookwise.benchmarks.jdbc.JdbcThroughput --events 4000 --threads 1,4,16 \
 *      --databases postgresql,mariadb,h2 --pgbench-script benchmarks/pgbench/claim_complete.sql \
 *      --out benchmarks/results/jdbc.json
 * </pre>
 */
public final class JdbcThroughput {

    static final Duration LEASE = Duration.ofMinutes(5);
    static final String TYPE = "payment_intent.succeeded";
    static final String API_VERSION = "2026-07-29.dahlia";

    /** A database under test. */
    record Database(String name, String url, String user, String password) {}

    static final Map<String, Database> DATABASES = Map.of(
            "postgresql", new Database("postgresql", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", null),
            "mariadb", new Database("mariadb", "jdbc:mariadb://127.0.0.1:3306/test", "root", ""),
            "h2", new Database("h2", "jdbc:h2:mem:hookwise_bench;DB_CLOSE_DELAY=-1", "sa", ""));

    /** Which workloads to run (all by default; a profiling run picks one). */
    static List<String> workloads = List.of();
    /** Rounds per workload and thread count (best kept). */
    static int rounds = 2;

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(Results.arg(args, "events", "4000"));
        List<Integer> threadCounts = new ArrayList<>();
        for (String t : Results.arg(args, "threads", "1,4,16").split(",")) {
            threadCounts.add(Integer.parseInt(t.trim()));
        }
        String[] dbs = Results.arg(args, "databases", "postgresql,mariadb,h2").split(",");
        Path script = Path.of(Results.arg(args, "pgbench-script", "benchmarks/pgbench/claim_complete.sql"));
        Path out = Path.of(Results.arg(args, "out", "benchmarks/results/jdbc.json"));
        rounds = Integer.parseInt(Results.arg(args, "rounds", "2"));
        workloads = List.of(Results.arg(args, "workloads", "hookwise,pgbench,hookwise-twice,naive-twice").split(","));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("eventsPerRun", events);
        result.put("threads", threadCounts);
        result.put("rounds", rounds);
        result.put("loadStart", Load.now());
        Map<String, Object> perDb = new LinkedHashMap<>();
        for (String name : dbs) {
            Database db = DATABASES.get(name.trim());
            if (db == null) {
                throw new IllegalArgumentException("unknown database " + name + ": use postgresql, mariadb, h2");
            }
            perDb.put(db.name(), runDatabase(db, events, threadCounts, script));
            Results.write(out, withDbs(result, perDb)); // keep what is done if a later database fails
        }
        result.put("loadEnd", Load.now());
        Results.write(out, withDbs(result, perDb));
        System.out.println("wrote " + out);
    }

    private static Map<String, Object> withDbs(Map<String, Object> result, Map<String, Object> perDb) {
        result.put("databases", perDb);
        return result;
    }

    static Map<String, Object> runDatabase(Database db, int events, List<Integer> threadCounts, Path script) {
        Map<String, Object> out = new LinkedHashMap<>();
        String version;
        try (HikariDataSource ds = pool(db, 1); Connection c = ds.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            version = md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
        } catch (SQLException | RuntimeException e) {
            System.out.println(db.name() + ": not reachable, skipped (" + e.getMessage() + ")");
            out.put("skipped", "not reachable: " + e.getMessage());
            return out;
        }
        out.put("version", version);
        System.out.println("== " + db.name() + " (" + version + ")");
        // Warm the JIT and the database's caches on a throwaway table; not recorded.
        hookwiseUnique(db, Math.min(events, 1000), 4);
        if (workloads.contains("naive-twice")) {
            naiveDuplicates(db, Math.min(events, 1000), 4);
        }

        List<Map<String, Object>> runs = new ArrayList<>();
        for (int threads : threadCounts) {
            // Other work shares this machine and these database servers: the workloads take turns,
            // round after round, and each keeps its best round, so that a burst of someone else's
            // load does not land on one side of a comparison only. Every round is kept in the JSON.
            Map<String, List<Map<String, Object>>> byWorkload = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                if (workloads.contains("hookwise")) {
                    byWorkload.computeIfAbsent("hookwise", k -> new ArrayList<>()).add(print(db, hookwiseUnique(db, events, threads)));
                }
                if (db.name().equals("postgresql") && workloads.contains("pgbench")) {
                    byWorkload.computeIfAbsent("pgbench", k -> new ArrayList<>()).add(print(db, pgbench(db, events, threads, script)));
                }
                if (workloads.contains("hookwise-twice")) {
                    byWorkload.computeIfAbsent("hookwise-twice", k -> new ArrayList<>()).add(print(db, hookwiseDuplicates(db, events, threads)));
                }
                if (workloads.contains("naive-twice")) {
                    byWorkload.computeIfAbsent("naive-twice", k -> new ArrayList<>()).add(print(db, naiveDuplicates(db, events, threads)));
                }
            }
            byWorkload.values().forEach(list -> runs.add(best(list)));
        }
        out.put("runs", runs);
        return out;
    }

    /** The round with the highest rate, with every round's rate and the duplicates of all rounds added up. */
    static Map<String, Object> best(List<Map<String, Object>> rounds) {
        Map<String, Object> best = null;
        List<Object> rates = new ArrayList<>();
        long duplicates = 0;
        boolean anyDuplicates = false;
        for (Map<String, Object> r : rounds) {
            double rate = ((Number) r.getOrDefault("eventsPerSecond", 0)).doubleValue();
            rates.add(rate);
            if (r.get("duplicates") instanceof Number n) {
                duplicates += n.longValue();
                anyDuplicates = true;
            }
            if (best == null || rate > ((Number) best.getOrDefault("eventsPerSecond", 0)).doubleValue()) {
                best = r;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>(best);
        out.put("rounds", rounds.size());
        out.put("roundsEventsPerSecond", rates);
        if (anyDuplicates) {
            out.put("duplicatesAllRounds", duplicates);
        }
        return out;
    }

    private static Map<String, Object> print(Database db, Map<String, Object> run) {
        System.out.printf(Locale.ROOT, "%-10s %-20s threads=%-3s %10.0f /s %s%n", db.name(), run.get("workload"),
                run.get("threads"), ((Number) run.getOrDefault("eventsPerSecond", 0)).doubleValue(),
                run.containsKey("duplicates") ? "duplicates=" + run.get("duplicates") : "");
        return run;
    }

    static HikariDataSource pool(Database db, int size) {
        return HikariDataSources.create(db.url(), db.user(), db.password(), size);
    }

    static String newPrefix() {
        return "bench" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "_";
    }

    static NewEvent event(String id) {
        return new NewEvent(id, TYPE, Instant.now().truncatedTo(ChronoUnit.SECONDS), false, API_VERSION, null,
                EventSource.WEBHOOK, null);
    }

    // ------------------------------------------------------------------ Hookwise, every event new

    static Map<String, Object> hookwiseUnique(Database db, int events, int threads) {
        String prefix = newPrefix();
        try (HikariDataSource ds = pool(db, threads)) {
            JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(ds).tablePrefix(prefix).createSchema(true)
                    .keepPayloads(false).build();
            try {
                LongAdder notClaimed = new LongAdder();
                LongAdder lost = new LongAdder();
                AtomicInteger next = new AtomicInteger();
                String owner0 = "bench-";
                Timed t = runThreads(threads, worker -> {
                    for (int i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
                        String id = "evt_hw_" + i;
                        String owner = owner0 + worker + "-" + i;
                        ClaimResult claim = store.claim(event(id), owner, LEASE);
                        if (claim.status() != ClaimResult.Status.CLAIMED) {
                            notClaimed.increment();
                            continue;
                        }
                        if (store.complete(new ClaimToken(id, owner, 1), Duration.ofNanos(1234_000)) != UpdateResult.APPLIED) {
                            lost.increment();
                        }
                    }
                });
                Map<String, Object> run = run("hookwise", threads, events, t);
                run.put("errors", notClaimed.sum() + lost.sum());
                return run;
            } finally {
                dropTables(ds, prefix);
            }
        }
    }

    // ------------------------------------------------------------------ every event twice, concurrently

    /** Deliveries: event k at positions 2k and 2k+1, so two threads usually take it at the same time. */
    static String deliveryId(String tag, int delivery) {
        return "evt_" + tag + "_" + (delivery / 2);
    }

    static Map<String, Object> hookwiseDuplicates(Database db, int deliveries, int threads) {
        String prefix = newPrefix();
        try (HikariDataSource ds = pool(db, threads)) {
            JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(ds).tablePrefix(prefix).createSchema(true)
                    .keepPayloads(false).build();
            try {
                Map<String, AtomicInteger> runsPerEvent = new ConcurrentHashMap<>();
                AtomicInteger next = new AtomicInteger();
                LongAdder lost = new LongAdder();
                Timed t = runThreads(threads, worker -> {
                    for (int i = next.getAndIncrement(); i < deliveries; i = next.getAndIncrement()) {
                        String id = deliveryId("hwd", i);
                        String owner = "bench-" + worker + "-" + i;
                        ClaimResult claim = store.claim(event(id), owner, LEASE);
                        if (claim.status() == ClaimResult.Status.CLAIMED) {
                            runsPerEvent.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                            if (store.complete(new ClaimToken(id, owner, 1), Duration.ofNanos(1234_000)) != UpdateResult.APPLIED) {
                                lost.increment();
                            }
                        }
                    }
                });
                Map<String, Object> run = run("hookwise-twice", threads, deliveries, t);
                countDuplicates(run, runsPerEvent, deliveries / 2);
                run.put("errors", lost.sum());
                return run;
            } finally {
                dropTables(ds, prefix);
            }
        }
    }

    static Map<String, Object> naiveDuplicates(Database db, int deliveries, int threads) {
        String prefix = newPrefix();
        try (HikariDataSource ds = pool(db, threads)) {
            // The same table as Hookwise's (created by its schema file), used naively.
            JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(ds).tablePrefix(prefix).createSchema(true)
                    .keepPayloads(false).build();
            String table = store.tableName();
            String select = "SELECT status FROM " + table + " WHERE id = ?";
            String insert = "INSERT INTO " + table + " (id, type, created, livemode, api_version, account, status,"
                    + " attempts, owner, received_at, started_at, completed_at, processing_micros, source, payload)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 'COMPLETED', 1, ?, ?, ?, ?, ?, 'WEBHOOK', NULL)";
            boolean utcLocal = db.name().equals("mariadb");
            try {
                Map<String, AtomicInteger> runsPerEvent = new ConcurrentHashMap<>();
                AtomicInteger next = new AtomicInteger();
                LongAdder insertConflicts = new LongAdder();
                Timed t = runThreads(threads, worker -> {
                    for (int i = next.getAndIncrement(); i < deliveries; i = next.getAndIncrement()) {
                        String id = deliveryId("nv", i);
                        try (Connection c = ds.getConnection()) {
                            boolean seen;
                            try (PreparedStatement ps = c.prepareStatement(select)) {
                                ps.setString(1, id);
                                try (ResultSet rs = ps.executeQuery()) {
                                    seen = rs.next();
                                }
                            }
                            if (seen) {
                                continue;
                            }
                            long startNanos = System.nanoTime();
                            runsPerEvent.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                            Instant now = Instant.now();
                            try (PreparedStatement ps = c.prepareStatement(insert)) {
                                ps.setString(1, id);
                                ps.setString(2, TYPE);
                                setInstant(ps, 3, now, utcLocal);
                                ps.setBoolean(4, false);
                                ps.setString(5, API_VERSION);
                                ps.setString(6, null);
                                ps.setString(7, "naive-" + worker);
                                setInstant(ps, 8, now, utcLocal);
                                setInstant(ps, 9, now, utcLocal);
                                setInstant(ps, 10, now, utcLocal);
                                ps.setLong(11, (System.nanoTime() - startNanos) / 1000);
                                ps.executeUpdate();
                            } catch (SQLException e) {
                                if (!isDuplicateKey(e)) {
                                    throw e;
                                }
                                insertConflicts.increment(); // "already recorded": logged and ignored
                            }
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
                Map<String, Object> run = run("naive-twice", threads, deliveries, t);
                countDuplicates(run, runsPerEvent, deliveries / 2);
                run.put("insertConflicts", insertConflicts.sum());
                return run;
            } finally {
                dropTables(ds, prefix);
            }
        }
    }

    private static void setInstant(PreparedStatement ps, int index, Instant value, boolean utcLocal)
            throws SQLException {
        Instant micros = value.truncatedTo(ChronoUnit.MICROS);
        if (utcLocal) {
            ps.setObject(index, java.time.LocalDateTime.ofInstant(micros, ZoneOffset.UTC));
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(micros, ZoneOffset.UTC));
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 1062 || "23000".equals(e.getSQLState());
    }

    private static void countDuplicates(Map<String, Object> run, Map<String, AtomicInteger> runsPerEvent,
            int distinctEvents) {
        long twice = runsPerEvent.values().stream().filter(n -> n.get() > 1).count();
        long never = distinctEvents - runsPerEvent.size();
        run.put("distinctEvents", distinctEvents);
        run.put("duplicates", twice);
        run.put("neverProcessed", never);
    }

    // ------------------------------------------------------------------ pgbench

    static Map<String, Object> pgbench(Database db, int events, int threads, Path script) {
        String prefix = newPrefix();
        try (HikariDataSource ds = pool(db, 1)) {
            JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(ds).tablePrefix(prefix).createSchema(true)
                    .keepPayloads(false).build();
            try {
                Path file = Files.createTempFile("hookwise-pgbench-", ".sql");
                try {
                    String text = Files.readString(script, StandardCharsets.UTF_8)
                            .replace("hookwise_event_log", store.tableName());
                    Files.writeString(file, text, StandardCharsets.UTF_8);
                    int perClient = Math.max(1, events / threads);
                    List<String> cmd = List.of("pgbench", "-n", "-M", "prepared", "-h", "127.0.0.1", "-p", "5432",
                            "-U", db.user(), "-c", Integer.toString(threads),
                            "-j", Integer.toString(Math.min(threads, Runtime.getRuntime().availableProcessors())),
                            "-t", Integer.toString(perClient), "-f", file.toString(), "test");
                    String loadStart = Load.now();
                    long start = System.nanoTime();
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    int rc = p.waitFor();
                    long nanos = System.nanoTime() - start;
                    Map<String, Object> run = new LinkedHashMap<>();
                    run.put("workload", "pgbench");
                    run.put("threads", threads);
                    run.put("events", perClient * threads);
                    Matcher m = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(output);
                    Matcher failed = Pattern.compile("number of failed transactions: (\\d+)").matcher(output);
                    if (rc != 0 || !m.find()) {
                        run.put("error", "pgbench exited " + rc + ": " + output.strip());
                        return run;
                    }
                    run.put("eventsPerSecond", Double.parseDouble(m.group(1)));
                    run.put("wallSeconds", nanos / 1e9);
                    run.put("failedTransactions", failed.find() ? Long.parseLong(failed.group(1)) : 0);
                    run.put("command", String.join(" ", cmd).replace(file.toString(), "<script with table " + store.tableName() + ">"));
                    run.put("loadStart", loadStart);
                    run.put("loadEnd", Load.now());
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT count(*) FROM " + store.tableName()
                                    + " WHERE status = 'COMPLETED'")) {
                        rs.next();
                        run.put("rowsCompleted", rs.getLong(1));
                    }
                    return run;
                } finally {
                    Files.deleteIfExists(file);
                }
            } catch (IOException | SQLException e) {
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("workload", "pgbench");
                run.put("threads", threads);
                run.put("error", e.toString());
                return run;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                dropTables(ds, prefix);
            }
        }
    }

    // ------------------------------------------------------------------ plumbing

    record Timed(long nanos, String loadStart, String loadEnd, long cpuNanos) {}

    /** CPU time of this JVM so far (all threads), to show what the client side costs per event. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    interface Worker {
        void run(int worker) throws Exception;
    }

    /** Runs {@code threads} workers released together; returns the wall time until the last ends. */
    static Timed runThreads(int threads, Worker body) {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < threads; w++) {
            int worker = w;
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    body.run(worker);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "bench-" + w);
            all.add(t);
            t.start();
        }
        try {
            ready.await();
            String loadStart = Load.now();
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            go.countDown();
            for (Thread t : all) {
                t.join();
            }
            long nanos = System.nanoTime() - start;
            if (!failures.isEmpty()) {
                throw new IllegalStateException("a worker failed", failures.get(0));
            }
            return new Timed(nanos, loadStart, Load.now(), processCpuNanos() - cpuStart);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> run(String workload, int threads, int events, Timed t) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("workload", workload);
        run.put("threads", threads);
        run.put("events", events);
        run.put("seconds", t.nanos() / 1e9);
        run.put("eventsPerSecond", events / (t.nanos() / 1e9));
        run.put("clientCpuMicrosPerEvent", t.cpuNanos() / 1000.0 / events);
        run.put("loadStart", t.loadStart());
        run.put("loadEnd", t.loadEnd());
        return run;
    }

    /** Drops every table whose name starts with {@code prefix} (the event log and anything else made). */
    static void dropTables(HikariDataSource ds, String prefix) {
        try (Connection c = ds.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    if (name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                        tables.add(name);
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                for (String t : tables) {
                    s.execute("DROP TABLE " + t);
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            System.err.println("could not drop the tables of " + prefix + ": " + e.getMessage());
        }
    }
}
