package dev.hookwise.jdbc.multi;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookRequest;
import dev.hookwise.jdbc.HikariDataSources;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One application instance as a test sees it: its own connection pool, its own
 * {@link JdbcIdempotencyStore} and {@link WebhookProcessor}, and a handler that records effects.
 */
public final class Instance implements AutoCloseable {

    public final String name;
    public final HikariDataSource pool;
    public final JdbcIdempotencyStore store;
    public final WebhookProcessor processor;
    public final EffectRecorder effects;

    private Instance(String name, HikariDataSource pool, JdbcIdempotencyStore store, WebhookProcessor processor,
            EffectRecorder effects) {
        this.name = name;
        this.pool = pool;
        this.store = store;
        this.processor = processor;
        this.effects = effects;
    }

    /** An instance whose handler records effects in {@code effectsTable}. */
    public static Instance start(String url, String user, String password, String tablePrefix, String effectsTable,
            String name, Clock clock, Duration lease, int poolSize) {
        return start(url, user, password, tablePrefix, effectsTable, name, clock, lease, poolSize, null);
    }

    /** An instance whose handler is {@code handler} (or records effects when null). */
    public static Instance start(String url, String user, String password, String tablePrefix, String effectsTable,
            String name, Clock clock, Duration lease, int poolSize, WebhookHandler handler) {
        HikariDataSource pool = HikariDataSources.create(url, user, password, poolSize);
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).tablePrefix(tablePrefix).clock(clock).build();
        EffectRecorder effects = new EffectRecorder(pool, effectsTable, name);
        WebhookProcessor processor = SignedEvents.processor(store, handler != null ? handler : effects)
                .leaseDuration(lease).clock(clock).instanceId(name).build();
        return new Instance(name, pool, store, processor, effects);
    }

    /**
     * Delivers every request on a pool of {@code threads} threads and counts the outcomes;
     * a delivery that throws counts under {@code errors}.
     */
    public Tally deliver(List<WebhookRequest> requests, int threads) throws Exception {
        AtomicInteger errors = new AtomicInteger();
        Map<Outcome, Integer> counts = deliver(processor, requests, threads, errors);
        return new Tally(counts, errors.get(), effects.invocations(), effects.duplicateEffects());
    }

    /**
     * Delivers every request to {@code processor} on a pool of {@code threads} threads and counts the
     * outcomes; a delivery that throws a {@link RuntimeException} counts in {@code errors}.
     */
    public static Map<Outcome, Integer> deliver(WebhookProcessor processor, List<WebhookRequest> requests, int threads,
            AtomicInteger errors) throws Exception {
        Map<Outcome, LongAdder> outcomes = new ConcurrentHashMap<>();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>(requests.size());
            for (WebhookRequest request : requests) {
                futures.add(executor.submit(() -> {
                    try {
                        outcomes.computeIfAbsent(processor.process(request).outcome(), o -> new LongAdder()).increment();
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        outcomes.forEach((o, n) -> counts.put(o, n.intValue()));
        return counts;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** What one instance saw. */
    public record Tally(Map<Outcome, Integer> outcomes, int errors, int invocations, int duplicateEffects) {

        public int count(Outcome outcome) {
            return outcomes.getOrDefault(outcome, 0);
        }

        /** One line, parsed back by {@link #parse(String)} (the second JVM reports this way). */
        public String toLine() {
            StringBuilder out = new StringBuilder("RESULT errors=" + errors + " invocations=" + invocations
                    + " duplicateEffects=" + duplicateEffects);
            outcomes.forEach((o, n) -> out.append(' ').append(o.name()).append('=').append(n));
            return out.toString();
        }

        public static Tally parse(String line) {
            Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
            int errors = 0;
            int invocations = 0;
            int duplicates = 0;
            for (String part : line.substring("RESULT ".length()).split(" ")) {
                String[] kv = part.split("=");
                int value = Integer.parseInt(kv[1]);
                switch (kv[0]) {
                    case "errors" -> errors = value;
                    case "invocations" -> invocations = value;
                    case "duplicateEffects" -> duplicates = value;
                    default -> outcomes.put(Outcome.valueOf(kv[0]), value);
                }
            }
            return new Tally(outcomes, errors, invocations, duplicates);
        }
    }
}
