package dev.hookwise.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.testkit.StripeEventFactory;
import org.junit.jupiter.api.Test;

/** What may be logged of a value from a URL, and which event ids are plausible. */
class UrlInputTest {

    @Test
    void acceptsStripeEventIdsOfEveryKind() {
        assertThat(UrlInput.isStripeEventId("evt_1NG8Du2eZvKYlo2CUI79vXWy")).isTrue();
        assertThat(UrlInput.isStripeEventId("evt_test_65R9Ijk8Z3Y3TLxUGbn16R9Ijk8ZSQvxdHJFBJwZ8HmV2t")).isTrue();
        assertThat(UrlInput.isStripeEventId(StripeEventFactory.create().chargeRefunded().build().id())).isTrue();
        assertThat(UrlInput.isStripeEventId("evt_" + "a".repeat(UrlInput.MAX_EVENT_ID_LENGTH - 4))).isTrue();
    }

    @Test
    void rejectsAnythingElse() {
        assertThat(UrlInput.isStripeEventId(null)).isFalse();
        assertThat(UrlInput.isStripeEventId("")).isFalse();
        assertThat(UrlInput.isStripeEventId("evt_")).isFalse();
        assertThat(UrlInput.isStripeEventId("ch_1NG8Du2eZvKYlo2C")).isFalse();
        assertThat(UrlInput.isStripeEventId("EVT_1NG8Du2eZvKYlo2C")).isFalse();
        assertThat(UrlInput.isStripeEventId("evt_1\r\nINFO replay done")).isFalse();
        assertThat(UrlInput.isStripeEventId("evt_1\n")).isFalse(); // a trailing newline must not slip past the match
        assertThat(UrlInput.isStripeEventId("evt_1 OR 1=1")).isFalse();
        assertThat(UrlInput.isStripeEventId("evt_1/../../x")).isFalse();
        assertThat(UrlInput.isStripeEventId("evt_１２３")).isFalse(); // full-width digits are letters to Java, not to Stripe
        assertThat(UrlInput.isStripeEventId("evt_" + "a".repeat(UrlInput.MAX_EVENT_ID_LENGTH - 3))).isFalse();
    }

    @Test
    void escapesLineBreaksAndOtherControlCharacters() {
        assertThat(UrlInput.forLog("evt_1\r\nINFO replay done")).isEqualTo("evt_1\\u000d\\u000aINFO replay done");
        assertThat(UrlInput.forLog("a\tb\u0000c\u001b[31md\u007f")).isEqualTo("a\\u0009b\\u0000c\\u001b[31md\\u007f");
        assertThat(UrlInput.forLog("a\u0085b\u2028c\u2029d")).isEqualTo("a\\u0085b\\u2028c\\u2029d");
        assertThat(UrlInput.forLog("evil\u202Etxt.exe")).isEqualTo("evil\\u202etxt.exe"); // right-to-left override
        assertThat(UrlInput.forLog("evt_1NG8Du2eZvKYlo2CUI79vXWy")).isEqualTo("evt_1NG8Du2eZvKYlo2CUI79vXWy");
        assertThat(UrlInput.forLog("café ☕ 😀")).isEqualTo("café ☕ 😀");
        assertThat(UrlInput.forLog(null)).isEqualTo("null");
    }

    @Test
    void boundsTheLengthAndSaysHowMuchWasLeftOut() {
        String shown = UrlInput.forLog("x".repeat(10_000));
        assertThat(shown).startsWith("x".repeat(UrlInput.MAX_LOGGED_LENGTH) + "…")
                .endsWith("(+" + (10_000 - UrlInput.MAX_LOGGED_LENGTH) + " chars)")
                .hasSizeLessThan(UrlInput.MAX_LOGGED_LENGTH + 20);
        assertThat(UrlInput.forLog("y".repeat(UrlInput.MAX_LOGGED_LENGTH))).isEqualTo("y".repeat(UrlInput.MAX_LOGGED_LENGTH));
        // Control characters past the cut are dropped with the rest, never written raw.
        assertThat(UrlInput.forLog("z".repeat(UrlInput.MAX_LOGGED_LENGTH) + "\r\nFORGED")).doesNotContain("\r", "\n", "FORGED");
    }

    @Test
    void neverCutsASurrogatePairInTwo() {
        String value = "a".repeat(UrlInput.MAX_LOGGED_LENGTH - 1) + "😀" + "tail";
        String shown = UrlInput.forLog(value);
        assertThat(shown).startsWith("a".repeat(UrlInput.MAX_LOGGED_LENGTH - 1) + "…");
        assertThat(shown.chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
    }
}
