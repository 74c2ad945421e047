package dev.hookwise.reliability;

import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Delivers signed events the way Stripe does, over real HTTP to several endpoints: every event one
 * to three times, some copies at the same moment, each copy redelivered with backoff until it is
 * answered 2xx (Stripe redelivers anything else, a connection refused or reset included). Counts
 * every answer by status.
 */
final class LoadGenerator implements AutoCloseable {

    /** How the load is shaped. */
    record Config(int events, long seed, int clientThreads, int ratePerSecond, double concurrentShare,
            Duration giveUpAfter, Duration requestTimeout) {

        Config(int events, long seed, int clientThreads, int ratePerSecond, double concurrentShare, Duration giveUpAfter) {
            this(events, seed, clientThreads, ratePerSecond, concurrentShare, giveUpAfter, Duration.ofSeconds(10));
        }
    }

    /** What the load saw. */
    record Result(int events, int copies, long requests, Set<String> acknowledged, Map<Integer, Long> answers,
            long notAcknowledgedCopies, Duration elapsed, Duration slowestAnswer) {

        long answered(int fromStatus, int toStatus) {
            return answers.entrySet().stream().filter(e -> e.getKey() >= fromStatus && e.getKey() <= toStatus)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** Requests that got no HTTP answer at all (refused, reset, timed out). */
        long unanswered() {
            return answers.getOrDefault(-1, 0L);
        }
    }

    private final Config config;
    private final WebhookSigner signer = WebhookSigner.forSecret(Harness.SECRET);
    private final ExecutorService clients;
    private final ScheduledExecutorService timer;
    private final HttpClient http;
    private final Map<Integer, LongAdder> answers = new ConcurrentHashMap<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final LongAdder gaveUp = new LongAdder();
    private final AtomicLong slowestAnswerNanos = new AtomicLong();

    LoadGenerator(Config config) {
        this.config = config;
        this.clients = Executors.newFixedThreadPool(config.clientThreads(), daemon("load-client"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("load-timer"));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .executor(Executors.newFixedThreadPool(2, daemon("load-http"))).build();
    }

    /** {@code count} distinct payment_intent.succeeded events with ids under {@code runId}. */
    static List<TestEvent> events(String runId, int count) {
        StripeEventFactory factory = StripeEventFactory.create();
        List<TestEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(factory, runId, i));
        }
        return events;
    }

    /** Event {@code i} of {@code runId} alone: the same as {@code events(runId, i + 1).get(i)}. */
    static TestEvent event(String runId, int i) {
        return event(StripeEventFactory.create(), runId, i);
    }

    private static TestEvent event(StripeEventFactory factory, String runId, int i) {
        return factory.paymentIntentSucceeded().id("evt_" + runId + "_" + i)
                .metadata("order_id", "ord_" + i).amount(1000 + i).currency("eur").build();
    }

    /** Delivers {@code events} to the endpoints {@code targets} gives at the moment of each attempt. */
    Result run(List<TestEvent> events, Supplier<List<URI>> targets) throws InterruptedException {
        Random random = new Random(config.seed());
        List<Copy> copies = new ArrayList<>();
        for (TestEvent event : events) {
            int n = 1 + random.nextInt(3);
            boolean together = random.nextDouble() < config.concurrentShare();
            for (int i = 0; i < n; i++) {
                copies.add(new Copy(event, i > 0 && !together ? 20L * i : 0L));
            }
        }
        CountDownLatch done = new CountDownLatch(copies.size());
        long start = System.nanoTime();
        long nanosPerEvent = TimeUnit.SECONDS.toNanos(1) / Math.max(1, config.ratePerSecond());
        int eventIndex = 0;
        String previous = null;
        for (Copy copy : copies) {
            if (!copy.event.id().equals(previous)) {
                previous = copy.event.id();
                long due = start + eventIndex++ * nanosPerEvent;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing the offered load
                }
            }
            copy.deadline = System.nanoTime() + config.giveUpAfter().toNanos();
            copy.done = done;
            copy.targets = targets;
            Future<?> unused = timer.schedule(() -> clients.execute(copy), copy.delayMs, TimeUnit.MILLISECONDS);
        }
        // Every copy ends: answered 2xx, or given up at its deadline (a bound, not a timing claim).
        done.await(config.giveUpAfter().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        Map<Integer, Long> counted = new TreeMap<>();
        answers.forEach((status, n) -> counted.put(status, n.sum()));
        return new Result(events.size(), copies.size(), requests.get(), Set.copyOf(acknowledged), counted,
                gaveUp.sum() + done.getCount(), Duration.ofNanos(System.nanoTime() - start),
                Duration.ofNanos(slowestAnswerNanos.get()));
    }

    /** One copy of an event, redelivered until answered 2xx. */
    private final class Copy implements Runnable {
        final TestEvent event;
        final long delayMs;
        int attempt;
        long deadline;
        CountDownLatch done;
        Supplier<List<URI>> targets;

        Copy(TestEvent event, long delayMs) {
            this.event = event;
            this.delayMs = delayMs;
        }

        @Override
        public void run() {
            attempt++;
            List<URI> live = targets.get();
            URI target = live.get(ThreadLocalRandom.current().nextInt(live.size()));
            int status = send(target);
            answers.computeIfAbsent(status, s -> new LongAdder()).increment();
            if (status >= 200 && status < 300) {
                acknowledged.add(event.id());
                done.countDown();
                return;
            }
            long backoffMs = Math.min(2_000, 50L << Math.min(attempt, 6)) + ThreadLocalRandom.current().nextInt(50);
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) > deadline) {
                gaveUp.increment();
                done.countDown();
                return;
            }
            Future<?> unused = timer.schedule(() -> clients.execute(this), backoffMs, TimeUnit.MILLISECONDS);
        }

        private int send(URI target) {
            requests.incrementAndGet();
            HttpRequest request = HttpRequest.newBuilder(target).timeout(config.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("Stripe-Signature", signer.sign(event.bytes(), Instant.now()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(event.bytes())).build();
            long sent = System.nanoTime();
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                slowestAnswerNanos.accumulateAndGet(System.nanoTime() - sent, Math::max);
                return status;
            } catch (IOException e) {
                return -1; // refused, reset or timed out: Stripe counts it as a failure and redelivers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        clients.shutdownNow();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
