package dev.hookwise.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The alert rules cover what the issue asks for and tell the operator what to do; the dashboard imports and covers the same metrics. */
class AlertRulesAndDashboardTest {

    @Test
    void everyAlertIsThereWithSummaryDescriptionAndSeverity() {
        Map<String, JsonNode> rules = OpsFiles.alertRules().stream()
                .collect(Collectors.toMap(r -> r.path("alert").asText(), Function.identity()));
        assertThat(rules).containsOnlyKeys("HookwiseHandlerFailureRateHigh", "HookwiseProcessingSlow", "HookwiseBacklogGrowing",
                "HookwiseOldestPendingEventTooOld", "HookwiseSignatureFailures", "HookwiseDeadEvents", "HookwiseHandlersStuck",
                "HookwiseConnectionPoolSaturated");
        rules.forEach((name, rule) -> {
            assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
            // Each description says where to look or what to run: the Actuator endpoint, health, a replay API or a setting.
            assertThat(rule.path("annotations").path("description").asText()).as(name)
                    .containsAnyOf("/actuator/hookwise", "/actuator/health", "EventReplayer", "hookwise.", "thread dump");
        });
        assertThat(rules.get("HookwiseHandlerFailureRateHigh").path("for").asText()).isEqualTo("5m");
        assertThat(rules.get("HookwiseHandlerFailureRateHigh").path("expr").asText()).contains("> 0.05");
        assertThat(rules.get("HookwiseSignatureFailures").path("expr").asText()).contains("[5m]", "> 10");
        assertThat(rules.get("HookwiseConnectionPoolSaturated").path("expr").asText())
                .contains("hikaricp_connections_active / hikaricp_connections_max", "> 0.9");
    }

    @Test
    void theDashboardIsImportableWithAPrometheusDataSourceVariable() {
        JsonNode dashboard = OpsFiles.dashboard();
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("uid").asText()).isEqualTo("hookwise");
        assertThat(dashboard.has("id") && !dashboard.path("id").isNull()).as("no instance-specific id").isFalse();
        JsonNode datasource = null;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("datasource")) {
                datasource = variable;
            }
        }
        assertThat(datasource).as("a data source variable").isNotNull();
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
        String variable = "${" + datasource.path("name").asText() + "}";

        List<String> titles = new ArrayList<>();
        for (JsonNode panel : OpsFiles.panels()) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            titles.add(panel.path("title").asText());
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo(variable);
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> {
                assertThat(t.path("expr").asText()).isNotBlank();
                assertThat(t.path("datasource").path("uid").asText()).isEqualTo(variable);
            });
        }
        assertThat(titles).doesNotHaveDuplicates();
    }

    @Test
    void theDashboardShowsEveryMetricTheIssueAsksFor() {
        String queries = OpsFiles.panels().stream().flatMap(p -> {
            List<String> exprs = new ArrayList<>();
            p.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            return exprs.stream();
        }).collect(Collectors.joining("\n"));
        assertThat(queries).contains("sum by (outcome) (rate(hookwise_webhook_responses_total", "quantile=\"0.5\"",
                "quantile=\"0.95\"", "quantile=\"0.99\"", "hookwise_inbox_backlog", "hookwise_inbox_oldest_pending_age_seconds",
                "hookwise_webhook_dead_total", "hookwise_webhook_signature_failures_total", "hookwise_handlers_stuck",
                "hikaricp_connections_active", "hikaricp_connections_max");
    }
}
