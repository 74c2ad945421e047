package dev.hookwise.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reliability suite's quick mode, inside {@code mvn verify}: real server JVMs killed with
 * SIGKILL, PostgreSQL and MariaDB stopped and started, HTTP abuse. Each scenario's targets are
 * checked by the scenario itself; this test fails when any was missed and names it.
 */
class QuickReliabilityTest {

    @Test
    void everyScenarioMeetsItsTargets() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        for (Harness.Database db : Harness.Database.values()) {
            if (!db.accepting()) {
                assertThat(ci).as(db.label() + " must be running when CI=true").isFalse();
                assumeTrue(false, db.label() + " is not running at " + db.url + ": the reliability suite is skipped");
            }
        }
        Path out = Path.of(System.getProperty("reliability.out", "target/reliability"));
        String mode = System.getProperty("reliability.mode", "quick");

        List<ScenarioResult> results = ReliabilityMain.runAll(mode, out, List.of());

        assertThat(results).isNotEmpty();
        assertThat(results).allSatisfy(r -> assertThat(r.failures).as(r.toString()).isEmpty());
    }
}
