package dev.hookwise.jdbc.tx;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.core.EventContext;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.jdbc.HikariDataSources;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.jdbc.JdbcTransactional;
import dev.hookwise.jdbc.multi.ChildDatabase;
import dev.hookwise.jdbc.multi.SignedEvents;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker process for the crash tests, killed with SIGKILL by the test:
 * {@code CrashingWorkerMain <url> <user> <password> <tablePrefix> <effectsTable> <transactional|plain>
 * <threads> <transactionBatchSize> <events> <blockAt>}.
 *
 * <p>Drains the inbox (lease {@link #LEASE}). Each handler writes one row
 * {@code (event_id, 'crashed')} into the effects table, through the event log's transaction
 * ({@code transactional}) or on a connection of its own with auto-commit ({@code plain}), prints
 * {@code WROTE <event id>}, and from the {@code blockAt}-th write on blocks for good: the process
 * is killed while its handlers hold their writes, before any verdict commits.
 */
public final class CrashingWorkerMain {

    /** The lease of the crashed worker's claims; the test's restart moves its clock past it. */
    public static final Duration LEASE = Duration.ofMinutes(1);

    private CrashingWorkerMain() {}

    public static void main(String[] args) throws Exception {
        ChildDatabase db = ChildDatabase.of(args);
        String effects = db.effectsTable();
        boolean transactional = "transactional".equals(args[ChildDatabase.ARGS]);
        int threads = Integer.parseInt(args[ChildDatabase.ARGS + 1]);
        int transactionBatchSize = Integer.parseInt(args[ChildDatabase.ARGS + 2]);
        int events = Integer.parseInt(args[ChildDatabase.ARGS + 3]);
        int blockAt = Integer.parseInt(args[ChildDatabase.ARGS + 4]);

        HikariDataSource pool = HikariDataSources.create(db.url(), db.user(), db.password(), threads + 4);
        AtomicInteger writes = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        WebhookHandler handler;
        if (transactional) {
            handler = JdbcTransactional.handler((ctx, c) -> {
                insert(c, effects, ctx.eventId());
                wrote(ctx, writes, blockAt, never);
            });
        } else {
            handler = ctx -> {
                try (Connection c = pool.getConnection()) {
                    insert(c, effects, ctx.eventId()); // auto-commit: committed at once
                }
                wrote(ctx, writes, blockAt, never);
            };
        }
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).tablePrefix(db.prefix()).build();
        WebhookProcessor processor = SignedEvents.processor(store, handler).mode(ProcessingMode.ASYNC).leaseDuration(LEASE)
                .instanceId("crashing").build();
        InboxWorker.builder(processor).threads(threads).batchSize(events).transactionBatchSize(transactionBatchSize)
                .pollInterval(Duration.ofMillis(10)).build().start();
        never.await(); // until SIGKILL
    }

    private static void insert(Connection c, String table, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (event_id, note) VALUES (?, ?)")) {
            ps.setString(1, eventId);
            ps.setString(2, "crashed");
            ps.executeUpdate();
        }
    }

    private static void wrote(EventContext ctx, AtomicInteger writes, int blockAt, CountDownLatch never)
            throws InterruptedException {
        int n = writes.incrementAndGet();
        synchronized (System.out) {
            System.out.println("WROTE " + ctx.eventId());
            System.out.flush();
        }
        if (n >= blockAt) {
            never.await();
        }
    }
}
