package dev.hookwise.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.ProcessingMode;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.inbox.Backoff;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.operations.EventReplayer;
import dev.hookwise.core.policy.Backpressure;
import dev.hookwise.core.policy.EventAgePolicy;
import dev.hookwise.core.policy.EventFilter;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failure promise of a {@link WebhookProcessor} and {@link InboxWorker} over a store: runs
 * that throw {@link Error}s, hang, outlive their lease or crash end in a verdict, never run forever,
 * and never run twice at once; replays that cannot run leave the event as it was. Real threads
 * and the store under test; time is a {@link dev.hookwise.testkit.MutableClock}, except for the
 * handler timeout, which interrupts real threads.
 *
 * <p>Extend it like {@link InboxStoreContract}, returning a fresh, empty store per test.
 */
public abstract class FaultToleranceContract extends EventStoreContractSupport<InboxStore> {

    protected static final String SECRET = "whsec_fault_tolerance_contract";
    private static final Duration WAIT_AT_MOST = Duration.ofSeconds(60);

    private final StripeEventFactory factory = StripeEventFactory.create();

    private TestEvent event(String name) {
        return factory.paymentIntentSucceeded().id(id(name)).created(clock.instant().minusSeconds(5)).build();
    }

    private TestEvent event(String name, String type) {
        return factory.event(type).id(id(name)).created(clock.instant().minusSeconds(5)).build();
    }

    private WebhookResponse deliver(WebhookProcessor processor, TestEvent event) {
        return processor.process(WebhookSigner.forSecret(SECRET).request(event, clock.instant()));
    }

    private WebhookProcessor.Builder processor(ProcessingMode mode, InboxStore on, HandlerRegistry handlers) {
        return WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(on).mode(mode)
                .allowInMemoryInbox(true).retryPolicy(RetryPolicy.none()).handlers(handlers);
    }

    private EventRecord row(String name) {
        return store.find(id(name)).orElseThrow();
    }

    /** Waits for {@code condition} (a safety net against a hang, not a timing assertion). */
    protected static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT_AT_MOST.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Test
    void handlerThrowingStackOverflowErrorRunsMaxAttemptsTimesThenIsDead() {
        AtomicInteger runs = new AtomicInteger();
        WebhookProcessor p = processor(ProcessingMode.ASYNC, store, HandlerRegistry.builder()
                .on("payment_intent.succeeded", ctx -> {
                    runs.incrementAndGet();
                    throw new StackOverflowError("deep recursion on one odd payload");
                }).build()).build();
        InboxWorker worker = InboxWorker.builder(p).maxAttempts(3)
                .backoff(Backoff.exponential(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), 0.0)).build();
        assertThat(deliver(p, event("soe")).outcome()).isEqualTo(Outcome.QUEUED);

