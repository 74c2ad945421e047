package dev.hookwise.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.cli.CliException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeArgsTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @Test
    void readsShortAndIsoDurations() {
        assertThat(TimeArgs.duration("90s", "--x")).isEqualTo(Duration.ofSeconds(90));
        assertThat(TimeArgs.duration("15m", "--x")).isEqualTo(Duration.ofMinutes(15));
        assertThat(TimeArgs.duration("2w", "--x")).isEqualTo(Duration.ofDays(14));
        assertThat(TimeArgs.duration("PT36H", "--x")).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void readsInstantsDatesAndAges() {
        assertThat(TimeArgs.instant("2026-11-19T08:30:00Z", NOW, "--from")).isEqualTo(Instant.parse("2026-11-19T08:30:00Z"));
        assertThat(TimeArgs.instant("2026-11-19", NOW, "--from")).isEqualTo(Instant.parse("2026-11-19T00:00:00Z"));
        assertThat(TimeArgs.instant("24h", NOW, "--from")).isEqualTo(Instant.parse("2026-11-19T12:00:00Z"));
    }

    @Test
    void refusesZeroNegativeAndUnknownFormsNamingTheOption() {
        assertThatThrownBy(() -> TimeArgs.duration("0m", "--window")).isInstanceOf(CliException.class)
                .hasMessageContaining("--window must be a positive duration");
        assertThatThrownBy(() -> TimeArgs.instant("yesterday", NOW, "--since")).isInstanceOf(CliException.class)
                .hasMessageContaining("--since must be a time").hasMessageContaining("'yesterday'");
    }

    @Test
    void showsDurationsShortly() {
        assertThat(TimeArgs.human(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(TimeArgs.human(Duration.ofSeconds(125))).isEqualTo("2m 5s");
        assertThat(TimeArgs.human(Duration.ofHours(76))).isEqualTo("3d 4h");
        assertThat(TimeArgs.human(Duration.ZERO)).isEqualTo("0s");
    }
}
