package dev.hookwise.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's demo does what it says: every scenario gets the answer the table promises. */
class QuickstartDemoTest {

    @Test
    void everyScriptedScenarioGetsItsExpectedAnswer() throws Exception {
        List<QuickstartDemo.Row> rows = QuickstartDemo.run(QuickstartStore.open());

        assertThat(rows).extracting(QuickstartDemo.Row::scenario, QuickstartDemo.Row::status, QuickstartDemo.Row::outcome)
                .containsExactly(
                        tuple("first delivery", 200, "processed"),
                        tuple("duplicate delivery", 200, "duplicate"),
                        tuple("signed with the wrong secret", 400, "signature_no_match"),
                        tuple("timestamp 10 min old (replay)", 400, "signature_too_old"),
                        tuple("handler fails once, then succeeds", 200, "processed"),
                        tuple("handler fails permanently", 200, "failed_permanent"),
                        tuple("no handler for the type", 200, "ignored"),
                        tuple("event created 4 days ago", 200, "skipped_stale"),
                        tuple("no Stripe-Signature header", 400, "signature_missing"));
        assertThat(rows.get(0).eventId()).startsWith("evt_").isEqualTo(rows.get(1).eventId());
    }

    @Test
    void readsOutcomeFromAnswer() {
        assertThat(QuickstartDemo.outcome("{\"outcome\":\"duplicate\",\"event_id\":\"evt_1\"}")).isEqualTo("duplicate");
        assertThat(QuickstartDemo.outcome("<html>")).isEqualTo("?");
    }
}
