package dev.hookwise.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's own tool on the files: {@code promtool check rules} (syntax, PromQL, templates),
 * {@code promtool test rules} with {@code hookwise-alerts.test.yml} (each alert fires above its
 * threshold and not below), and the dashboard's queries checked as PromQL. promtool comes from
 * Debian's {@code prometheus} package, which {@code .ci/run} installs; without it these tests are
 * skipped, except with {@code CI=true}, where they fail.
 */
class PromtoolTest {
    private static String promtool;

    @BeforeAll
    static void findPromtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                promtool = candidate.toString();
                return;
            }
        }
        String message = "promtool not found on PATH: install Debian's 'prometheus' package (apt-get install -y prometheus); .ci/run does";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
    }

    @Test
    void checkRulesAcceptsTheAlertRules() throws Exception {
        Result r = run(Path.of("."), "check", "rules", OpsFiles.ALERTS.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 8 rules found");
    }

    @Test
    void everyAlertFiresAboveItsThresholdAndNotBelow() throws Exception {
        Result r = run(OpsFiles.ALERT_TESTS.getParent(), "test", "rules", OpsFiles.ALERT_TESTS.getFileName().toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void theUnitTestsCoverEveryAlert() {
        String tests = OpsFiles.text(OpsFiles.ALERT_TESTS);
        for (JsonNode rule : OpsFiles.alertRules()) {
            assertThat(tests).contains("alertname: " + rule.path("alert").asText());
        }
    }

    @Test
    void theDashboardQueriesAreValidPromql(@TempDir Path dir) throws Exception {
        // Grafana's variables replaced by what they expand to, each query checked as a recording rule.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (JsonNode panel : OpsFiles.panels()) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText().replace("$__rate_interval", "1m").replace("$job", ".*");
                assertThat(expr).as("an unknown Grafana variable in %s", panel.path("title").asText()).doesNotContain("$");
                rules.append("      - record: dashboard:query").append(n++).append('\n')
                        .append("        expr: '").append(expr.replace("'", "''")).append("'\n");
            }
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules, StandardCharsets.UTF_8);
        Result r = run(dir, "check", "rules", file.getFileName().toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + n + " rules found");
    }

    private record Result(int exit, String output) {}

    private static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(promtool);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        // promtool finishes in well under a second; the bound only keeps a broken install from hanging the build.
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("promtool " + String.join(" ", args) + " did not finish within 2 minutes");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
