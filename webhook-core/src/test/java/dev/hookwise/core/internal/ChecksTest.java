package dev.hookwise.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HookwiseConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void positiveDurationIsReturnedAsItIs() {
        assertThat(Checks.positive(Duration.ofMillis(1), "pollInterval")).isEqualTo(Duration.ofMillis(1));
        assertThat(Checks.positiveArgument(Duration.ofSeconds(5), "leaseDuration")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void zeroOrNegativeSettingNamesTheSettingAndTheBadValue() {
        assertThatThrownBy(() -> Checks.positive(Duration.ZERO, "pollInterval"))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("pollInterval must be positive, but was PT0S");
        assertThatThrownBy(() -> Checks.positive(Duration.ofSeconds(-1), "event maxAge", "use EventAgePolicy.disabled()"))
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessage("event maxAge must be positive, but was PT-1S; use EventAgePolicy.disabled()");
    }

    @Test
    void zeroOrNegativeArgumentIsAnIllegalArgument() {
        assertThatThrownBy(() -> Checks.positiveArgument(Duration.ofNanos(-1), "leaseDuration"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("leaseDuration must be positive, but was PT-0.000000001S");
    }

    @SuppressWarnings("NullAway")
    @Test
    void nullNamesTheSetting() {
        assertThatThrownBy(() -> Checks.positive(null, "retryAfter"))
                .isInstanceOf(NullPointerException.class).hasMessage("retryAfter");
    }
}
