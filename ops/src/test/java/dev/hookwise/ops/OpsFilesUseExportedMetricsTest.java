package dev.hookwise.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric and label the alert rules and the dashboard use is one that Hookwise or HikariCP
 * really exports, as Micrometer's Prometheus registry renders it ({@link ExportedMetrics}). A
 * renamed meter, a guessed {@code _total} or a label that does not exist fails here.
 */
class OpsFilesUseExportedMetricsTest {
    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static ExportedMetrics exported;

    @BeforeAll
    static void render() throws Exception {
        exported = ExportedMetrics.render();
    }

    @Test
    void theRegistryRendersTheNamesTheTableDocuments() {
        assertThat(exported.seriesNames()).contains(
                "hookwise_webhook_responses_total", "hookwise_webhook_signature_failures_total",
                "hookwise_webhook_processing_seconds", "hookwise_webhook_processing_seconds_count",
                "hookwise_webhook_processing_seconds_sum", "hookwise_webhook_processing_seconds_max",
                "hookwise_webhook_dead_total", "hookwise_webhook_overload_total", "hookwise_handler_timeouts_total",
                "hookwise_inbox_backlog", "hookwise_inbox_oldest_pending_age_seconds",
                "hookwise_handlers_running", "hookwise_handlers_stuck",
                "hikaricp_connections_active", "hikaricp_connections_max", "hikaricp_connections_pending",
                "hikaricp_connections_timeout_total");
        assertThat(exported.labels("hookwise_webhook_responses_total")).containsExactlyInAnyOrder("outcome", "status", "type");
        assertThat(exported.labels("hookwise_webhook_processing_seconds")).containsExactlyInAnyOrder("outcome", "type", "quantile");
        assertThat(exported.labels("hikaricp_connections_active")).containsExactly("pool");
        assertThat(exported.types()).containsEntry("hookwise_webhook_processing_seconds", "summary")
                .containsEntry("hookwise_webhook_dead_total", "counter").containsEntry("hookwise_inbox_backlog", "gauge");
        assertThat(exported.scrape()).contains("quantile=\"0.95\"");
    }

    @Test
    void everyMetricTheAlertRulesNameIsExported() {
        String rules = OpsFiles.text(OpsFiles.ALERTS);
        Set<String> used = OpsFiles.metricNames(rules);
        assertThat(used).as("the rules use Hookwise and HikariCP metrics").hasSizeGreaterThanOrEqualTo(8);
        assertThat(exported.seriesNames()).containsAll(used);
        for (JsonNode rule : OpsFiles.alertRules()) {
            String expr = rule.path("expr").asText();
            assertThat(OpsFiles.metricNames(expr)).as("%s names a Hookwise or HikariCP metric", rule.path("alert").asText()).isNotEmpty();
            assertLabelsExist(rule.path("alert").asText(), expr);
        }
    }

    @Test
    void everyMetricTheDashboardNamesIsExported() {
        String dashboard = OpsFiles.text(OpsFiles.DASHBOARD);
        assertThat(exported.seriesNames()).containsAll(OpsFiles.metricNames(dashboard));
        for (JsonNode panel : OpsFiles.panels()) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(OpsFiles.metricNames(expr)).as("panel %s", panel.path("title").asText()).isNotEmpty();
                assertLabelsExist("panel " + panel.path("title").asText(), expr);
            }
        }
    }

    private static void assertLabelsExist(String where, String query) {
        for (OpsFiles.LabelUse use : OpsFiles.labelUses(query)) {
            Set<String> available = new TreeSet<>(TARGET_LABELS);
            use.metrics().forEach(m -> available.addAll(exported.labels(m)));
            assertThat(available).as("%s uses label %s on %s", where, use.label(), use.metrics()).contains(use.label());
        }
    }

    @Test
    void theLabelCheckCatchesALabelNoMetricHas() {
        List<OpsFiles.LabelUse> uses = OpsFiles.labelUses("sum by (reason) (rate(hookwise_webhook_dead_total{job=\"x\", kind=\"y\"}[5m]))");
        assertThat(uses).extracting(OpsFiles.LabelUse::label).containsExactlyInAnyOrder("job", "kind", "reason");
        assertThat(exported.labels("hookwise_webhook_dead_total")).doesNotContain("kind", "reason");
    }
}
