package dev.hookwise.ops;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.metrics.MicrometerWebhookMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Prometheus server really scrapes from an application running Hookwise on a HikariCP
 * pool: every Hookwise meter is recorded once through {@link MicrometerWebhookMetrics} (the same
 * calls the processor makes), a real pool is opened with HikariCP's own Micrometer tracker, and
 * the {@link PrometheusMeterRegistry} renders them. The names the ops files use are checked
 * against this, never against a list typed by hand.
 */
final class ExportedMetrics {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? .*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    private static final Pattern TYPE = Pattern.compile("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\\w+)$");

    private final String scrape;
    private final Map<String, Set<String>> labelsBySeries = new TreeMap<>();
    private final Map<String, String> typeByFamily = new TreeMap<>();

    private ExportedMetrics(String scrape) {
        this.scrape = scrape;
        for (String line : scrape.split("\n")) {
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                typeByFamily.put(type.group(1), type.group(2));
                continue;
            }
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalStateException("unexpected scrape line: " + line);
            }
            Set<String> labels = labelsBySeries.computeIfAbsent(sample.group(1), k -> new TreeSet<>());
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
    }

    /** Records every Hookwise meter and opens a HikariCP pool named {@code hookwise}, then scrapes. */
    static ExportedMetrics render() throws SQLException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets("whsec_ops_metric_names").store(store)
                .handlers(HandlerRegistry.builder().on("invoice.paid", ctx -> {}).build()).build();

        MicrometerWebhookMetrics metrics = MicrometerWebhookMetrics.bind(registry, store);
        MicrometerWebhookMetrics.bindHandlerGauges(registry, () -> processor);
        metrics.onResponse(WebhookResponse.of(Outcome.PROCESSED, "evt_1"), "invoice.paid");
        metrics.onResponse(WebhookResponse.of(Outcome.SIGNATURE_NO_MATCH, null), null);
        metrics.onHandled("invoice.paid", Outcome.PROCESSED, Duration.ofMillis(12), false);
        metrics.onHandled("invoice.paid", Outcome.FAILED_PERMANENT, Duration.ofMillis(40), true);
        metrics.onHandlerTimeout("invoice.paid", "evt_2");
        metrics.onOverload("in_flight");

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:ops_metric_names");
        config.setPoolName("hookwise");
        config.setMaximumPoolSize(2);
        config.setMetricRegistry(registry);
        try (HikariDataSource pool = new HikariDataSource(config); Connection connection = pool.getConnection()) {
            return new ExportedMetrics(registry.scrape());
        }
    }

    /** The scrape text, as a Prometheus server receives it. */
    String scrape() {
        return scrape;
    }

    /** Every series name in the scrape (with {@code _total}, {@code _count}, {@code _sum} … as sampled). */
    Set<String> seriesNames() {
        return Collections.unmodifiableSet(labelsBySeries.keySet());
    }

    /** The label names a series carries. */
    Set<String> labels(String series) {
        return labelsBySeries.getOrDefault(series, Set.of());
    }

    /** The {@code # TYPE} of each metric family. */
    Map<String, String> types() {
        return Collections.unmodifiableMap(typeByFamily);
    }
}