        for (int round = 0; round < 6; round++) {
            try {
                worker.drainOnce();
            } catch (StackOverflowError expected) {
                // recorded first, then rethrown: the JVM may be unable to go on
            }
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(runs).hasValue(3);
        EventRecord dead = row("soe");
        assertThat(dead.status()).isEqualTo(EventStatus.DEAD);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.lastError()).contains("gave up after 3 attempts").contains("StackOverflowError");
    }

    @Test
    @SuppressWarnings("try") // the worker's threads do the work; the block only bounds their life
    void errorInABackgroundWorkerIsRecordedAndTheWorkerGoesOn() {
        AtomicInteger runs = new AtomicInteger();
        Set<String> done = ConcurrentHashMap.newKeySet();
        WebhookProcessor p = processor(ProcessingMode.ASYNC, store, HandlerRegistry.builder()
                .on("payment_intent.succeeded", ctx -> {
                    runs.incrementAndGet();
                    throw new NoClassDefFoundError("com/example/MissingAtRuntime");
                })
                .on("customer.created", ctx -> done.add(ctx.eventId()))
                .build()).build();
        deliver(p, event("ncdfe"));
        try (InboxWorker worker = InboxWorker.builder(p).threads(2).pollInterval(Duration.ofMillis(10)).maxAttempts(2)
                .backoff(Backoff.exponential(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), 0.0)).build().start()) {
            await("the event is dead", () -> {
                clock.advance(Duration.ofSeconds(2));
                return row("ncdfe").status() == EventStatus.DEAD;
            });
            for (int i = 0; i < 10; i++) {
                deliver(p, event("after-" + i, "customer.created"));
            }
            await("the worker still runs events", () -> done.size() == 10);
        }
        assertThat(runs).hasValue(2);
        assertThat(row("ncdfe").lastError()).contains("NoClassDefFoundError");
    }

    @Test
    void runsThatCrashedWithoutAVerdictCountAndTheNextClaimIsDeadWithoutRunning() {
        AtomicInteger runs = new AtomicInteger();
        WebhookProcessor p = processor(ProcessingMode.ASYNC, store, HandlerRegistry.builder()
                .on("payment_intent.succeeded", ctx -> runs.incrementAndGet()).build()).build();
        deliver(p, event("crashy"));
        for (int crash = 1; crash <= 3; crash++) {
            // A worker claims the event and its process dies (no verdict, no heartbeat).
            assertThat(store.claimDue("crashed-" + crash, p.leaseDuration(), 1)).hasSize(1);
            clock.advance(p.leaseDuration().plusSeconds(1));
        }

        assertThat(InboxWorker.builder(p).maxAttempts(3).build().drainOnce()).isEqualTo(1);

        assertThat(runs).as("never run again").hasValue(0);
        EventRecord dead = row("crashy");
        assertThat(dead.status()).isEqualTo(EventStatus.DEAD);
        assertThat(dead.lastError()).contains("crashed or timed out 3 times");
    }

    @Test
    @Timeout(120)
    void handlerRunningThreeTimesItsLeaseRunsOnceAndCompletes() throws Exception {
        Duration lease = Duration.ofMillis(600);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        WebhookHandler slow = ctx -> {
            runs.incrementAndGet();
            started.countDown();
            finish.await();
        };
        WebhookProcessor first = processor(ProcessingMode.ASYNC, store,
                HandlerRegistry.builder().on("payment_intent.succeeded", slow).build()).leaseDuration(lease).build();
        WebhookProcessor second = processor(ProcessingMode.ASYNC, store,
                HandlerRegistry.builder().on("payment_intent.succeeded", slow).build()).leaseDuration(lease).build();
        deliver(first, event("slow"));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> running = thread.submit(() -> InboxWorker.builder(first).build().drainOnce());
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            InboxWorker other = InboxWorker.builder(second).build();
            for (int half = 0; half < 6; half++) { // three leases of time pass while the handler runs
                clock.advance(lease.dividedBy(2));
                await("the running handler's lease is renewed", () -> {
                    Instant until = row("slow").leaseUntil();
                    return until != null && !until.isBefore(clock.instant().plus(lease));
                });
                assertThat(other.drainOnce()).as("the second worker finds nothing to take").isZero();
                assertThat(deliver(second, event("slow")).outcome()).isIn(Outcome.DUPLICATE, Outcome.QUEUED);
            }
            finish.countDown();
            assertThat(running.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            finish.countDown();
            thread.shutdownNow();
        }
        assertThat(runs).hasValue(1);
        EventRecord done = row("slow");
        assertThat(done.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(done.attempts()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("try") // the worker's threads do the work; the block only bounds their life
    @Timeout(120)
    void hungHandlerIsInterruptedRetriedAndDeadWhileOtherEventsFlow() {
        AtomicInteger hungRuns = new AtomicInteger();
        CountDownLatch hung = new CountDownLatch(1);
        Map<String, AtomicInteger> normal = new ConcurrentHashMap<>();
        WebhookProcessor p = processor(ProcessingMode.ASYNC, store, HandlerRegistry.builder()
                .on("payment_intent.succeeded", ctx -> {
                    hungRuns.incrementAndGet();
                    hung.countDown();
                    new CountDownLatch(1).await(); // forever, until interrupted
                })
                .on("customer.created", ctx -> normal.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet())
                .build())
                .leaseDuration(Duration.ofHours(1)).handlerTimeout(Duration.ofMillis(300)).build();
        try (InboxWorker worker = InboxWorker.builder(p).threads(2).pollInterval(Duration.ofMillis(10)).maxAttempts(2)
                .backoff(Backoff.exponential(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), 0.0)).build().start()) {
            deliver(p, event("hung"));
            await("the hung handler started", () -> hung.getCount() == 0);
            for (int i = 0; i < 50; i++) {
                deliver(p, event("flow-" + i, "customer.created"));
            }
            await("the other events completed", () -> normal.size() == 50);
            await("the hung event is dead", () -> {
                clock.advance(Duration.ofSeconds(2)); // its retry comes due
                return row("hung").status() == EventStatus.DEAD;
            });
        }
        assertThat(hungRuns).hasValue(2);
        assertThat(row("hung").lastError()).contains("handlerTimeout").contains("gave up after 2 attempts");
        assertThat(normal.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(p.stuckHandlers()).isZero();
    }

    @Test
    @Timeout(120)
    void stuckHandlerCostsOneThreadAndItsLateVerdictIsRefusedAfterATakeoverBySameNamedInstance() throws Exception {
        Duration lease = Duration.ofMinutes(10);
        CountDownLatch stuckStarted = new CountDownLatch(1);
        CountDownLatch unstick = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Map<String, AtomicInteger> normal = new ConcurrentHashMap<>();
        HandlerRegistry handlers = HandlerRegistry.builder()
                .on("payment_intent.succeeded", ctx -> {
                    if (runs.incrementAndGet() == 1) {
                        stuckStarted.countDown();
                        awaitIgnoringInterrupts(unstick); // ignores the timeout's interrupt
                    }
                })
                .on("customer.created", ctx -> normal.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet())
                .build();
        WebhookProcessor first = processor(ProcessingMode.ASYNC, store, handlers).instanceId("node-a")
                .leaseDuration(lease).handlerTimeout(Duration.ofMillis(200)).build();
        WebhookProcessor twin = processor(ProcessingMode.ASYNC, store, handlers).instanceId("node-a")
                .leaseDuration(lease).build();
        EventRecord taken;
        InboxWorker worker = InboxWorker.builder(first).threads(2).pollInterval(Duration.ofMillis(10))
                .shutdownTimeout(Duration.ofMillis(100)).build().start();
        try {
            deliver(first, event("stuck"));
            assertThat(stuckStarted.await(60, TimeUnit.SECONDS)).isTrue();
            await("the run is reported stuck", () -> first.stuckHandlers() == 1);

            for (int i = 0; i < 30; i++) {
                deliver(first, event("beside-" + i, "customer.created"));
            }
            await("the other events ran on the remaining thread", () -> normal.size() == 30);

            // This instance stops claiming (its stuck thread stays stuck: close() returns at its
            // shutdown timeout), so that the twin is the one to find the event once its lease ends.
            worker.close();
            assertThat(first.stuckHandlers()).isEqualTo(1);
            clock.advance(lease.plusSeconds(1));
            assertThat(InboxWorker.builder(twin).build().drainOnce()).isEqualTo(1);
            taken = row("stuck");
            assertThat(taken.status()).isEqualTo(EventStatus.COMPLETED);
            assertThat(taken.attempts()).isEqualTo(2);
            assertThat(taken.owner()).startsWith("node-a-");

            unstick.countDown(); // the first run returns "successfully", long after its claim ended
            await("the stuck thread came back", () -> first.stuckHandlers() == 0 && first.runningHandlers() == 0);
        } finally {
            unstick.countDown();
            worker.close();
        }
        assertThat(runs).hasValue(2);
        assertThat(row("stuck")).as("the late verdict changed nothing").isEqualTo(taken);
        assertThat(normal.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void payloadStripeJavaCannotReadIsDeadAtOnceNamingTheField() {
        AtomicInteger runs = new AtomicInteger();
        WebhookProcessor p = processor(ProcessingMode.SYNC, store, HandlerRegistry.builder()
                .on("payment_intent.succeeded", com.stripe.model.PaymentIntent.class, (intent, ctx) -> runs.incrementAndGet())
                .build()).build();
        TestEvent unreadable = factory.paymentIntentSucceeded().id(id("lots")).created(clock.instant().minusSeconds(5))
                .objectField("amount", "lots").build();
        com.google.gson.JsonObject body = com.google.gson.JsonParser.parseString(factory.paymentIntentSucceeded()
                .id(id("noversion")).created(clock.instant().minusSeconds(5)).build().json()).getAsJsonObject();
        body.remove("api_version");
        TestEvent noVersion = TestEvent.fromJson(body.toString());

        WebhookResponse answer = deliver(p, unreadable);
        assertThat(deliver(p, noVersion).outcome()).isEqualTo(Outcome.PROCESSED);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.outcome()).isEqualTo(Outcome.FAILED_PERMANENT);
        EventRecord dead = row("lots");
        assertThat(dead.status()).isEqualTo(EventStatus.DEAD);
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.lastError()).contains("amount").contains(id("lots")).doesNotContain("lots\"");
        assertThat(runs).as("only the event without api_version reached the typed handler").hasValue(1);
        assertThat(row("noversion").apiVersion()).isNull();
    }

    @Test
    void workerAppliesTheRequestPathsEventFilter() {
        AtomicInteger runs = new AtomicInteger();
        WebhookProcessor liveOnly = processor(ProcessingMode.ASYNC, store, HandlerRegistry.builder()
                .on("payment_intent.succeeded", ctx -> runs.incrementAndGet()).build())
                .filter(EventFilter.builder().livemode(true).build()).build();
        TestEvent testMode = event("testmode");
        // Queued by another instance or an older configuration, bypassing this filter.
        store.enqueue(new NewEvent(testMode.id(), testMode.type(), testMode.created(), false, null, null,
                EventSource.WEBHOOK, testMode.bytes()));

        assertThat(InboxWorker.builder(liveOnly).build().drainOnce()).isEqualTo(1);

        assertThat(runs).hasValue(0);
        EventRecord ignored = row("testmode");
        assertThat(ignored.status()).isEqualTo(EventStatus.IGNORED);
        assertThat(ignored.lastError()).isEqualTo(Outcome.IGNORED_LIVEMODE.code());
    }

    @Test
    @Timeout(120)
    void syncReplayOfIgnoredAndStaleEventsLeavesThemUnchangedUntilItCanRun() throws Exception {
        Set<String> failing = ConcurrentHashMap.newKeySet();
        InboxStore flaky = failingOn(failing);
        // Recorded by an instance without the handler, and by one whose age policy found it stale.
        processor(ProcessingMode.SYNC, flaky, HandlerRegistry.builder().on("customer.created", ctx -> { }).build())
                .build().process(WebhookSigner.forSecret(SECRET).request(event("ign"), clock.instant()));
        TestEvent old = factory.paymentIntentSucceeded().id(id("stale")).created(clock.instant().minus(Duration.ofHours(2)))
                .build();
        processor(ProcessingMode.SYNC, flaky, HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> { }).build())
                .eventAgePolicy(EventAgePolicy.maxAge(Duration.ofHours(1))).build()
                .process(WebhookSigner.forSecret(SECRET).request(old, clock.instant()));
        EventRecord ignoredBefore = row("ign");
        EventRecord staleBefore = row("stale");
        assertThat(ignoredBefore.status()).isEqualTo(EventStatus.IGNORED);
        assertThat(staleBefore.status()).isEqualTo(EventStatus.SKIPPED_STALE);

        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebhookProcessor p = processor(ProcessingMode.SYNC, flaky, HandlerRegistry.builder()
                .on("payment_intent.succeeded", ctx -> runs.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet())
                .on("customer.created", ctx -> {
                    blocking.countDown();
                    release.await();
                }).build())
                .backpressure(Backpressure.builder().maxInFlight(1).build()).build();
        EventReplayer replayer = EventReplayer.of(p);

        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<WebhookResponse> inFlight = thread.submit(() -> deliver(p, event("hold", "customer.created")));
            assertThat(blocking.await(60, TimeUnit.SECONDS)).isTrue();
            for (String name : new String[] {"ign", "stale"}) {
                EventReplayer.ReplayResult overloaded = replayer.replay(id(name), "ops");
                assertThat(overloaded.replayed()).as(name).isFalse();
                assertThat(overloaded.outcome()).as(name).isEqualTo(Outcome.OVERLOADED);
            }
            release.countDown();
            assertThat(inFlight.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.PROCESSED);
        } finally {
            release.countDown();
            thread.shutdownNow();
        }
        assertThat(row("ign")).isEqualTo(ignoredBefore);
        assertThat(row("stale")).isEqualTo(staleBefore);

        failing.add("claimForReplay"); // the store goes away between reading the event and claiming it
        assertThat(replayer.replay(id("ign"), "ops").outcome()).isEqualTo(Outcome.STORE_UNAVAILABLE);
        failing.add("find"); // … or before anything is read
        assertThatThrownBy(() -> replayer.replay(id("stale"), "ops")).isInstanceOf(StoreUnavailableException.class);
        failing.clear();
        assertThat(row("ign")).isEqualTo(ignoredBefore);
        assertThat(row("stale")).isEqualTo(staleBefore);
        assertThat(runs).isEmpty();

        for (String name : new String[] {"ign", "stale"}) {
            EventReplayer.ReplayResult later = replayer.replay(id(name), "ops");
            assertThat(later.replayed()).as(name).isTrue();
            assertThat(later.outcome()).as(name).isEqualTo(Outcome.PROCESSED);
            EventRecord done = row(name);
            assertThat(done.status()).as(name).isEqualTo(EventStatus.COMPLETED);
            assertThat(done.source()).as(name).isEqualTo(EventSource.REPLAY);
            assertThat(runs.get(id(name))).as(name).hasValue(1);
        }
    }

    /** The store under test, whose methods named in {@code failing} throw as an unreachable database would. */
    private InboxStore failingOn(Set<String> failing) {
        InboxStore real = store;
        return (InboxStore) Proxy.newProxyInstance(InboxStore.class.getClassLoader(), new Class<?>[] {InboxStore.class},
                (proxy, method, args) -> {
                    if (failing.contains(method.getName())) {
                        throw new StoreUnavailableException("connection refused (" + method.getName() + ")");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
