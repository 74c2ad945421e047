package dev.hookwise.benchmarks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.benchmarks.Load;
import dev.hookwise.benchmarks.Results;
import dev.hookwise.benchmarks.jdbc.JdbcThroughput.Database;
import dev.hookwise.core.operations.WebhookReport;
import dev.hookwise.core.operations.WebhookReports;
import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * How the cost of the event log's operations grows with the number of rows it holds (issue 16):
 * the claim of a new event, the duplicate check of a redelivery, the inbox's {@code claimDue}, the
 * backlog count, a report over a fixed window, the listing of dead events a replay starts from, and
 * retention's purge (with rows to delete, and the check that finds none left).
 *
 * <p>One event log per database (a random table prefix, dropped at the end) is filled with SQL to
 * each size in turn ({@code --sizes}, e.g. 10,000, then 1,000,000, then 10,000,000 rows), analysed,
 * and measured. The fill looks like a log that has been running for a while: one event every 100 ms
 * (so {@code created} rises with the row number), 98.9 % completed, 1 % ignored, 0.1 % dead (kept
 * for a replay), no payloads (their size changes the table's bytes, not the index paths), nothing
 * queued. Each operation runs {@code --ops} times (fewer for the slow ones) after a warm-up, timed
 * one by one; the JSON holds p50, p99 and the maximum per operation and size. What each operation
 * does is described in {@link #measure}.
 *
 * <pre>
 * java -Xmx2g -cp benchmarks.jar dev.hookwise.benchmarks.jdbc.LogGrowth \
 *      --sizes "postgresql=10000,1000000,10000000;mariadb=10000,1000000" --out benchmarks/results/growth.json
 *      [--keep true]   (leave the tables behind, to EXPLAIN the statements by hand; drop them afterwards)
 * </pre>
 */
public final class LogGrowth {

    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final String OWNER = "bench-growth";
    /** Spacing of the filled events' {@code created} times. */
    private static final long STEP_MILLIS = 100;
    /** Rows inserted by one fill statement (one transaction). */
    private static final int FILL_CHUNK = 250_000;
    /** Rows the report window and each purge round cover, whatever the log's size. */
    private static final int WINDOW_ROWS = 5_000;
    /** Redeliveries are of recent events: the duplicate check picks among the newest rows. */
    private static final int RECENT_ROWS = 10_000;

    /** Whether to leave the filled tables behind (for EXPLAIN by hand); they are named in the output. */
    private static boolean keep;

    private LogGrowth() {}

    public static void main(String[] args) throws Exception {
        // The fill writes MariaDB's and H2's DATETIME columns through the JVM's zone, the store in UTC.
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        Map<String, List<Long>> sizes = parseSizes(Results.arg(args, "sizes",
                "postgresql=10000,1000000,10000000;mariadb=10000,1000000"));
        int ops = Integer.parseInt(Results.arg(args, "ops", "1000"));
        keep = Boolean.parseBoolean(Results.arg(args, "keep", "false"));
        Path out = Path.of(Results.arg(args, "out", "benchmarks/results/growth.json"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("opsPerMeasurement", ops);
        result.put("loadStart", Load.now());
        Map<String, Object> perDb = new LinkedHashMap<>();
        result.put("databases", perDb);
        for (Map.Entry<String, List<Long>> e : sizes.entrySet()) {
            Database db = JdbcThroughput.DATABASES.get(e.getKey());
            if (db == null) {
                throw new IllegalArgumentException("unknown database " + e.getKey() + ": use postgresql, mariadb, h2");
            }
            perDb.put(db.name(), runDatabase(db, e.getValue(), ops, out, result));
            Results.write(out, result);
        }
        result.put("loadEnd", Load.now());
        Results.write(out, result);
        System.out.println("wrote " + out);
    }

    static Map<String, List<Long>> parseSizes(String spec) {
        Map<String, List<Long>> sizes = new LinkedHashMap<>();
        for (String part : spec.split(";")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("--sizes wants db=n,n;db=n,n but got " + spec);
            }
            List<Long> list = new ArrayList<>();
            for (String n : kv[1].split(",")) {
                list.add(Long.parseLong(n.trim()));
            }
            list.sort(Long::compare);
            sizes.put(kv[0].trim(), list);
        }
        return sizes;
    }

    private static Map<String, Object> runDatabase(Database db, List<Long> sizes, int ops, Path out,
            Map<String, Object> result) throws SQLException {
        Map<String, Object> dbOut = new LinkedHashMap<>();
        String prefix = JdbcThroughput.newPrefix();
        String table = prefix + "event_log";
        try (HikariDataSource ds = JdbcThroughput.pool(db, 4)) {
            try (Connection c = ds.getConnection()) {
                DatabaseMetaData md = c.getMetaData();
                dbOut.put("version", md.getDatabaseProductName() + " " + md.getDatabaseProductVersion());
            }
            System.out.println("== " + db.name() + " " + dbOut.get("version") + ", table " + table);
            JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(ds).tablePrefix(prefix).createSchema(true)
                    .databaseTime(false).build();
            Instant t0 = Instant.now().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.SECONDS);
            Fill fill = new Fill(db.name(), table, t0);
            List<Map<String, Object>> perSize = new ArrayList<>();
            dbOut.put("sizes", perSize);
            try {
                for (long size : sizes) {
                    long start = System.nanoTime();
                    try (Connection c = ds.getConnection()) {
                        fill.to(c, size);
                    }
                    double fillSeconds = (System.nanoTime() - start) / 1e9;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("rows", countRows(ds, table));
                    m.put("fillSeconds", Math.round(fillSeconds * 10) / 10.0);
                    m.put("loadStart", Load.now());
                    System.out.printf("%s: %,d rows (filled in %.1f s)%n", db.name(), (Long) m.get("rows"), fillSeconds);
                    m.put("ops", measure(store, ds, fill, ops));
                    m.put("loadEnd", Load.now());
                    perSize.add(m);
                    Results.write(out, result);
                }
            } finally {
                if (!keep) {
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        s.execute("DROP TABLE IF EXISTS " + table);
                    }
                }
            }
        }
        return dbOut;
    }

    private static long countRows(HikariDataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The operations, each timed call by call.
     * <ul>
     *   <li>{@code claim-new}: the claim of a new event (an insert-if-absent on the primary key); the
     *       event is completed afterwards, untimed.</li>
     *   <li>{@code duplicate}: the claim of a redelivered event among the newest {@value #RECENT_ROWS}
     *       rows; must answer "already completed".</li>
     *   <li>{@code claim-due}: 50 events queued (untimed), then one {@code claimDue} of 50; must claim all 50.</li>
     *   <li>{@code backlog}: the grouped count of queued, failed and running events.</li>
     *   <li>{@code report}: {@link WebhookReports#report} over a window holding the newest
     *       {@value #WINDOW_ROWS} filled events.</li>
     *   <li>{@code dead-listing}: the first 100 dead events, oldest first (what a replay of dead
     *       events reads first).</li>
     *   <li>{@code purge}: one retention batch of 1,000 rows, until the oldest {@value #WINDOW_ROWS}
     *       purgeable rows are gone; {@code purge-nothing-left}: the same call once nothing is older
     *       than the cut-off (what ends every retention run); {@code purge-nothing-left-before}: the
     *       same question asked as 0.1's statement did (status and {@code completed_at} only), for comparison.</li>
     * </ul>
     */
    private static Map<String, Object> measure(JdbcIdempotencyStore store, javax.sql.DataSource ds, Fill fill, int ops) {
        Map<String, Object> out = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        long[] counter = {0};
        Supplier<String> newId = () -> "evt_new_" + fill.filled + "_" + (counter[0]++);

        out.put("claim-new", time(ops, () -> {
            NewEvent e = event(newId.get());
            ClaimResult r = store.claim(e, OWNER, LEASE);
            require(r.status() == ClaimResult.Status.CLAIMED, "claim-new: " + r);
            return e.id() + "#" + r.attempt();
        }, done -> {
            String[] parts = done.split("#");
            store.complete(new ClaimToken(parts[0], OWNER, Integer.parseInt(parts[1])), Duration.ofMillis(1));
        }));

        out.put("duplicate", time(ops, () -> {
            long n = fill.filled - 1 - random.nextLong(Math.min(RECENT_ROWS, fill.filled - fill.purged));
            ClaimResult r = store.claim(fill.event(n), OWNER, LEASE);
            require(r.status() == ClaimResult.Status.ALREADY_COMPLETED, "duplicate: " + r);
            return "";
        }, done -> { }));

        out.put("claim-due", time(Math.max(20, ops / 10), () -> {
            for (int i = 0; i < 50; i++) {
                require(store.enqueue(event(newId.get())), "enqueue");
            }
        }, () -> {
            List<EventRecord> claimed = store.claimDue(OWNER, LEASE, 50);
            require(claimed.size() == 50, "claim-due claimed " + claimed.size());
            return claimed;
        }, claimed -> claimed.forEach(r ->
                store.complete(new ClaimToken(r.id(), OWNER, r.attempts()), Duration.ofMillis(1)))));

        out.put("backlog", time(Math.max(20, ops / 5), () -> {
            require(store.backlog().pending() == 0, "backlog not empty");
            return "";
        }, done -> { }));

        Instant windowFrom = fill.created(fill.filled - WINDOW_ROWS);
        Instant windowTo = fill.created(fill.filled);
        WebhookReports reports = WebhookReports.of(store);
        out.put("report", time(Math.max(5, ops / 100), () -> {
            WebhookReport report = reports.report(windowFrom, windowTo);
            require(!report.truncated() && report.total() == WINDOW_ROWS, "report: " + report.total() + " events");
            return "";
        }, done -> { }));

        EventQuery dead = EventQuery.builder().statuses(EventStatus.DEAD).limit(100).build();
        out.put("dead-listing", time(Math.max(10, ops / 50), () -> {
            int listed = store.search(dead).size();
            require(listed == Math.min(100, fill.deadRows()), "dead listing: " + listed + " of " + fill.deadRows());
            return "";
        }, done -> { }));

        Instant cutoff = fill.created(fill.purged + WINDOW_ROWS).plusSeconds(2);
        List<Long> purgeNanos = new ArrayList<>();
        int deleted = 0;
        while (true) {
            long start = System.nanoTime();
            int n = store.purge(cutoff, 1000);
            purgeNanos.add(System.nanoTime() - start);
            deleted += n;
            if (n < 1000) {
                break;
            }
        }
        fill.purged += WINDOW_ROWS;
        Map<String, Object> purge = stats(purgeNanos.stream().mapToLong(Long::longValue).toArray());
        purge.put("deleted", deleted);
        out.put("purge", purge);
        out.put("purge-nothing-left", time(Math.max(5, ops / 100), () -> {
            require(store.purge(cutoff, 1000) == 0, "purge found rows left");
            return "";
        }, done -> { }));
        // The same "nothing left" question as 0.1's statement asked it (status and completed_at only),
        // straight through JDBC: the baseline that shows what bounding the scan by created bought.
        String unbounded = "SELECT id FROM " + fill.table
                + " WHERE status IN ('COMPLETED', 'IGNORED') AND completed_at < ? LIMIT 1000";
        out.put("purge-nothing-left-before", time(5, () -> {
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement(unbounded)) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                try (ResultSet rs = ps.executeQuery()) {
                    require(!rs.next(), "unbounded purge query found rows");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return "";
        }, done -> { }));
        System.out.println("  " + out);
        return out;
    }

    private static NewEvent event(String id) {
        return new NewEvent(id, "payment_intent.succeeded", Instant.now().truncatedTo(ChronoUnit.SECONDS), false,
                "2024-06-20", null, EventSource.WEBHOOK, null, null);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("unexpected result: " + what);
        }
    }

    /** Something to time that returns what the untimed follow-up needs. */
    @FunctionalInterface
    private interface Op<T> {
        T run();
    }

    @FunctionalInterface
    private interface After<T> {
        void accept(T value);
    }

    private static <T> Map<String, Object> time(int n, Op<T> op, After<T> after) {
        return time(n, () -> { }, op, after);
    }

    /** Runs {@code setup}, then {@code op} (timed), then {@code after} with its result, n times after a warm-up. */
    private static <T> Map<String, Object> time(int n, Runnable setup, Op<T> op, After<T> after) {
        int warmup = Math.max(3, n / 10);
        long[] nanos = new long[n];
        for (int i = 0; i < warmup + n; i++) {
            setup.run();
            long start = System.nanoTime();
            T value = op.run();
            long elapsed = System.nanoTime() - start;
            after.accept(value);
            if (i >= warmup) {
                nanos[i - warmup] = elapsed;
            }
        }
        return stats(nanos);
    }

    private static Map<String, Object> stats(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", sorted.length);
        m.put("p50Micros", micros(sorted[(int) Math.floor(0.50 * (sorted.length - 1))]));
        m.put("p99Micros", micros(sorted[(int) Math.floor(0.99 * (sorted.length - 1))]));
        m.put("maxMicros", micros(sorted[sorted.length - 1]));
        return m;
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }

    /** Fills the log with SQL, row {@code n} created {@code n × 100 ms} after {@code t0}. */
    static final class Fill {
        final String database;
        final String table;
        final Instant t0;
        long filled;
        long purged;

        Fill(String database, String table, Instant t0) {
            this.database = database;
            this.table = table;
            this.t0 = t0;
        }

        Instant created(long n) {
            return t0.plusMillis(n * STEP_MILLIS);
        }

        String id(long n) {
            return String.format("evt_fill_%010d", n);
        }

        NewEvent event(long n) {
            return new NewEvent(id(n), type(n), created(n), false, "2024-06-20", null, EventSource.WEBHOOK, null,
                    null);
        }

        /** Dead rows in the log: row n is dead when n % 1000 == 7 (retention keeps them). */
        long deadRows() {
            return filled <= 7 ? 0 : (filled - 8) / 1000 + 1;
        }

        static String type(long n) {
            return n % 3 == 0 ? "invoice.paid" : "payment_intent.succeeded";
        }

        /** Adds rows until the log holds {@code size} (not counting what retention purged), then analyses. */
        void to(Connection c, long size) throws SQLException {
            long target = size + purged;
            c.setAutoCommit(true);
            while (filled < target) {
                long to = Math.min(target, filled + FILL_CHUNK);
                try (PreparedStatement ps = c.prepareStatement(insert(filled, to - 1))) {
                    ps.setTimestamp(1, Timestamp.from(t0));
                    ps.executeUpdate();
                }
                filled = to;
            }
            try (Statement s = c.createStatement()) {
                switch (database) {
                    case "postgresql" -> s.execute("VACUUM ANALYZE " + table);
                    case "mariadb" -> s.execute("ANALYZE TABLE " + table);
                    default -> s.execute("ANALYZE TABLE " + table);
                }
            }
        }

        /**
         * One INSERT … SELECT of rows {@code from} to {@code to} (inclusive); parameter 1 is t0. The
         * status, the type and the times are functions of the row number, as {@link #event} makes them.
         */
        private String insert(long from, long to) {
            String columns = "id, type, created, livemode, api_version, account, status, attempts, received_at,"
                    + " started_at, completed_at, processing_micros, last_error, source";
            return switch (database) {
                case "postgresql" -> "INSERT INTO " + table + " (" + columns + ")"
                        + " SELECT 'evt_fill_' || lpad(g::text, 10, '0'),"
                        + " CASE WHEN g % 3 = 0 THEN 'invoice.paid' ELSE 'payment_intent.succeeded' END,"
                        + " c, false, '2024-06-20', NULL,"
                        + " CASE WHEN g % 1000 = 7 THEN 'DEAD' WHEN g % 100 = 3 THEN 'IGNORED' ELSE 'COMPLETED' END,"
                        + " CASE WHEN g % 1000 = 7 THEN 8 ELSE 1 END,"
                        + " c + interval '500 milliseconds', c + interval '500 milliseconds', c + interval '1 second',"
                        + " 1500, CASE WHEN g % 1000 = 7 THEN 'handler failed' END, 'WEBHOOK'"
                        + " FROM (SELECT g, CAST(? AS timestamptz) + g * interval '" + STEP_MILLIS + " milliseconds' AS c"
                        + " FROM generate_series(" + from + ", " + to + ") g) s";
                case "mariadb" -> "INSERT INTO " + table + " (" + columns + ")"
                        + " SELECT CONCAT('evt_fill_', LPAD(seq, 10, '0')),"
                        + " CASE WHEN seq % 3 = 0 THEN 'invoice.paid' ELSE 'payment_intent.succeeded' END,"
                        + " c, false, '2024-06-20', NULL,"
                        + " CASE WHEN seq % 1000 = 7 THEN 'DEAD' WHEN seq % 100 = 3 THEN 'IGNORED' ELSE 'COMPLETED' END,"
                        + " CASE WHEN seq % 1000 = 7 THEN 8 ELSE 1 END,"
                        + " c + INTERVAL 500000 MICROSECOND, c + INTERVAL 500000 MICROSECOND, c + INTERVAL 1 SECOND,"
                        + " 1500, CASE WHEN seq % 1000 = 7 THEN 'handler failed' END, 'WEBHOOK'"
                        + " FROM (SELECT seq, TIMESTAMPADD(MICROSECOND, seq * " + (STEP_MILLIS * 1000) + ", ?) AS c"
                        + " FROM seq_" + from + "_to_" + to + ") s";
                default -> "INSERT INTO " + table + " (" + columns + ")"
                        + " SELECT 'evt_fill_' || LPAD(CAST(X AS VARCHAR), 10, '0'),"
                        + " CASE WHEN MOD(X, 3) = 0 THEN 'invoice.paid' ELSE 'payment_intent.succeeded' END,"
                        + " c, false, '2024-06-20', NULL,"
                        + " CASE WHEN MOD(X, 1000) = 7 THEN 'DEAD' WHEN MOD(X, 100) = 3 THEN 'IGNORED' ELSE 'COMPLETED' END,"
                        + " CASE WHEN MOD(X, 1000) = 7 THEN 8 ELSE 1 END,"
                        + " DATEADD(MILLISECOND, 500, c), DATEADD(MILLISECOND, 500, c), DATEADD(SECOND, 1, c),"
                        + " 1500, CASE WHEN MOD(X, 1000) = 7 THEN 'handler failed' END, 'WEBHOOK'"
                        + " FROM (SELECT X, DATEADD(MILLISECOND, X * " + STEP_MILLIS + ", CAST(? AS TIMESTAMP WITH TIME ZONE)) AS c"
                        + " FROM SYSTEM_RANGE(" + from + ", " + to + ")) s";
            };
        }
    }
}
