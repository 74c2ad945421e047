package dev.hookwise.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.TransactionalWebhookHandler;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.inbox.Backoff;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.TransactionalStore;
import dev.hookwise.core.spi.UpdateResult;
import dev.hookwise.jdbc.multi.SignedEvents;
import dev.hookwise.testkit.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, parts 1 and 2, on one database per subclass: transactional handlers write through the
 * event log's connection, and their writes commit with the event's completion or not at all (a
 * failure, a lost claim), one event per transaction or several in one. The effects table has no
 * unique key, so a write that survived a failed or stale run shows as an extra row. Every test has
 * its own event log (a fresh prefix) and effects table, dropped after the class.
 */
abstract class TransactionalHandlersTestBase {

    static final Duration LEASE = Duration.ofMinutes(10);
    static final Backoff BACKOFF = Backoff.exponential(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0.0);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    /** The test's clock (a fresh instance per test), at the real time until a test moves it. */
    private final MutableClock clock = MutableClock.now();

    /** The class's database. */
    protected abstract DatabaseFixture db();

    // ---------------------------------------------------------------- one event per transaction

    @Test
    void aHandlerThatWritesThenThrowsLeavesNoRowAndItsRetryWritesExactlyOne() throws Exception {
        String effects = effectsTable("fail");
        AtomicInteger calls = new AtomicInteger();
        Node node = node("fail", clock, JdbcTransactional.handler((ctx, c) -> {
            insert(c, effects, ctx.eventId(), "attempt " + ctx.attempt());
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("ledger rejected the entry");
            }
        }));
        InboxWorker worker = manual(node.processor, 5);
        String id = deliver(node, 0, clock);

