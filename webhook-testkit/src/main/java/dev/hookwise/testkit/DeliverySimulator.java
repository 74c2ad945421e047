package dev.hookwise.testkit;

import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookRequest;
import dev.hookwise.core.WebhookResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Delivers signed events the way Stripe does, to a {@link WebhookProcessor} in-process or to an
 * endpoint URL over HTTP, following a {@link DeliveryPlan}: duplicates, concurrent duplicates,
 * shuffled or reversed order, dropped deliveries, and redelivery after a non-2xx answer. Returns a
 * {@link DeliveryLog} of every attempt and its answer.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
 * WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(signer.secret()).clock(clock)
 *         .handlers(handlers).build();
 * DeliveryLog log = DeliverySimulator.toProcessor(processor).signer(signer).clock(clock).build()
 *         .deliver(events, DeliveryPlan.builder().duplicates(1).shuffle(7).redeliverFailures(4).build());
 * }</pre>
 *
 * <p><b>Time is virtual.</b> Redeliveries wait by the plan's backoff, but nothing sleeps: before each
 * attempt the simulator hands the wait to its {@link Waiter}. With a {@link MutableClock} (the
 * default waiter advances it) the processor under test sees hours pass in microseconds, so leases
 * expire and failed events fall due exactly as they would in production. Each attempt is signed at
 * the clock's time when it is made, as Stripe signs every attempt afresh.
 *
 * <p>Threads are bounded: concurrent copies run on a pool of at most {@link Builder#maxThreads}
 * threads that exists only during {@link #deliver}; HTTP uses one client with a bounded executor,
 * released by {@link #close()}.
 */
public final class DeliverySimulator implements AutoCloseable {
    private static final Pattern OUTCOME = Pattern.compile("\"outcome\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Duration SAFETY_TIMEOUT = Duration.ofMinutes(5);

    /** Receives each virtual wait between attempts; the default advances a {@link MutableClock}, else does nothing. */
    @FunctionalInterface
    public interface Waiter {
        /** Lets {@code duration} pass before the next attempt. */
        void waitFor(Duration duration);
    }

    private interface Target {
        Answer send(byte[] body, String signature) throws IOException, InterruptedException;
    }

    private record Answer(int status, @Nullable String body, @Nullable Outcome outcome) {}

    private final Target target;
    private final WebhookSigner signer;
    private final WebhookSigner.Options signatureOptions;
    private final Clock clock;
    private final Waiter waiter;
    private final int maxThreads;
    private final @Nullable ExecutorService httpExecutor;

    private DeliverySimulator(Builder b, Target target, @Nullable ExecutorService httpExecutor) {
        this.target = target;
        this.signer = Objects.requireNonNull(b.signer, "signer");
        this.signatureOptions = b.signatureOptions;
        this.clock = b.clock;
        this.waiter = b.waiter != null ? b.waiter
                : b.clock instanceof MutableClock mutable ? mutable::advance : d -> { };
        this.maxThreads = b.maxThreads;
        this.httpExecutor = httpExecutor;
    }

    /** A simulator that calls {@code processor.process(…)} directly, as an HTTP adapter would. */
    public static Builder toProcessor(WebhookProcessor processor) {
        return new Builder(Objects.requireNonNull(processor, "processor"), null);
    }

    /** A simulator that POSTs to {@code endpoint} with {@link java.net.http.HttpClient}. */
    public static Builder toUrl(URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("endpoint must be an http(s) URI, but was " + endpoint);
        }
        return new Builder(null, endpoint);
    }

    /** Delivers each event once, in order. */
    public DeliveryLog deliver(TestEvent... events) {
        return deliver(List.of(events), DeliveryPlan.once());
    }

    /** Delivers each event once, in order. */
    public DeliveryLog deliver(List<TestEvent> events) {
        return deliver(events, DeliveryPlan.once());
    }

    /** Delivers the events as {@code plan} says and returns what happened. */
    public DeliveryLog deliver(List<TestEvent> events, DeliveryPlan plan) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(plan, "plan");
        Instant start = clock.instant();
        PriorityQueue<Slot> queue = new PriorityQueue<>(Comparator.comparing(Slot::time).thenComparingLong(Slot::order));
        long[] order = {0};
        for (Slot slot : initialSlots(events, plan, start)) {
            queue.add(slot);
            order[0] = Math.max(order[0], slot.order() + 1);
        }
        List<Delivery> log = new ArrayList<>();
        Instant now = start;
        ExecutorService pool = plan.concurrentCopies > 1
                ? Executors.newFixedThreadPool(Math.min(maxThreads, plan.concurrentCopies), daemon("hookwise-delivery"))
                : null;
        try {
            while (!queue.isEmpty()) {
                Slot slot = queue.poll();
                if (slot.time().isAfter(now)) {
                    waiter.waitFor(Duration.between(now, slot.time()));
                    now = slot.time();
                }
                if (slot.dropped()) {
                    for (Attempt a : slot.attempts()) {
                        log.add(new Delivery(log.size() + 1, a.event().id(), a.event().type(), a.copy(), a.attempt(),
                                now, Delivery.Status.DROPPED, 0, null, null, null));
                    }
                    continue;
                }
                List<Delivery> results = slot.attempts().size() == 1
                        ? List.of(attempt(slot.attempts().get(0), now, log.size() + 1))
                        : concurrently(pool, slot.attempts(), now, log.size() + 1);
                for (int i = 0; i < results.size(); i++) {
                    Delivery d = results.get(i);
                    log.add(d);
                    Attempt a = slot.attempts().get(i);
                    if (d.needsRedelivery() && a.attempt() < plan.maxAttempts) {
                        Instant next = now.plus(plan.backoffBefore(a.attempt() + 1));
                        if (!next.isAfter(a.firstAt().plus(plan.retryWindow))) {
                            queue.add(new Slot(next, order[0]++, List.of(a.next()), false));
                        }
                    }
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return new DeliveryLog(log);
    }

    private List<Slot> initialSlots(List<TestEvent> events, DeliveryPlan plan, Instant start) {
        List<List<Attempt>> groups = new ArrayList<>();
        for (TestEvent e : events) {
            Objects.requireNonNull(e, "event");
            if (plan.concurrentCopies > 1) {
                List<Attempt> copies = new ArrayList<>();
                for (int c = 1; c <= plan.concurrentCopies; c++) {
                    copies.add(new Attempt(e, c, 1, start));
                }
                groups.add(copies);
            } else {
                for (int c = 1; c <= plan.copiesPerEvent(); c++) {
                    groups.add(List.of(new Attempt(e, c, 1, start)));
                }
            }
        }
        if (plan.reverse) {
            Collections.reverse(groups);
        } else if (plan.shuffleSeed != null) {
            Collections.shuffle(groups, new Random(plan.shuffleSeed));
        }
        List<Slot> slots = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            Instant at = start.plus(plan.spacing.multipliedBy(i));
            List<Attempt> group = new ArrayList<>();
            for (Attempt a : groups.get(i)) {
                group.add(new Attempt(a.event(), a.copy(), 1, at));
            }
            slots.add(new Slot(at, i, group, plan.drop.test(group.get(0).event())));
        }
        return slots;
    }

    private List<Delivery> concurrently(@Nullable ExecutorService pool, List<Attempt> attempts, Instant now,
            int firstSequence) {
        Objects.requireNonNull(pool, "pool");
        int threads = Math.min(maxThreads, attempts.size());
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Delivery>> futures = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            int sequence = firstSequence + i;
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return attempt(a, now, sequence);
            }));
        }
        try {
            if (!ready.await(SAFETY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("delivery threads did not start within " + SAFETY_TIMEOUT);
            }
            go.countDown();
            List<Delivery> out = new ArrayList<>();
            for (Future<Delivery> f : futures) {
                out.add(f.get(SAFETY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a concurrent delivery did not complete: " + e, e);
        }
    }

    private Delivery attempt(Attempt a, Instant now, int sequence) {
        TestEvent e = a.event();
        String header = signer.sign(e.bytes(), clock.instant(), signatureOptions);
        try {
            Answer answer = target.send(e.bytes(), header);
            Delivery.Status status = answer.status() >= 200 && answer.status() < 300
                    ? Delivery.Status.ACKNOWLEDGED : Delivery.Status.REJECTED;
            return new Delivery(sequence, e.id(), e.type(), a.copy(), a.attempt(), now, status, answer.status(),
                    answer.outcome(), answer.body(), null);
        } catch (IOException ex) {
            return new Delivery(sequence, e.id(), e.type(), a.copy(), a.attempt(), now, Delivery.Status.FAILED, 0,
                    null, null, ex.getClass().getSimpleName() + ": " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering " + e.id(), ex);
        }
    }

    private static @Nullable Outcome outcomeOf(@Nullable String body) {
        if (body == null) {
            return null;
        }
        Matcher m = OUTCOME.matcher(body);
        if (!m.find()) {
            return null;
        }
        for (Outcome o : Outcome.values()) {
            if (o.code().equals(m.group(1))) {
                return o;
            }
        }
        return null;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Releases the HTTP client's threads; a no-op for in-process simulators. */
    @Override
    public void close() {
        if (httpExecutor != null) {
            httpExecutor.shutdownNow();
        }
    }

    private record Attempt(TestEvent event, int copy, int attempt, Instant firstAt) {
        Attempt next() {
            return new Attempt(event, copy, attempt + 1, firstAt);
        }
    }

    private record Slot(Instant time, long order, List<Attempt> attempts, boolean dropped) {}

    /** Builder for {@link DeliverySimulator}; {@link #signer} is required. */
    public static final class Builder {
        private final @Nullable WebhookProcessor processor;
        private final @Nullable URI endpoint;
        private @Nullable WebhookSigner signer;
        private WebhookSigner.Options signatureOptions = WebhookSigner.Options.defaults();
        private Clock clock = Clock.systemUTC();
        private @Nullable Waiter waiter;
        private int maxThreads = 8;
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder(@Nullable WebhookProcessor processor, @Nullable URI endpoint) {
            this.processor = processor;
            this.endpoint = endpoint;
        }

        /** Signs every attempt; use the secret the endpoint under test is configured with. */
        public Builder signer(WebhookSigner value) {
            this.signer = Objects.requireNonNull(value, "signer");
            return this;
        }

        /** Shapes every signature header, e.g. {@code Options.defaults().wrongSecret()} to test rejections. */
        public Builder signatureOptions(WebhookSigner.Options value) {
            this.signatureOptions = Objects.requireNonNull(value, "signatureOptions");
            return this;
        }

        /**
         * The clock attempts are signed and logged by; share it with the processor. A {@link MutableClock}
         * is advanced through redelivery waits unless a {@link #waiter} is set.
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** What to do with each wait between attempts (default: advance a {@link MutableClock}, else nothing). */
        public Builder waiter(Waiter value) {
            this.waiter = Objects.requireNonNull(value, "waiter");
            return this;
        }

        /** Most threads used at once for concurrent copies and HTTP (default 8). */
        public Builder maxThreads(int value) {
            if (value < 1 || value > 256) {
                throw new IllegalArgumentException("maxThreads must be between 1 and 256, but was " + value);
            }
            this.maxThreads = value;
            return this;
        }

        /** How long an HTTP attempt may take before it counts as failed (default 30 s). */
        public Builder requestTimeout(Duration value) {
            Objects.requireNonNull(value, "requestTimeout");
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("requestTimeout must be positive, but was " + value);
            }
            this.requestTimeout = value;
            return this;
        }

        public DeliverySimulator build() {
            if (signer == null) {
                throw new IllegalStateException("no signer: call signer(WebhookSigner.forSecret(\"whsec_…\")) with the"
                        + " endpoint's secret");
            }
            if (processor != null) {
                WebhookProcessor p = processor;
                return new DeliverySimulator(this, (body, signature) -> {
                    WebhookResponse r;
                    try {
                        r = p.process(WebhookRequest.of(body, signature));
                    } catch (RuntimeException e) {
                        // What an HTTP adapter answers for a bug: 500, and Stripe redelivers.
                        return new Answer(500, "{\"outcome\":\"internal_error\"}", null);
                    }
                    return new Answer(r.status(), r.body(), r.outcome());
                }, null);
            }
            URI uri = Objects.requireNonNull(endpoint, "endpoint");
            ExecutorService executor = Executors.newFixedThreadPool(maxThreads, daemon("hookwise-delivery-http"));
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .executor(executor)
                    .build();
            Duration timeout = requestTimeout;
            return new DeliverySimulator(this, (body, signature) -> {
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("Stripe-Signature", signature)
                        .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                return new Answer(response.statusCode(), response.body(), outcomeOf(response.body()));
            }, executor);
        }
    }
}
