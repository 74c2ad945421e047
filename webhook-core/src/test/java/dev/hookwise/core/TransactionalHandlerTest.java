package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.inbox.Backoff;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.TransactionalStore.Verdict;
import dev.hookwise.core.spi.TransactionalStore;
import dev.hookwise.core.spi.UpdateResult;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The core's side of transactional handlers, against a fake {@link TransactionalStore} whose
 * "database" is a list of committed writes: configuration checks, in-process retries as separate
 * transactions, transaction batches and their fallback. The JDBC acceptance tests prove the same on
 * real databases.
 */
class TransactionalHandlerTest {

    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0.0);
    private final TestClock clock = new TestClock(NOW);
    private final FakeTransactionalStore fake = new FakeTransactionalStore(InMemoryIdempotencyStore.create(clock));

    // ---------------------------------------------------------------- configuration

    @Test
    void aTransactionalHandlerNeedsATransactionalStore() {
        HandlerRegistry handlers = HandlerRegistry.builder()
                .on("invoice.paid", (ctx, tx) -> { })
                .on("invoice.*", ctx -> { })
                .build();

        assertThat(handlers.hasTransactionalHandlers()).isTrue();
        assertThatThrownBy(() -> WebhookProcessor.builder().signingSecrets(SECRET).handlers(handlers).build())
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("transactional handlers (registered for invoice.paid)")
                .hasMessageContaining("InMemoryIdempotencyStore")
                .hasMessageContaining("use JdbcIdempotencyStore");
        assertThatThrownBy(() -> WebhookProcessor.builder().signingSecrets(SECRET).handlers(handlers)
                .store(InMemoryIdempotencyStore.create(clock)).mode(ProcessingMode.ASYNC).allowInMemoryInbox(true).build())
                .isInstanceOf(HookwiseConfigurationException.class);
        assertThat(WebhookProcessor.builder().signingSecrets(SECRET).handlers(handlers).store(fake.proxy()).build())
                .isNotNull();
    }

    @Test
    void transactionBatchesNeedATransactionalStoreAndABoundedSize() {
        WebhookProcessor inMemory = WebhookProcessor.builder().signingSecrets(SECRET).mode(ProcessingMode.ASYNC)
                .allowInMemoryInbox(true).build();
        assertThatThrownBy(() -> InboxWorker.builder(inMemory).transactionBatchSize(2).build())
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("does not implement TransactionalStore")
                .hasMessageContaining("leave transactionBatchSize at 1");
        assertThat(InboxWorker.builder(inMemory).transactionBatchSize(1).build()).isNotNull();
        assertThatThrownBy(() -> InboxWorker.builder(inMemory).transactionBatchSize(0))
                .hasMessage("transactionBatchSize must be between 1 and 64, but was 0");
        assertThatThrownBy(() -> InboxWorker.builder(inMemory).transactionBatchSize(65))
                .hasMessage("transactionBatchSize must be between 1 and 64, but was 65");
    }

    @Test
    void aTransactionalHandlerIsNeverCalledOutsideATransaction() {
        TransactionalWebhookHandler handler = (ctx, tx) -> { };
        EventContext context = new EventContext(EventEnvelope.parse(TestEvents.event("evt_1", "invoice.paid", NOW)), 1,
                dev.hookwise.core.spi.EventSource.WEBHOOK);

        assertThatThrownBy(() -> handler.handle(context)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runs only inside the event log's transaction");
    }

    // ---------------------------------------------------------------- one event

    @Test
    void eachInProcessRetryIsATransactionOfItsOwnAndOnlyTheSuccessfulTryCommits() {
        AtomicInteger tries = new AtomicInteger();
        WebhookProcessor processor = sync(HandlerRegistry.builder().on("payment_intent.succeeded", (ctx, tx) -> {
            int n = tries.incrementAndGet();
            writes(tx).add(ctx.eventId() + " try " + n);
            if (n < 3) {
                throw new IllegalStateException("deadlock (" + n + ")");
            }
        }).build(), RetryPolicy.builder().maxAttempts(3).initialInterval(Duration.ofMillis(1)).build());

        WebhookResponse answer = processor.process(signed("evt_retry"));

        assertThat(answer.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(fake.transactions).hasValue(3);
        assertThat(fake.committed).containsExactly("evt_retry try 3");
        assertThat(fake.store.find("evt_retry").orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void whenEveryTryFailsTheFailureIsRecordedAfterTheLastRollback() {
        WebhookProcessor processor = sync(HandlerRegistry.builder().on("payment_intent.succeeded", (ctx, tx) -> {
            writes(tx).add("never committed");
            throw new IllegalStateException("still broken");
        }).build(), RetryPolicy.builder().maxAttempts(2).initialInterval(Duration.ofMillis(1)).build());

        WebhookResponse answer = processor.process(signed("evt_broken"));

        assertThat(answer.outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(fake.transactions).hasValue(2);
        assertThat(fake.committed).isEmpty();
        assertThat(fake.store.find("evt_broken").orElseThrow().status()).isEqualTo(EventStatus.FAILED);
        assertThat(fake.store.find("evt_broken").orElseThrow().lastError()).contains("still broken");
    }

    @Test
    void aPermanentFailureIsRecordedDeadInsideTheTransactionWithoutARetry() {
        WebhookProcessor processor = sync(HandlerRegistry.builder().on("payment_intent.succeeded", (ctx, tx) -> {
            writes(tx).add("never committed");
            throw new PermanentWebhookFailure("order unknown");
        }).build(), RetryPolicy.builder().maxAttempts(3).initialInterval(Duration.ofMillis(1)).build());

        assertThat(processor.process(signed("evt_dead")).outcome()).isEqualTo(Outcome.FAILED_PERMANENT);
        assertThat(fake.transactions).hasValue(1);
        assertThat(fake.committed).isEmpty();
        assertThat(fake.store.find("evt_dead").orElseThrow().status()).isEqualTo(EventStatus.DEAD);
    }

    // ---------------------------------------------------------------- batches

    @Test
    void aWorkerRunsTheTransactionalEventsOfAGroupInOneTransactionAndTheOthersAlone() {
        AtomicInteger plainRuns = new AtomicInteger();
        WebhookProcessor processor = async(HandlerRegistry.builder()
                .on("payment_intent.*", (ctx, tx) -> writes(tx).add(ctx.eventId()))
                .on("customer.created", ctx -> plainRuns.incrementAndGet())
                .build());
        for (int i = 0; i < 4; i++) {
            assertThat(processor.process(signed("evt_b" + i)).outcome()).isEqualTo(Outcome.QUEUED);
        }
        assertThat(processor.process(signed("evt_plain", "customer.created")).outcome()).isEqualTo(Outcome.QUEUED);
        InboxWorker worker = InboxWorker.builder(processor).batchSize(10).transactionBatchSize(5).backoff(BACKOFF).build();

        assertThat(worker.drainOnce()).isEqualTo(5);

        assertThat(fake.batchSizes).containsExactly(4);
        assertThat(fake.committed).containsExactlyInAnyOrder("evt_b0", "evt_b1", "evt_b2", "evt_b3");
        assertThat(plainRuns).hasValue(1);
        assertThat(fake.store.find("evt_plain").orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(fake.store.find("evt_b3").orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
    }

    @Test
    void aBatchThatFailsAsAWholeRunsItsEventsAgainOneTransactionEach() {
        WebhookProcessor processor = async(HandlerRegistry.builder()
                .on("payment_intent.*", (ctx, tx) -> writes(tx).add(ctx.eventId()))
                .build());
        for (int i = 0; i < 3; i++) {
            processor.process(signed("evt_f" + i));
        }
        fake.failNextCommit = true;

        assertThat(InboxWorker.builder(processor).batchSize(3).transactionBatchSize(3).build().drainOnce()).isEqualTo(3);

        assertThat(fake.batchSizes).containsExactly(3, 1, 1, 1);
        assertThat(fake.committed).containsExactly("evt_f0", "evt_f1", "evt_f2");
    }

    @Test
    void backgroundWorkersSpreadClaimsOverTheirThreadsInGroupsNoLargerThanTheTransactionBatchSize() throws Exception {
        int events = 40;
        CountDownLatch done = new CountDownLatch(events);
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(SECRET).store(fake.proxy())
                .handlers(HandlerRegistry.builder().on("payment_intent.*", (ctx, tx) -> writes(tx).add(ctx.eventId()))
                        .build())
                .mode(ProcessingMode.ASYNC).allowInMemoryInbox(true).clock(clock)
                .listener(new WebhookListener() {
                    @Override
                    public void onHandled(String type, Outcome outcome, Duration elapsed, boolean dead) {
                        done.countDown();
                    }
                })
                .build();
        for (int i = 0; i < events; i++) {
            processor.process(signed("evt_bg" + i));
        }
        try (InboxWorker worker = InboxWorker.builder(processor).threads(3).batchSize(30).transactionBatchSize(8)
                .pollInterval(Duration.ofMillis(5)).build().start()) {
            assertThat(done.await(1, TimeUnit.MINUTES)).isTrue();
            assertThat(worker.isRunning()).isTrue();
        }
        assertThat(fake.committed).hasSize(events).doesNotHaveDuplicates();
        assertThat(fake.batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, 8));
        assertThat(fake.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(events);
    }

    // ---------------------------------------------------------------- helpers

    private WebhookProcessor sync(HandlerRegistry handlers, RetryPolicy retry) {
        return WebhookProcessor.builder().signingSecrets(SECRET).store(fake.proxy()).handlers(handlers)
                .retryPolicy(retry).clock(clock).build();
    }

    private WebhookProcessor async(HandlerRegistry handlers) {
        return WebhookProcessor.builder().signingSecrets(SECRET).store(fake.proxy()).handlers(handlers)
                .mode(ProcessingMode.ASYNC).allowInMemoryInbox(true).clock(clock).build();
    }

    private WebhookRequest signed(String id) {
        return signed(id, "payment_intent.succeeded");
    }

    private WebhookRequest signed(String id, String type) {
        byte[] body = TestEvents.event(id, type, NOW);
        return WebhookRequest.of(body, header(SECRET, NOW, body));
    }

    @SuppressWarnings("unchecked")
    private static List<String> writes(StoreTransaction tx) {
        return tx.unwrap(List.class);
    }

    /**
     * An in-memory {@link TransactionalStore}: a transaction's writes go to a list that joins
     * {@link #committed} only when it commits; an event undone rolls back to its mark in the list
     * (a savepoint). Verdicts go to the in-memory store at once (good enough for the core's logic).
     */
    static final class FakeTransactionalStore {
        final InMemoryIdempotencyStore store;
        final List<String> committed = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger transactions = new AtomicInteger();
        volatile boolean failNextCommit;

        FakeTransactionalStore(InMemoryIdempotencyStore store) {
            this.store = store;
        }

        InboxStore proxy() {
            return (InboxStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {InboxStore.class, TransactionalStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("runInTransaction")) {
                            @SuppressWarnings("unchecked")
                            List<ClaimToken> claims = (List<ClaimToken>) args[0];
                            return run(claims, (TransactionalStore.Work) args[1]);
                        }
                        try {
                            return method.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        private List<UpdateResult> run(List<ClaimToken> claims, TransactionalStore.Work work) {
            transactions.incrementAndGet();
            batchSizes.add(claims.size());
            List<String> pending = new ArrayList<>();
            StoreTransaction tx = new StoreTransaction() {
                @Override
                public <T> T unwrap(Class<T> type) {
                    return type.cast(pending);
                }
            };
            if (failNextCommit) {
                // The work runs, then the transaction fails as a whole: nothing of it is applied.
                failNextCommit = false;
                for (ClaimToken claim : claims) {
                    work.run(claim, tx);
                }
                throw new StoreUnavailableException("commit failed");
            }
            List<UpdateResult> results = new ArrayList<>();
            for (ClaimToken claim : claims) {
                int savepoint = pending.size();
                Verdict verdict = work.run(claim, tx);
                if (verdict.kind() != Verdict.Kind.COMPLETE) {
                    pending.subList(savepoint, pending.size()).clear();
                }
                UpdateResult result = switch (verdict.kind()) {
                    case COMPLETE -> store.complete(claim, verdict.processingTime());
                    case RETRY_AT -> store.retryAt(claim, verdict.error(), verdict.nextAttemptAt());
                    case DEAD -> store.markDead(claim, verdict.error());
                };
                if (result == UpdateResult.LEASE_LOST) {
                    pending.subList(savepoint, pending.size()).clear();
                }
                results.add(result);
            }
            committed.addAll(pending);
            return results;
        }
    }
}
