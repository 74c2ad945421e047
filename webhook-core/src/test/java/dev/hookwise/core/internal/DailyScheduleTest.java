package dev.hookwise.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DailyScheduleTest {

    private static final Instant NOON_UTC = Instant.parse("2026-03-10T12:00:00Z");

    @Test
    void nextRunIsTodayWhenTheHourIsStillAheadAndTomorrowOtherwise() {
        assertThat(DailySchedule.nextRunAfter(NOON_UTC, 13, ZoneOffset.UTC)).isEqualTo("2026-03-10T13:00:00Z");
        assertThat(DailySchedule.nextRunAfter(NOON_UTC, 12, ZoneOffset.UTC)).isEqualTo("2026-03-11T12:00:00Z");
        assertThat(DailySchedule.nextRunAfter(NOON_UTC, 2, ZoneOffset.UTC)).isEqualTo("2026-03-11T02:00:00Z");
    }

    @Test
    void theHourIsReadInTheGivenZone() {
        // 12:00 UTC is 09:00 in São Paulo (UTC-3): 10:00 there is an hour later.
        assertThat(DailySchedule.nextRunAfter(NOON_UTC, 10, ZoneId.of("America/Sao_Paulo")))
                .isEqualTo("2026-03-10T13:00:00Z");
    }

    @Test
    void aDaylightSavingChangeKeepsTheWallClockHour() {
        // Berlin moves to summer time on 2026-03-29: the run stays at 03:00 local, 01:00 UTC after it.
        Instant before = Instant.parse("2026-03-28T12:00:00Z");
        assertThat(DailySchedule.nextRunAfter(before, 3, ZoneId.of("Europe/Berlin"))).isEqualTo("2026-03-29T01:00:00Z");
    }

    @Test
    void hourOutsideTheDayIsRefused() {
        assertThatThrownBy(() -> new DailySchedule("test", 24, ZoneOffset.UTC, Clock.systemUTC(), () -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 24");
    }

    @Test
    void startsOnceAndStopsWhenClosed() {
        DailySchedule schedule = new DailySchedule("test", 3, ZoneOffset.UTC, Clock.fixed(NOON_UTC, ZoneOffset.UTC), () -> {});
        assertThat(schedule.start()).isEqualTo(Duration.ofHours(15));
        assertThat(schedule.isRunning()).isTrue();
        assertThatThrownBy(schedule::start).isInstanceOf(IllegalStateException.class);
        schedule.close(Duration.ofSeconds(5));
        assertThat(schedule.isRunning()).isFalse();
    }
}
