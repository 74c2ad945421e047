package dev.hookwise.reliability;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.http.WebhookServer;
import dev.hookwise.core.inbox.Backoff;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.jdbc.HikariDataSources;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.jdbc.JdbcTransactional;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

/**
 * The system under test, run in its own JVM by the harness: a {@link WebhookServer} in
 * asynchronous mode on the JDBC event log, an {@link InboxWorker} draining it, and a handler whose
 * effect is one row in an effects table that has no unique key, so a second run of the same event
 * shows as a second row.
 *
 * <p>Arguments are {@code --name value} pairs: {@code jdbc-url}, {@code user}, {@code password},
 * {@code prefix} (the event log's table prefix; the effects table is {@code <prefix>effects}),
 * {@code port}, {@code instance}, {@code work-ms} (time the handler spends around its write),
 * {@code lease-ms}, {@code worker-threads}, {@code poll-ms}, {@code clock-skew-ms} (this instance's
 * clock ahead (+) or behind (-)), {@code overlap-check} (record two runs of one event at once),
 * {@code max-attempts}, {@code handler-timeout-ms}, {@code backoff-ms} (the first retry's delay),
 * {@code connect-timeout-s}, {@code socket-timeout-s} (the JDBC driver's), {@code handler}
 * ({@code plain}: the effect row commits on its own; {@code transactional}: in the event's
 * completion transaction), {@code tx-batch} (transactional events per transaction).
 * An event whose {@code metadata.fault} names a fault acts it out first (see {@link Faults}). It prints {@code READY <port>} once
 * it accepts requests, and runs until killed.
 */
public final class ServerUnderTest {

    private ServerUnderTest() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        String prefix = a.get("prefix");
        String instance = a.getOrDefault("instance", "sut");
        long workMs = Long.parseLong(a.getOrDefault("work-ms", "4"));
        HikariDataSource dataSource = HikariDataSources.builder(a.get("jdbc-url"))
                .username(a.get("user")).password(a.get("password"))
                .maxPoolSize(Integer.parseInt(a.getOrDefault("pool", "12")))
                .connectionTimeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(Long.parseLong(a.getOrDefault("connect-timeout-s", "5"))))
                .socketTimeout(Duration.ofSeconds(Long.parseLong(a.getOrDefault("socket-timeout-s", "30"))))
                .build();
        // A clock set ahead or behind stands for a machine whose clock drifted (scenario 6).
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(Long.parseLong(a.getOrDefault("clock-skew-ms", "0"))));
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(dataSource)
                .tablePrefix(prefix).createSchema(false).clock(clock)
                .databaseTime(Boolean.parseBoolean(a.getOrDefault("database-time", "true"))).build();
        String insert = "INSERT INTO " + prefix + "effects (event_id, instance_name) VALUES (?, ?)";
        boolean overlapCheck = Boolean.parseBoolean(a.getOrDefault("overlap-check", "false"));
        boolean transactional = "transactional".equals(a.getOrDefault("handler", "plain"));
        HandlerRegistry.Builder registry = HandlerRegistry.builder();
        if (transactional) {
            // The effect row and the event's completion commit in one transaction, or neither does.
            registry.on("payment_intent.succeeded", JdbcTransactional.handler((ctx, connection) -> {
                Thread.sleep(workMs / 2);
                try (PreparedStatement ps = connection.prepareStatement(insert)) {
                    ps.setString(1, ctx.eventId());
                    ps.setString(2, instance);
                    ps.executeUpdate();
                }
                Thread.sleep(workMs - workMs / 2); // a kill here rolls the row back with the completion
            }));
        }
        HandlerRegistry handlers = (transactional ? registry : registry
                .on("payment_intent.succeeded", ctx -> {
                    Faults.act(ctx, Duration.ofMillis(Long.parseLong(a.getOrDefault("lease-ms", "3000"))));
                    boolean marked = overlapCheck && markRunning(dataSource, prefix, ctx.eventId(), instance);
                    Thread.sleep(workMs / 2); // work before the write
                    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
                        ps.setString(1, ctx.eventId());
                        ps.setString(2, instance);
                        ps.executeUpdate();
                    }
                    Thread.sleep(workMs - workMs / 2); // work after it: a kill here doubles a plain handler's effect
                    if (marked) {
                        unmarkRunning(dataSource, prefix, ctx.eventId());
                    }
                }))
                .build();
        WebhookProcessor processor = WebhookProcessor.builder()
                .signingSecrets(Harness.SECRET)
                .store(store)
                .handlers(handlers)
                .mode(ProcessingMode.ASYNC)
                .leaseDuration(Duration.ofMillis(Long.parseLong(a.getOrDefault("lease-ms", "3000"))))
                .instanceId(instance)
                .clock(clock)
                .maxAttempts(Integer.parseInt(a.getOrDefault("max-attempts", "8")))
                .handlerTimeout(Duration.ofMillis(Long.parseLong(a.getOrDefault("handler-timeout-ms", "60000"))))
                .build();
        InboxWorker worker = InboxWorker.builder(processor)
                .threads(Integer.parseInt(a.getOrDefault("worker-threads", "4")))
                .transactionBatchSize(Integer.parseInt(a.getOrDefault("tx-batch", "1")))
                .batchSize(Math.max(InboxWorker.DEFAULT_BATCH_SIZE, 4 * Integer.parseInt(a.getOrDefault("tx-batch", "1"))))
                .pollInterval(Duration.ofMillis(Long.parseLong(a.getOrDefault("poll-ms", "200"))))
                .backoff(Backoff.exponential(Duration.ofMillis(Long.parseLong(a.getOrDefault("backoff-ms", "30000"))),
                        2.0, Duration.ofHours(1), 0.2))
                .build()
                .start();
        WebhookServer server = WebhookServer.builder()
                .processor(processor)
                .address(new InetSocketAddress("127.0.0.1", Integer.parseInt(a.get("port"))))
                .path(Harness.PATH)
                .threads(8)
                .start();
        System.out.println("READY " + server.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            worker.close();
            dataSource.close();
        }));
        new CountDownLatch(1).await(); // until killed
    }

    /**
     * Marks the event running in a table keyed by event id; a second run of the same event at the
     * same time finds the mark and is recorded as an overlap. Returns whether this run marked it.
     */
    static boolean markRunning(DataSource ds, String prefix, String eventId, String instance) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix + "running (event_id) VALUES (?)")) {
            ps.setString(1, eventId);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + prefix + "overlaps (event_id, instance_name) VALUES (?, ?)")) {
                ps.setString(1, eventId);
                ps.setString(2, instance);
                ps.executeUpdate();
            }
            return false;
        }
    }

    static void unmarkRunning(DataSource ds, String prefix, String eventId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM " + prefix + "running WHERE event_id = ?")) {
            ps.setString(1, eventId);
            ps.executeUpdate();
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            out.put(args[i].substring(2), args[i + 1]);
        }
        return out;
    }
}
