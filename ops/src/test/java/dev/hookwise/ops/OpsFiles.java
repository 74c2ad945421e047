package dev.hookwise.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files under {@code ops/} and what the tests read from them: PromQL queries and the metric names in them. */
final class OpsFiles {
    /** Run from the module directory (Maven's default), the files are beside {@code src/}. */
    static final Path ALERTS = Path.of("prometheus", "hookwise-alerts.yml");
    static final Path ALERT_TESTS = Path.of("prometheus", "hookwise-alerts.test.yml");
    static final Path DASHBOARD = Path.of("grafana", "hookwise-dashboard.json");

    /** Hookwise's and HikariCP's series names; anything else a query names is a PromQL function or keyword. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:hookwise|hikaricp)_[a-zA-Z0-9_]+)\\b");
    private static final Pattern SELECTOR = Pattern.compile("\\b((?:hookwise|hikaricp)_[a-zA-Z0-9_]+)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring)\\s*\\(([^)]*)\\)");

    private OpsFiles() {}

    static JsonNode alerts() {
        return read(ALERTS, new YAMLMapper());
    }

    static JsonNode dashboard() {
        return read(DASHBOARD, new ObjectMapper());
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath() + " (run the tests from the ops module)", e);
        }
    }

    private static JsonNode read(Path file, ObjectMapper mapper) {
        try {
            return mapper.readTree(text(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file + " does not parse: " + e.getMessage(), e);
        }
    }

    /** Every alerting rule of every group. */
    static List<JsonNode> alertRules() {
        List<JsonNode> rules = new ArrayList<>();
        alerts().path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    /** Every panel, rows' nested panels included. */
    static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        dashboard().path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add);
        });
        return panels;
    }

    /** The Hookwise and HikariCP series names a text mentions. */
    static Set<String> metricNames(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Label names a query uses: in selectors ({@code name{label="…"}}) and in by/without/on/ignoring clauses. */
    static List<LabelUse> labelUses(String query) {
        List<LabelUse> uses = new ArrayList<>();
        Set<String> metrics = metricNames(query);
        Matcher selector = SELECTOR.matcher(query);
        while (selector.find()) {
            Matcher label = MATCHER.matcher(selector.group(2));
            while (label.find()) {
                uses.add(new LabelUse(Set.of(selector.group(1)), label.group(1)));
            }
        }
        Matcher grouping = GROUPING.matcher(query);
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank()) {
                    uses.add(new LabelUse(metrics, label.strip()));
                }
            }
        }
        return uses;
    }

    /** A label a query uses on one of {@code metrics} (a grouping may use a label of any metric in its query). */
    record LabelUse(Set<String> metrics, String label) {}
}
