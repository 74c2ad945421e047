package dev.hookwise.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void rendersEveryScenarioWithItsFiguresAndMissedTargets(@TempDir Path dir) throws Exception {
        ScenarioResult ok = new ScenarioResult("kill-9", "PostgreSQL", "full").put("lost (acknowledged, no effect)", 0);
        ScenarioResult missed = new ScenarioResult("database-restart", "MariaDB", "full")
                .put("ms from accepting to first 2xx", 732).check(false, "workers recover within 2 poll intervals");
        ok.notes.add("Plain handlers are at-least-once.");
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(dir.resolve("a.json").toFile(), missed);
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(dir.resolve("b.json").toFile(), ok);

        List<ScenarioResult> read = Report.read(dir);
        String md = Report.render(read, "- cores: 2\n");

        assertThat(read).extracting(r -> r.scenario).containsExactly("kill-9", "database-restart");
        assertThat(md).contains("| kill-9 | PostgreSQL | full | targets met |")
                .contains("**missed: workers recover within 2 poll intervals**")
                .contains("| ms from accepting to first 2xx | 732 |")
                .contains("> Plain handlers are at-least-once.")
                .contains("- cores: 2");
        assertThat(Files.list(dir)).hasSize(2);
    }

    @Test
    void notYetCoveredNamesTheSpringVariantsWithoutResults() {
        List<ScenarioResult> some = List.of(new ScenarioResult("kill-9-spring", "PostgreSQL", "full"),
                new ScenarioResult("http-abuse-spring", "PostgreSQL", "full"));
        assertThat(Report.notYetCovered(some)).contains("`database-restart-spring`", "`network-faults-spring`",
                "`handler-faults-spring`", "`clock-skew-spring`").doesNotContain("`kill-9-spring`", "`http-abuse-spring`");

        List<ScenarioResult> all = List.of("kill-9", "database-restart", "network-faults", "handler-faults", "http-abuse",
                "clock-skew").stream().map(s -> new ScenarioResult(s + "-spring", "MariaDB", "full")).toList();
        assertThat(Report.notYetCovered(all)).startsWith("Every scenario runs against both systems under test");
    }

    @Test
    void fuzzedBodiesAreReproducibleFromTheSeed() {
        byte[] base = LoadGenerator.events("seeded", 1).get(0).bytes();
        Random a = new Random(7);
        Random b = new Random(7);
        for (int i = 0; i < 200; i++) {
            assertThat(HttpAbuseScenario.mutate(base, a)).isEqualTo(HttpAbuseScenario.mutate(base, b));
        }
    }
}
