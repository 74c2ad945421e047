package dev.hookwise.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that tests move by hand, so lease expiry and backoff are tested without sleeping.
 * Thread-safe. Instants are kept to whole milliseconds, the precision every supported database keeps.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * clock.advance(Duration.ofMinutes(6));
 * }</pre>
 */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    public static MutableClock at(Instant start) {
        return new MutableClock(new AtomicReference<>(start.truncatedTo(ChronoUnit.MILLIS)), ZoneOffset.UTC);
    }

    /** A clock at the current time, truncated to milliseconds. */
    public static MutableClock now() {
        return at(Instant.now());
    }

    public void advance(Duration by) {
        Objects.requireNonNull(by, "by");
        now.updateAndGet(i -> i.plus(by).truncatedTo(ChronoUnit.MILLIS));
    }

    public void set(Instant instant) {
        now.set(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    @Override
    public Instant instant() {
        return Objects.requireNonNull(now.get(), "set in the constructor, never cleared");
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MutableClock(now, zone);
    }
}
