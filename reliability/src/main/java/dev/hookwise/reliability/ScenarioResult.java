package dev.hookwise.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one scenario on one database, and the targets it missed (empty when it passed).
 * Written as JSON next to the others; {@link Report} turns them into RELIABILITY.md.
 */
public final class ScenarioResult {
    public String scenario;
    public String database;
    public String mode;
    public String startedAt;
    /** The commit the suite ran at (run.sh passes it; "+changes" when the tree had uncommitted changes). */
    public String commit;
    public double seconds;
    public Map<String, Object> figures = new LinkedHashMap<>();
    public List<String> failures = new ArrayList<>();
    public List<String> notes = new ArrayList<>();

    /** For Jackson. */
    public ScenarioResult() {}

    ScenarioResult(String scenario, String database, String mode) {
        this.scenario = scenario;
        this.database = database;
        this.mode = mode;
        this.startedAt = java.time.Instant.now().toString();
        this.commit = System.getProperty("reliability.commit", "unknown");
    }

    ScenarioResult put(String name, Object value) {
        figures.put(name, value);
        return this;
    }

    /** Records a missed target when {@code ok} is false. */
    ScenarioResult check(boolean ok, String target) {
        if (!ok) {
            failures.add(target);
        }
        return this;
    }

    boolean passed() {
        return failures.isEmpty();
    }

    @Override
    public String toString() {
        return scenario + " on " + database + " (" + mode + "): " + (passed() ? "passed" : "FAILED " + failures)
                + " " + figures;
    }
}
