package dev.hookwise.core.metrics;

import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookListener;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.spi.Backlog;
import dev.hookwise.core.spi.IdempotencyStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Publishes Hookwise's metrics to a Micrometer {@link MeterRegistry}. Register it as the
 * processor's listener; Micrometer is an optional dependency and only this class needs it.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code hookwise.webhook.responses}</td><td>outcome, type, status</td><td>every answer (received,
 *       duplicate, ignored, rejected … per reason)</td></tr>
 *   <tr><td>{@code hookwise.webhook.signature.failures}</td><td>reason</td><td>signature rejections</td></tr>
 *   <tr><td>{@code hookwise.webhook.processing}</td><td>outcome, type</td><td>handler run time, p50/p95/p99</td></tr>
 *   <tr><td>{@code hookwise.webhook.dead}</td><td>type</td><td>events that became dead</td></tr>
 *   <tr><td>{@code hookwise.webhook.overload}</td><td>reason</td><td>deliveries refused by backpressure</td></tr>
 *   <tr><td>{@code hookwise.inbox.backlog}</td><td></td><td>pending inbox events</td></tr>
 *   <tr><td>{@code hookwise.inbox.oldest.pending.age}</td><td></td><td>seconds the oldest pending event waited</td></tr>
 *   <tr><td>{@code hookwise.handler.timeouts}</td><td>type</td><td>handler runs interrupted at {@code handlerTimeout}</td></tr>
 *   <tr><td>{@code hookwise.handlers.running}, {@code hookwise.handlers.stuck}</td><td></td><td>handler runs in
 *       progress, and past {@code handlerTimeout} ({@link #bindHandlerGauges})</td></tr>
 * </table>
 * Their Prometheus names ({@code hookwise_webhook_responses_total}, {@code hookwise_webhook_processing_seconds} …),
 * alert rules and a Grafana dashboard are in the repository's {@code ops/} folder.
 *
 * <pre>{@code
 * MicrometerWebhookMetrics metrics = MicrometerWebhookMetrics.bind(registry, store);
 * WebhookProcessor.builder()...listener(metrics).build();
 * }</pre>
 */
public final class MicrometerWebhookMetrics implements WebhookListener {
    private static final String UNKNOWN_TYPE = "unknown";

    private final MeterRegistry registry;

    private MicrometerWebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics without inbox gauges. */
    public static MicrometerWebhookMetrics create(MeterRegistry registry) {
        return new MicrometerWebhookMetrics(Objects.requireNonNull(registry, "registry"));
    }

    /** Metrics with inbox backlog gauges read from {@code store} when the registry is scraped. */
    public static MicrometerWebhookMetrics bind(MeterRegistry registry, IdempotencyStore store) {
        return bind(registry, store, Clock.systemUTC());
    }

    /** As {@link #bind(MeterRegistry, IdempotencyStore)}, ages measured with {@code clock}. */
    public static MicrometerWebhookMetrics bind(MeterRegistry registry, IdempotencyStore store, Clock clock) {
        MicrometerWebhookMetrics metrics = create(registry);
        BacklogProbe probe = new BacklogProbe(store, clock);
        Gauge.builder("hookwise.inbox.backlog", probe, BacklogProbe::pending)
                .description("Events waiting for a first or next attempt")
                .strongReference(true)
                .register(registry);
        Gauge.builder("hookwise.inbox.oldest.pending.age", probe, BacklogProbe::oldestAgeSeconds)
                .description("Seconds the oldest pending event has waited")
                .strongReference(true)
                .baseUnit("seconds")
                .register(registry);
        return metrics;
    }

    @Override
    public void onResponse(WebhookResponse response, @Nullable String eventType) {
        Outcome outcome = response.outcome();
        Counter.builder("hookwise.webhook.responses")
                .description("Webhook deliveries answered, by outcome")
                .tag("outcome", outcome.code())
                .tag("status", Integer.toString(outcome.httpStatus()))
                .tag("type", eventType == null ? UNKNOWN_TYPE : eventType)
                .register(registry)
                .increment();
        if (outcome.code().startsWith("signature_")) {
            Counter.builder("hookwise.webhook.signature.failures")
                    .description("Deliveries rejected by signature verification")
                    .tag("reason", outcome.code())
                    .register(registry)
                    .increment();
        }
    }

    @Override
    public void onHandled(String eventType, Outcome outcome, Duration processingTime, boolean dead) {
        Timer.builder("hookwise.webhook.processing")
                .description("Time spent in an event's handlers")
                .tag("outcome", outcome.code())
                .tag("type", eventType)
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry)
                .record(processingTime);
        if (dead) {
            Counter.builder("hookwise.webhook.dead")
                    .description("Events that failed permanently or ran out of attempts")
                    .tag("type", eventType)
                    .register(registry)
                    .increment();
        }
    }

    @Override
    public void onHandlerTimeout(String eventType, String eventId) {
        Counter.builder("hookwise.handler.timeouts")
                .description("Handler runs interrupted at the processor's handlerTimeout")
                .tag("type", eventType)
                .register(registry)
                .increment();
    }

    /**
     * Gauges of the processor's handler runs: {@code hookwise.handlers.running} and
     * {@code hookwise.handlers.stuck} (runs past {@code handlerTimeout} whose threads have not come
     * back; each holds a thread). Read from {@code processor} when the registry is scraped.
     *
     * @since 0.2.0
     */
    public static void bindHandlerGauges(MeterRegistry registry, java.util.function.Supplier<WebhookProcessor> processor) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(processor, "processor");
        Gauge.builder("hookwise.handlers.running", processor, p -> p.get().runningHandlers())
                .description("Handler runs in progress (requests and workers)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("hookwise.handlers.stuck", processor, p -> p.get().stuckHandlers())
                .description("Handler runs past handlerTimeout whose threads have not returned")
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void onOverload(String reason) {
        Counter.builder("hookwise.webhook.overload")
                .description("Deliveries refused by backpressure")
                .tag("reason", reason.toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    /** Reads the backlog once per scrape for both gauges (a scrape reads them back to back). */
    private static final class BacklogProbe {
        private final IdempotencyStore store;
        private final Clock clock;
        private volatile @Nullable Backlog last;
        private volatile Instant readAt = Instant.MIN;

        BacklogProbe(IdempotencyStore store, Clock clock) {
            this.store = store;
            this.clock = clock;
        }

        private @Nullable Backlog read() {
            Instant now = clock.instant();
            if (readAt.plusSeconds(1).isBefore(now) || last == null) {
                try {
                    last = store.backlog();
                } catch (RuntimeException e) {
                    last = null; // store down: the gauges report NaN rather than a stale figure
                }
                readAt = now;
            }
            return last;
        }

        double pending() {
            Backlog b = read();
            return b == null ? Double.NaN : b.pending();
        }

        double oldestAgeSeconds() {
            Backlog b = read();
            return b == null ? Double.NaN : b.oldestPendingAge(clock.instant()).toMillis() / 1000.0;
        }
    }
}
