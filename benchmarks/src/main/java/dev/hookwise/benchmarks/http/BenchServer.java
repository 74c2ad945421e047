package dev.hookwise.benchmarks.http;

import com.stripe.model.PaymentIntent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.benchmarks.Results;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.http.WebhookServer;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.jdbc.HikariDataSources;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The quickstart's endpoint, as a process of its own for load tests: {@link WebhookServer} on
 * loopback with a typed {@code payment_intent.succeeded} handler (stripe-java deserialises
 * {@code data.object}, as in the quickstart), in synchronous or asynchronous mode.
 *
 * <p>A second, small HTTP server on another loopback port lets the load generator read counters
 * and memory ({@code GET /stats}), start the inbox worker ({@code POST /worker/start}) and stop the
 * process ({@code POST /stop}). It prints {@code PORTS <webhook> <control>} when ready.
 *
 * <p>The in-memory store keeps every event forever; so that a minute of load measures the
 * library and not an ever-growing map, completed events older than 5 s are purged every second
 * (as {@code EventRetention} would, with a short horizon). The PostgreSQL store keeps its rows in
 * the database (its table is dropped on stop).
 */
public final class BenchServer {

    static final String SECRET = "whsec_benchmark_secret_0123456789abcdef";

    public static void main(String[] args) throws Exception {
        ProcessingMode mode = ProcessingMode.valueOf(Results.arg(args, "mode", "sync").toUpperCase());
        String storeKind = Results.arg(args, "store", "memory");
        int httpThreads = Integer.parseInt(Results.arg(args, "http-threads", "16"));
        int workerThreads = Integer.parseInt(Results.arg(args, "worker-threads", Integer.toString(InboxWorker.DEFAULT_THREADS)));
        long pollMillis = Long.parseLong(Results.arg(args, "poll-ms", Long.toString(InboxWorker.DEFAULT_POLL_INTERVAL.toMillis())));
        int batchSize = Integer.parseInt(Results.arg(args, "batch-size", Integer.toString(InboxWorker.DEFAULT_BATCH_SIZE)));
        boolean startWorker = Boolean.parseBoolean(Results.arg(args, "start-worker", "true"));

        LongAdder handled = new LongAdder();
        AtomicLong lastHandledNanos = new AtomicLong();
        HandlerRegistry handlers = HandlerRegistry.builder()
                .on("payment_intent.succeeded", PaymentIntent.class, (pi, ctx) -> {
                    if (pi.getAmount() != null) {
                        handled.increment();
                        lastHandledNanos.set(System.nanoTime());
                    }
                })
                .build();

        HikariDataSource dataSource = null;
        IdempotencyStore store;
        String table = null;
        if (storeKind.equals("postgresql")) {
            dataSource = HikariDataSources.create("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null, httpThreads);
            JdbcIdempotencyStore jdbc = JdbcIdempotencyStore.builder(dataSource)
                    .tablePrefix("benchhttp" + ProcessHandle.current().pid() + "_").createSchema(true).build();
            table = jdbc.tableName();
            store = jdbc;
        } else {
            store = InMemoryIdempotencyStore.create();
        }
        WebhookProcessor processor = WebhookProcessor.builder()
                .signingSecrets(SECRET)
                .store(store)
                .handlers(handlers)
                .mode(mode)
                .allowInMemoryInbox(true) // the in-memory async runs measure the pipeline, not durability
                .build();
        // A queue deep enough that the load generator measures latency, not the server's 503 shedding.
        WebhookServer server = WebhookServer.builder().processor(processor)
                .address(new InetSocketAddress("127.0.0.1", 0)).path("/stripe/webhook")
                .threads(httpThreads).queueCapacity(100_000).start();
        InboxWorker worker = InboxWorker.builder(processor).threads(workerThreads)
                .pollInterval(Duration.ofMillis(pollMillis)).batchSize(batchSize).build();
        AtomicLong workerStartNanos = new AtomicLong();
        if (mode == ProcessingMode.ASYNC && startWorker) {
            workerStartNanos.set(System.nanoTime());
            worker.start();
        }
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-purge");
            t.setDaemon(true);
            return t;
        });
        if (store instanceof InMemoryIdempotencyStore) {
            housekeeping.scheduleWithFixedDelay(() -> store.purge(Instant.now().minusSeconds(5), Integer.MAX_VALUE),
                    1, 1, TimeUnit.SECONDS);
        }

        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        CountDownLatch stop = new CountDownLatch(1);
        control.createContext("/stats", ex -> {
            boolean gc = ex.getRequestURI().getQuery() != null && ex.getRequestURI().getQuery().contains("gc");
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("handled", handled.sum());
            stats.put("lastHandledNanos", lastHandledNanos.get());
            stats.put("workerStartNanos", workerStartNanos.get());
            stats.put("nowNanos", System.nanoTime());
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            stats.put("heapUsedBytes", heap.getUsed());
            stats.put("heapCommittedBytes", heap.getCommitted());
            stats.put("heapMaxBytes", heap.getMax());
            if (gc) {
                System.gc();
                stats.put("heapUsedAfterGcBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
            if (ex.getRequestURI().getQuery() != null && ex.getRequestURI().getQuery().contains("backlog")) {
                Backlog b = store.backlog();
                stats.put("backlogPending", b.pending());
                stats.put("backlogProcessing", b.processing());
            }
            respond(ex, Results.JSON.writeValueAsString(stats));
        });
        control.createContext("/worker/start", ex -> {
            if (workerStartNanos.get() == 0) {
                workerStartNanos.set(System.nanoTime());
                worker.start();
            }
            respond(ex, "{\"started\":true}");
        });
        control.createContext("/stop", ex -> {
            respond(ex, "{\"stopping\":true}");
            stop.countDown();
        });
        control.start();
        System.out.println("PORTS " + server.port() + " " + control.getAddress().getPort());
        System.out.flush();

        stop.await();
        worker.close();
        server.close();
        control.stop(0);
        housekeeping.shutdownNow();
        if (dataSource != null) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
            dataSource.close();
        }
        System.exit(0);
    }

    private static void respond(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