        assertThat(worker.drainOnce()).isEqualTo(1);
        EventRecord failed = node.store.find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.attempts()).as("the failed attempt is counted").isEqualTo(1);
        assertThat(failed.lastError()).contains("ledger rejected the entry");
        assertThat(rows(effects, id)).as("the failed run's write was rolled back").isZero();

        clock.set(failed.nextAttemptAt());
        assertThat(worker.drainOnce()).isEqualTo(1);
        EventRecord completed = node.store.find(id).orElseThrow();
        assertThat(completed.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(completed.attempts()).isEqualTo(2);
        assertThat(rows(effects, id)).as("exactly one row, from the successful retry").isEqualTo(1);
        assertThat(notes(effects, id)).containsExactly("attempt 2");
        assertThat(calls).hasValue(2);
    }

    @Test
    void synchronousDeliveryRetriesInProcessEachTryInAFreshTransaction() throws Exception {
        String effects = effectsTable("sync");
        AtomicInteger tries = new AtomicInteger();
        JdbcIdempotencyStore store = store(db().newPrefix("sync_" + run.substring(0, 4)), clock);
        WebhookProcessor processor = syncProcessor(store, HandlerRegistry.builder()
                .on("payment_intent.succeeded", JdbcTransactional.handler((ctx, c) -> {
                    int n = tries.incrementAndGet();
                    insert(c, effects, ctx.eventId(), "try " + n);
                    if (n < 3) {
                        throw new SQLException("serialization failure (" + n + ")", "40001");
                    }
                })).build(), 3, clock);

        WebhookResponse answer = deliverFirst(processor, clock);

        assertThat(answer.outcome()).isEqualTo(Outcome.PROCESSED);
        String id = SignedEvents.id(run, 0);
        assertThat(notes(effects, id)).as("only the third try's write committed").containsExactly("try 3");
        EventRecord row = store.find(id).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(row.attempts()).as("in-process tries are one attempt").isEqualTo(1);
    }

    @Test
    void synchronousDeliveryWhoseTriesAllFailRecordsTheFailureWithNoRowLeft() throws Exception {
        String effects = effectsTable("syncfail");
        JdbcIdempotencyStore store = store(db().newPrefix("syncfail_" + run.substring(0, 4)), clock);
        WebhookProcessor processor = syncProcessor(store, HandlerRegistry.builder()
                .onAny(JdbcTransactional.handler((ctx, c) -> {
                    insert(c, effects, ctx.eventId(), "written");
                    throw new IllegalStateException("still failing");
                })).build(), 2, clock);

        WebhookResponse answer = deliverFirst(processor, clock);

        assertThat(answer.outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        String id = SignedEvents.id(run, 0);
        assertThat(rows(effects, id)).isZero();
        EventRecord row = store.find(id).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.FAILED);
        assertThat(row.lastError()).contains("still failing");
    }

    @Test
    void aRunWhoseClaimWasTakenOverRollsBackItsWritesAndTheNewOwnersStand() throws Exception {
        String effects = effectsTable("lost");
        String prefix = db().newPrefix("lost_" + run.substring(0, 4));
        CountDownLatch firstWrote = new CountDownLatch(1);
        CountDownLatch firstMayFinish = new CountDownLatch(1);
        TransactionalWebhookHandler handler = JdbcTransactional.handler((ctx, c) -> {
            insert(c, effects, ctx.eventId(), "attempt " + ctx.attempt());
            if (ctx.attempt() == 1) {
                firstWrote.countDown();
                assertThat(firstMayFinish.await(5, TimeUnit.MINUTES)).isTrue();
            }
        });
        Node stale = node("stale", prefix, clock, handler);
        Node fresh = node("fresh", prefix, clock, handler);
        String id = deliver(stale, 0, clock);
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> staleRun = first.submit(() -> manual(stale.processor, 5).drainOnce());
            assertThat(firstWrote.await(5, TimeUnit.MINUTES)).isTrue();

            // The first owner's lease ends (its process looks dead); another worker takes the event over.
            clock.advance(LEASE.plusSeconds(1));
            assertThat(manual(fresh.processor, 5).drainOnce()).isEqualTo(1);
            assertThat(fresh.store.find(id).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);

            firstMayFinish.countDown();
            assertThat(staleRun.get(5, TimeUnit.MINUTES)).isEqualTo(1);
        } finally {
            first.shutdownNow();
        }
        EventRecord row = stale.store.find(id).orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(notes(effects, id)).as("the stale run's write was rolled back with its lost completion")
                .containsExactly("attempt 2");
    }

    @Test
    void plainAndTransactionalHandlersOfOneEventRunTogetherAndAFailureOfEitherRollsBackTheWrites()
            throws Exception {
        String effects = effectsTable("mixed");
        AtomicInteger plainCalls = new AtomicInteger();
        WebhookHandler plain = ctx -> {
            if (plainCalls.incrementAndGet() == 1) {
                throw new IllegalStateException("plain handler failed");
            }
        };
        JdbcIdempotencyStore store = store(db().newPrefix("mixed_" + run.substring(0, 4)), clock);
        WebhookProcessor processor = asyncProcessor(store, "mixed", clock, HandlerRegistry.builder()
                .on("payment_intent.*", JdbcTransactional.handler((ctx, c) -> insert(c, effects, ctx.eventId(), "tx")))
                .onAny(plain)
                .build());
        InboxWorker worker = manual(processor, 5);
        String id = deliver(processor, 0, clock);

        worker.drainOnce();
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
        assertThat(rows(effects, id)).as("the transactional write, undone by the plain handler's failure").isZero();

        clock.set(store.find(id).orElseThrow().nextAttemptAt());
        worker.drainOnce();
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(rows(effects, id)).isEqualTo(1);
    }

    @Test
    void aHandlerCannotEndTheTransactionItRunsIn() throws Exception {
        String effects = effectsTable("refuse");
        List<String> refusals = new ArrayList<>();
        Node node = node("refuse", clock, JdbcTransactional.handler((ctx, c) -> {
            insert(c, effects, ctx.eventId(), "written");
            for (ThrowingCall call : List.<ThrowingCall>of(c::commit, c::rollback, c::close, () -> c.setAutoCommit(true),
                    () -> c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE))) {
                try {
                    call.run();
                } catch (SQLException e) {
                    refusals.add(e.getMessage());
                }
            }
            assertThat(c.isClosed()).isFalse();
            assertThat(c.unwrap(Connection.class)).isSameAs(c);
            throw new IllegalStateException("roll back, please");
        }));
        String id = deliver(node, 0, clock);

        manual(node.processor, 5).drainOnce();

        assertThat(refusals).hasSize(5).allSatisfy(m -> assertThat(m).contains("must not call Connection."));
        assertThat(rows(effects, id)).as("nothing committed behind the store's back").isZero();
        assertThat(node.store.find(id).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
    }

    @Test
    void theStoreRecordsItsVerdictsThroughTheSpiAsTheClassCommentSays() throws Exception {
        // The SPI directly: a failure verdict leaves no write, a completion keeps it, a stale token rolls back.
        String effects = effectsTable("spi");
        JdbcIdempotencyStore store = store(db().newPrefix("spi_" + run.substring(0, 4)), clock);
        List<ClaimToken> claims = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = SignedEvents.id(run, i);
            store.enqueue(new dev.hookwise.core.spi.NewEvent(id, "payment_intent.succeeded", clock.instant(), false,
                    null, null, dev.hookwise.core.spi.EventSource.WEBHOOK, new byte[] {'{', '}'}));
        }
        for (EventRecord claimed : store.claimDue("spi-owner", LEASE, 3)) {
            claims.add(ClaimToken.of(claimed));
        }
        ClaimToken stale = new ClaimToken(claims.get(2).eventId(), "someone-else", claims.get(2).attempt());
        List<ClaimToken> asked = List.of(claims.get(0), claims.get(1), stale);
        Instant next = clock.instant().plusSeconds(60);

        List<UpdateResult> results = store.runInTransaction(asked, new TransactionalStore.Work() {
            @Override
            public TransactionalStore.Verdict run(ClaimToken claim, StoreTransaction transaction) {
                try {
                    insert(transaction.unwrap(Connection.class), effects, claim.eventId(), "spi");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return claim.equals(asked.get(1)) ? TransactionalStore.Verdict.retryAt("no", next)
                        : TransactionalStore.Verdict.complete(Duration.ofMillis(3));
            }

            @Override
            public TransactionalStore.Verdict completionFailed(ClaimToken claim, Exception failure) {
                throw new AssertionError("not expected", failure);
            }
        });

        assertThat(results).containsExactly(UpdateResult.APPLIED, UpdateResult.APPLIED, UpdateResult.LEASE_LOST);
        assertThat(rows(effects, claims.get(0).eventId())).isEqualTo(1);
        assertThat(rows(effects, claims.get(1).eventId())).isZero();
        assertThat(rows(effects, claims.get(2).eventId())).isZero();
        assertThat(store.find(claims.get(0).eventId()).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        EventRecord failed = store.find(claims.get(1).eventId()).orElseThrow();
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.nextAttemptAt()).isEqualTo(next.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(store.find(claims.get(2).eventId()).orElseThrow().status()).isEqualTo(EventStatus.PROCESSING);
        assertThatThrownBy(() -> store.runInTransaction(List.of(claims.get(2), claims.get(2)), new TransactionalStore.Work() {
            @Override
            public TransactionalStore.Verdict run(ClaimToken claim, StoreTransaction transaction) {
                throw new AssertionError("must not run");
            }

            @Override
            public TransactionalStore.Verdict completionFailed(ClaimToken claim, Exception failure) {
                throw new AssertionError("must not run");
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("each event once");
    }

    // ---------------------------------------------------------------- several events per transaction

    @Test
    void aBatchCommitsTheOtherEventsWhenOneThrowsAndRecordsItsFailureWithNoRow() throws Exception {
        String effects = effectsTable("batch");
        int events = 5;
        String failing = SignedEvents.id(run, 2);
        Set<Connection> connections = ConcurrentHashMap.newKeySet();
        Node node = node("batch", clock, JdbcTransactional.handler((ctx, c) -> {
            connections.add(c);
            insert(c, effects, ctx.eventId(), "attempt " + ctx.attempt());
            if (ctx.eventId().equals(failing) && ctx.attempt() == 1) {
                throw new IllegalStateException("this one fails");
            }
        }));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            ids.add(deliver(node, i, clock));
        }
        InboxWorker worker = InboxWorker.builder(node.processor).batchSize(events).transactionBatchSize(events)
                .backoff(BACKOFF).build();

        assertThat(worker.drainOnce()).isEqualTo(events);

        assertThat(connections).as("one transaction for the whole batch").hasSize(1);
        for (String id : ids) {
            EventRecord row = node.store.find(id).orElseThrow();
            assertThat(row.attempts()).isEqualTo(1);
            if (id.equals(failing)) {
                assertThat(row.status()).isEqualTo(EventStatus.FAILED);
                assertThat(row.lastError()).contains("this one fails");
                assertThat(rows(effects, id)).as("rolled back to its savepoint").isZero();
            } else {
                assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
                assertThat(rows(effects, id)).isEqualTo(1);
            }
        }

        clock.set(node.store.find(failing).orElseThrow().nextAttemptAt());
        assertThat(worker.drainOnce()).isEqualTo(1);
        assertThat(node.store.find(failing).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(rows(effects, null)).as("one row per event").isEqualTo(events);
    }

    @Test
    void aBatchRollsBackOnlyTheEventWhoseClaimWasTakenOverMeanwhile() throws Exception {
        String effects = effectsTable("batchlost");
        String prefix = db().newPrefix("batchlost_" + run.substring(0, 4));
        String takenOver = SignedEvents.id(run, 1);
        Node node = node("batchlost", prefix, clock, JdbcTransactional.handler((ctx, c) -> {
            insert(c, effects, ctx.eventId(), "batch");
            if (ctx.eventId().equals(takenOver)) {
                // Another worker takes this event over while the batch runs (its claim looked expired).
                try (Connection other = db().dataSource().getConnection();
                        PreparedStatement ps = other.prepareStatement("UPDATE " + prefix + "event_log SET owner ="
                                + " 'intruder', attempts = attempts + 1 WHERE id = ?")) {
                    ps.setString(1, ctx.eventId());
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
            }
        }));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(deliver(node, i, clock));
        }
        InboxWorker worker = InboxWorker.builder(node.processor).batchSize(3).transactionBatchSize(3)
                .backoff(BACKOFF).build();

        assertThat(worker.drainOnce()).isEqualTo(3);

        assertThat(rows(effects, ids.get(0))).isEqualTo(1);
        assertThat(rows(effects, ids.get(2))).isEqualTo(1);
        assertThat(rows(effects, takenOver)).as("the stale run's write was rolled back to its savepoint").isZero();
        assertThat(node.store.find(ids.get(0)).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(node.store.find(ids.get(2)).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        EventRecord stolen = node.store.find(takenOver).orElseThrow();
        assertThat(stolen.status()).isEqualTo(EventStatus.PROCESSING);
        assertThat(stolen.owner()).isEqualTo("intruder");
    }

    @Test
    void aBatchEventPastTheHandlerTimeoutIsInterruptedAndRecordedWithoutDisturbingTheOthers() throws Exception {
        String effects = effectsTable("timeout");
        String slow = SignedEvents.id(run, 1);
        JdbcIdempotencyStore store = store(db().newPrefix("timeout_" + run.substring(0, 4)), clock);
        WebhookProcessor processor = WebhookProcessor.builder()
                .signingSecrets(SignedEvents.SECRET)
                .store(store)
                .handlers(HandlerRegistry.builder().onAny(JdbcTransactional.handler((ctx, c) -> {
                    insert(c, effects, ctx.eventId(), "batch");
                    if (ctx.eventId().equals(slow)) {
                        new CountDownLatch(1).await(); // hangs until the handler timeout interrupts it
                    }
                })).build())
                .mode(ProcessingMode.ASYNC)
                .handlerTimeout(Duration.ofSeconds(1))
                .clock(clock)
                .build();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(deliver(processor, i, clock));
        }
        InboxWorker worker = InboxWorker.builder(processor).batchSize(3).transactionBatchSize(3).backoff(BACKOFF).build();

        assertThat(worker.drainOnce()).isEqualTo(3);

        assertThat(Thread.currentThread().isInterrupted()).as("the timeout's interrupt stays with the handler").isFalse();
        EventRecord timedOut = store.find(slow).orElseThrow();
        assertThat(timedOut.status()).isEqualTo(EventStatus.FAILED);
        assertThat(timedOut.lastError()).contains("handlerTimeout");
        assertThat(rows(effects, slow)).isZero();
        assertThat(store.find(ids.get(0)).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(store.find(ids.get(2)).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(rows(effects, null)).isEqualTo(2);
        assertThat(processor.stuckHandlers()).isZero();
    }

    @Test
    void backgroundWorkersDrainManyEventsInBatchesWithEveryRowWrittenOnce() throws Exception {
        int events = 400;
        String effects = effectsTable("many");
        CountDownLatch done = new CountDownLatch(events);
        JdbcIdempotencyStore store = store(db().newPrefix("many_" + run.substring(0, 4)), Clock.systemUTC());
        WebhookProcessor processor = asyncProcessor(store, "many", Clock.systemUTC(), HandlerRegistry.builder()
                .onAny(JdbcTransactional.handler((ctx, c) -> {
                    insert(c, effects, ctx.eventId(), "bg");
                    // Every 50th event fails once: rolled back to its savepoint, the batch goes on.
                    int index = Integer.parseInt(ctx.eventId().substring(ctx.eventId().lastIndexOf('_') + 1));
                    if (index % 50 == 0 && ctx.attempt() == 1) {
                        throw new IllegalStateException("first attempt of a round number fails");
                    }
                }))
                .build(), new dev.hookwise.core.WebhookListener() {
                    @Override
                    public void onHandled(String type, Outcome outcome, Duration elapsed, boolean dead) {
                        if (outcome == Outcome.PROCESSED) {
                            done.countDown();
                        }
                    }
                });
        for (int i = 0; i < events; i++) {
            deliver(processor, i, Clock.systemUTC());
        }
        try (InboxWorker worker = InboxWorker.builder(processor).threads(3).batchSize(60).transactionBatchSize(20)
                .pollInterval(Duration.ofMillis(10)).backoff(Backoff.exponential(Duration.ofMillis(50), 1.0,
                        Duration.ofMillis(50), 0.0)).build().start()) {
            assertThat(done.await(5, TimeUnit.MINUTES)).as("every event processed").isTrue();
            assertThat(worker.isRunning()).isTrue();
        }
        assertThat(rows(effects, null)).as("one row per event").isEqualTo(events);
        assertThat(count("SELECT COUNT(*) FROM " + store.tableName() + " WHERE status = 'COMPLETED'"))
                .isEqualTo(events);
        assertThat(count("SELECT COUNT(DISTINCT event_id) FROM " + effects)).isEqualTo(events);
    }

    @Test
    void leaseHeartbeatsDuringABatchRenewItsWaitingEventsAndNeverWaitForRowsTheBatchHolds() throws Exception {
        // A short lease: the keeper renews every 100 ms while the batch runs, which outlasts the lease
        // several times over. Each handler waits for two heartbeats to return after it started; a
        // heartbeat that included a row the batch had already completed (locked until the batch
        // commits) would wait for that commit, and the handler for the heartbeat: a deadlock, which this
        // test would report as a timeout.
        Duration lease = Duration.ofMillis(300);
        String effects = effectsTable("beat");
        String prefix = db().newPrefix("beat_" + run.substring(0, 4));
        JdbcIdempotencyStore jdbcStore = store(prefix, Clock.systemUTC());
        JdbcIdempotencyStore competitor = store(prefix, Clock.systemUTC());
        AtomicInteger heartbeats = new AtomicInteger();
        Object store = java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {dev.hookwise.core.spi.InboxStore.class, TransactionalStore.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(jdbcStore, args);
                        if (method.getName().equals("heartbeat")) {
                            heartbeats.incrementAndGet();
                        }
                        return result;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(SignedEvents.id(run, i));
        }
        List<Instant> lastEventsLease = new ArrayList<>();
        List<Integer> competitorClaimed = new ArrayList<>();
        WebhookProcessor processor = WebhookProcessor.builder()
                .signingSecrets(SignedEvents.SECRET)
                .store((TransactionalStore) store)
                .handlers(HandlerRegistry.builder().onAny(JdbcTransactional.handler((ctx, c) -> {
                    insert(c, effects, ctx.eventId(), "batch");
                    int start = heartbeats.get();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (heartbeats.get() < start + 2) {
                        assertThat(System.nanoTime() - deadline).as("heartbeats stalled").isNegative();
                        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                    }
                    if (!ctx.eventId().equals(ids.get(3))) {
                        // The last event still waits for its turn: its lease must be renewed meanwhile.
                        lastEventsLease.add(competitor.find(ids.get(3)).orElseThrow().leaseUntil());
                    } else if (db().database != TestDatabase.H2) {
                        // Every lease the batch took has run out many times over: another worker still
                        // gets none of its events (renewed, or locked by the batch until it commits and
                        // skipped). H2 has no SKIP LOCKED: its claim would wait out the lock timeout on
                        // each row the batch holds (correct, but seconds per row); the attempts below
                        // show no takeover there either.
                        competitorClaimed.add(competitor.claimDue("competitor", lease, 10).size());
                    }
                })).build())
                .mode(ProcessingMode.ASYNC)
                .leaseDuration(lease)
                .retryPolicy(RetryPolicy.none())
                .build();
        for (int i = 0; i < 4; i++) {
            deliver(processor, i, Clock.systemUTC());
        }
        InboxWorker worker = InboxWorker.builder(processor).batchSize(4).transactionBatchSize(4).backoff(BACKOFF).build();

        assertThat(worker.drainOnce()).isEqualTo(4);

        assertThat(lastEventsLease).hasSize(3);
        assertThat(lastEventsLease.get(2)).as("the waiting event's lease was renewed").isAfter(lastEventsLease.get(0));
        assertThat(competitorClaimed).isEqualTo(db().database == TestDatabase.H2 ? List.of() : List.of(0));
        assertCompletedOnFirstAttempt(jdbcStore, ids);
        assertThat(rows(effects, null)).isEqualTo(4);
    }

    @Test
    void aBatchWhoseCommitFailsRunsItsEventsAgainOneTransactionEachWithNoRowDoubled() throws Exception {
        String effects = effectsTable("commit");
        AtomicInteger transactions = new AtomicInteger();
        // The seam a framework plugs into: here a runner whose first commit fails (the connection reset).
        JdbcTransactionRunner failingOnce = new JdbcTransactionRunner() {
            @Override
            public <T> T inTransaction(javax.sql.DataSource dataSource, Work<T> work) throws SQLException {
                int n = transactions.incrementAndGet();
                return JdbcTransactionRunner.plain().inTransaction(dataSource, c -> {
                    T result = work.run(c);
                    if (n == 1) {
                        throw new SQLException("I/O error: connection reset before the commit", "08006");
                    }
                    return result;
                });
            }
        };
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(db().dataSource())
                .tablePrefix(db().newPrefix("commit_" + run.substring(0, 4))).createSchema(true).clock(clock)
                .transactionRunner(failingOnce).build();
        WebhookProcessor processor = asyncProcessor(store, "commit", clock, HandlerRegistry.builder()
                .onAny(JdbcTransactional.handler((ctx, c) -> insert(c, effects, ctx.eventId(), "written"))).build());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(deliver(processor, i, clock));
        }

        assertThat(InboxWorker.builder(processor).batchSize(3).transactionBatchSize(3).build().drainOnce()).isEqualTo(3);

        assertThat(transactions).as("the failed batch, then one transaction per event").hasValue(4);
        assertCompletedOnFirstAttempt(store, ids);
        for (String id : ids) {
            assertThat(rows(effects, id)).isEqualTo(1);
        }
    }

    @Test
    void aBatchWhoseTransactionAHandlerEndedUnderneathCommitsNothingOfItAndRunsItsEventsAgain() throws Exception {
        String effects = effectsTable("ended");
        String rude = SignedEvents.id(run, 1);
        AtomicInteger rudeCalls = new AtomicInteger();
        Node node = node("ended", clock, JdbcTransactional.handler((ctx, c) -> {
            insert(c, effects, ctx.eventId(), "written");
            if (ctx.eventId().equals(rude) && rudeCalls.incrementAndGet() == 1) {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK"); // forbidden, and not refusable: a deadlock on InnoDB does the same
                }
            }
        }));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(deliver(node, i, clock));
        }

        assertThat(InboxWorker.builder(node.processor).batchSize(3).transactionBatchSize(3).build().drainOnce())
                .isEqualTo(3);

        if (!db().database.dialect.releaseProvesTransaction()) {
            // H2's driver releases savepoints without asking the database, so the store cannot tell
            // (documented on JdbcIdempotencyStore.runInTransaction): the first event's verdict went with
            // the handler's ROLLBACK (it stays claimed and runs again after its lease), and the rude
            // event's write before the ROLLBACK is lost although its completion committed.
            assertThat(node.store.find(ids.get(0)).orElseThrow().status()).isEqualTo(EventStatus.PROCESSING);
            assertThat(node.store.find(rude).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
            assertThat(rows(effects, ids.get(0))).isZero();
            assertThat(rows(effects, rude)).isZero();
            assertThat(rows(effects, ids.get(2))).isEqualTo(1);
            return;
        }
        for (String id : ids) {
            assertThat(node.store.find(id).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
            assertThat(rows(effects, id)).as("%s written once, by its own transaction after the batch failed", id)
                    .isEqualTo(1);
        }
    }

    @Test
    void aBatchEventWhoseHandlerSwallowedADatabaseErrorIsJudgedOnItsOwn() throws Exception {
        String effects = effectsTable("swallow");
        String careless = SignedEvents.id(run, 0);
        Node node = node("swallow", clock, JdbcTransactional.handler((ctx, c) -> {
            insert(c, effects, ctx.eventId(), "written");
            if (ctx.eventId().equals(careless)) {
                try (Statement s = c.createStatement()) {
                    s.executeQuery("SELECT * FROM hookwise_no_such_table");
                } catch (SQLException ignored) {
                    // swallowed: on PostgreSQL the transaction is now aborted
                }
            }
        }));
        deliver(node, 0, clock);
        String other = deliver(node, 1, clock);

        assertThat(InboxWorker.builder(node.processor).batchSize(2).transactionBatchSize(2).backoff(BACKOFF).build()
                .drainOnce()).isEqualTo(2);

        assertThat(node.store.find(other).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(rows(effects, other)).isEqualTo(1);
        EventRecord row = node.store.find(careless).orElseThrow();
        if (db().database == TestDatabase.POSTGRESQL) {
            // The completion was refused in the aborted transaction: rolled back to the event's savepoint.
            assertThat(row.status()).isEqualTo(EventStatus.FAILED);
            assertThat(row.lastError()).contains("the completion could not be written");
            assertThat(rows(effects, careless)).isZero();
        } else {
            // A failed statement leaves MariaDB's and H2's transaction as it was.
            assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
            assertThat(rows(effects, careless)).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- helpers

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws SQLException;
    }

    record Node(JdbcIdempotencyStore store, WebhookProcessor processor) {}

    private Node node(String name, Clock clock, WebhookHandler handler) {
        return node(name, db().newPrefix(name + "_" + run.substring(0, 4)), clock, handler);
    }

    private Node node(String name, String prefix, Clock clock, WebhookHandler handler) {
        JdbcIdempotencyStore store = store(prefix, clock);
        return new Node(store, asyncProcessor(store, name, clock, HandlerRegistry.builder().onAny(handler).build()));
    }

    private JdbcIdempotencyStore store(String prefix, Clock clock) {
        return JdbcIdempotencyStore.builder(db().dataSource()).tablePrefix(prefix).createSchema(true).clock(clock).build();
    }

    private static WebhookProcessor asyncProcessor(JdbcIdempotencyStore store, String name, Clock clock,
            HandlerRegistry handlers) {
        return asyncProcessor(store, name, clock, handlers, dev.hookwise.core.WebhookListener.NONE);
    }

    private static WebhookProcessor asyncProcessor(JdbcIdempotencyStore store, String name, Clock clock,
            HandlerRegistry handlers, dev.hookwise.core.WebhookListener listener) {
        return WebhookProcessor.builder()
                .signingSecrets(SignedEvents.SECRET)
                .store(store)
                .handlers(handlers)
                .mode(ProcessingMode.ASYNC)
                .leaseDuration(LEASE)
                .listener(listener)
                .clock(clock)
                .instanceId(name)
                .build();
    }

    private static InboxWorker manual(WebhookProcessor processor, int maxAttempts) {
        return InboxWorker.builder(processor).maxAttempts(maxAttempts).backoff(BACKOFF).batchSize(10).build();
    }

    private String deliver(Node node, int index, Clock clock) {
        return deliver(node.processor, index, clock);
    }

    /** Queues event {@code index} of this run; returns its id. */
    private String deliver(WebhookProcessor processor, int index, Clock clock) {
        Instant now = clock.instant();
        assertThat(processor.process(SignedEvents.sign(SignedEvents.payload(run, index, now), now)).outcome())
                .isEqualTo(Outcome.QUEUED);
        return SignedEvents.id(run, index);
    }

    /** A table of effects with no unique key: a second write for one event is a second row. */
    private String effectsTable(String label) throws SQLException {
        String table = db().table("fx_" + label + "_" + run.substring(0, 4).toLowerCase(Locale.ROOT));
        createEffectsTable(db().dataSource(), table);
        return table;
    }

    static void createEffectsTable(javax.sql.DataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (event_id VARCHAR(255) NOT NULL, note VARCHAR(64) NOT NULL)");
        }
    }

    static void insert(Connection c, String table, String eventId, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (event_id, note) VALUES (?, ?)")) {
            ps.setString(1, eventId);
            ps.setString(2, note);
            ps.executeUpdate();
        }
    }

    /** Each event completed, on its first attempt: by its batch, not taken over. */
    private static void assertCompletedOnFirstAttempt(JdbcIdempotencyStore store, List<String> ids) {
        for (String id : ids) {
            EventRecord row = store.find(id).orElseThrow();
            assertThat(row.status()).as("%s completed by the batch, not taken over", id).isEqualTo(EventStatus.COMPLETED);
            assertThat(row.attempts()).isEqualTo(1);
        }
    }

    /** A synchronous processor whose in-process retries ({@code maxAttempts} tries) follow at once. */
    private static WebhookProcessor syncProcessor(JdbcIdempotencyStore store, HandlerRegistry handlers, int maxAttempts,
            Clock clock) {
        return WebhookProcessor.builder().signingSecrets(SignedEvents.SECRET).store(store).handlers(handlers)
                .retryPolicy(RetryPolicy.builder().maxAttempts(maxAttempts).initialInterval(Duration.ofMillis(1)).build())
                .clock(clock).build();
    }

    /** Delivers this run's event 0, signed and created now. */
    private WebhookResponse deliverFirst(WebhookProcessor processor, Clock clock) {
        Instant now = clock.instant();
        return processor.process(SignedEvents.sign(SignedEvents.payload(run, 0, now), now));
    }

    /** Rows of {@code eventId} in {@code table} (all rows when null), read on a connection of their own. */
    int rows(String table, String eventId) throws SQLException {
        return eventId == null ? count("SELECT COUNT(*) FROM " + table)
                : count("SELECT COUNT(*) FROM " + table + " WHERE event_id = ?", eventId);
    }

    private List<String> notes(String table, String eventId) throws SQLException {
        return TestSql.strings(db().dataSource(), "SELECT note FROM " + table + " WHERE event_id = ? ORDER BY note", eventId);
    }

    private int count(String sql, String... params) throws SQLException {
        return Math.toIntExact(TestSql.number(db().dataSource(), sql, params));
    }
}
