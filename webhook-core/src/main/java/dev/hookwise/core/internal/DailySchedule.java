package dev.hookwise.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job once a day at a fixed hour of a zone, on a daemon thread of its own, until closed: the
 * one daily scheduler behind reconciliation and the starter's retention.
 *
 * <p>The hazard: a periodic task whose run throws is never run again by
 * {@code scheduleAtFixedRate}, without a word. So each run is scheduled on its own after the last one
 * ended, whatever it did, and a throwing job (an {@code Error} too) is logged, not rethrown. Each
 * next run is computed from the wall-clock hour, so a daylight-saving change moves no run.
 */
public final class DailySchedule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DailySchedule.class);

    private final String name;
    private final int hourOfDay;
    private final ZoneId zone;
    private final Clock clock;
    private final Runnable job;
    private @Nullable ScheduledExecutorService executor;

    /**
     * @param name a short name for the thread ({@code hookwise-<name>}) and the log
     * @param hourOfDay 0 to 23, in {@code zone}
     * @param zone the zone of the hour
     * @param clock decides when the next run is
     * @param job the work; what it throws is logged, and tomorrow's run happens as planned
     */
    public DailySchedule(String name, int hourOfDay, ZoneId zone, Clock clock, Runnable job) {
        if (hourOfDay < 0 || hourOfDay > 23) {
            throw new IllegalArgumentException("hourOfDay must be between 0 and 23, but was " + hourOfDay);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.hourOfDay = hourOfDay;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.job = Objects.requireNonNull(job, "job");
    }

    /** When the first run at {@code hourOfDay}:00 in {@code zone} strictly after {@code now} happens. */
    public static Instant nextRunAfter(Instant now, int hourOfDay, ZoneId zone) {
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime next = local.toLocalDate().atTime(hourOfDay, 0).atZone(zone);
        if (!next.isAfter(local)) {
            next = local.toLocalDate().plusDays(1).atTime(hourOfDay, 0).atZone(zone);
        }
        return next.toInstant();
    }

    /** When the next run after {@code now} happens. */
    public Instant nextRunAfter(Instant now) {
        return nextRunAfter(now, hourOfDay, zone);
    }

    /**
     * Starts the schedule.
     *
     * @return how long until the first run
     * @throws IllegalStateException when it is started already
     */
    public synchronized Duration start() {
        if (executor != null) {
            throw new IllegalStateException(name + " schedule already started");
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hookwise-" + name);
            t.setDaemon(true);
            return t;
        });
        executor = started;
        return scheduleNext(started);
    }

    private synchronized Duration scheduleNext(ScheduledExecutorService on) {
        Instant now = clock.instant();
        Duration delay = Duration.between(now, nextRunAfter(now));
        if (executor != on) {
            return delay; // closed meanwhile
        }
        var unused = on.schedule(() -> {
            try {
                job.run();
            } catch (Exception | Error e) {
                log.warn("hookwise {} failed; it runs again tomorrow: {}", name, e.toString());
            } finally {
                scheduleNext(on); // tomorrow's run is planned whatever today's did
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
        return delay;
    }

    /** Whether it is started and not closed. */
    public synchronized boolean isRunning() {
        return executor != null;
    }

    /**
     * Stops the schedule, interrupting a run in progress, and waits up to {@code timeout} for it to end.
     * May be called from the job itself (a job that can never succeed stops its schedule).
     */
    public void close(Duration timeout) {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = executor;
            executor = null;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdownNow();
        if (timeout.isZero()) {
            return;
        }
        try {
            stopping.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the schedule without waiting. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    @Override
    public String toString() {
        return "DailySchedule[" + name + " at " + hourOfDay + ":00 " + zone + "]";
    }
}
