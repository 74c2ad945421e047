package dev.hookwise.spring.scheduling;

import dev.hookwise.core.internal.DailySchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A job run once a day at a fixed hour (UTC) on its own daemon thread (core's one daily scheduler), for as long as the
 * application context runs: the starter uses it for retention. A failing run is logged and the
 * next day's run happens as planned; a store that does not support the job stops it for good.
 *
 * <p>Hookwise does not use Spring's {@code @Scheduled}, so it neither needs nor changes the
 * application's own scheduling setup.
 */
public final class DailyTask implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(DailyTask.class);

    /** The hour (UTC) retention runs at unless configured: before the business day in Europe and after it in the Americas. */
    public static final int DEFAULT_HOUR_OF_DAY = 2;

    private final String name;
    private final int hourOfDay;
    private final IntSupplier job;
    private final Clock clock;
    private volatile @Nullable DailySchedule schedule;

    /**
     * @param name a short name for the thread and the log ({@code retention})
     * @param hourOfDay 0 to 23, UTC
     * @param job the work; returns how many items it handled, for the log
     * @param clock the time source that decides the first run
     */
    public DailyTask(String name, int hourOfDay, IntSupplier job, Clock clock) {
        if (hourOfDay < 0 || hourOfDay > 23) {
            throw new IllegalArgumentException("hourOfDay must be between 0 and 23, but was " + hourOfDay);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.hourOfDay = hourOfDay;
        this.job = Objects.requireNonNull(job, "job");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** How long from {@code now} until the next run at {@code hourOfDay}:00 UTC. */
    public static Duration untilNext(ZonedDateTime now, int hourOfDay) {
        Instant at = now.toInstant();
        return Duration.between(at, DailySchedule.nextRunAfter(at, hourOfDay, ZoneOffset.UTC));
    }

    /** Runs the job now, in the calling thread; returns what it returned, or -1 if it failed. */
    public int runNow() {
        try {
            int n = job.getAsInt();
            log.debug("hookwise {}: {} item(s)", name, n);
            return n;
        } catch (UnsupportedOperationException e) {
            log.info("hookwise {}: the event store does not support it ({}); the daily run is off", name, e.getMessage());
            DailySchedule running = schedule;
            if (running != null) {
                running.close(); // from the job's own thread: no waiting
            }
            return -1;
        } catch (Exception | Error e) {
            // Errors too: the next day's run must happen whatever this one did.
            log.warn("hookwise {} failed; it runs again tomorrow: {}", name, e.toString());
            return -1;
        }
    }

    @Override
    public synchronized void start() {
        if (schedule != null) {
            return;
        }
        DailySchedule started = new DailySchedule(name, hourOfDay, ZoneOffset.UTC, clock, this::runNow);
        schedule = started;
        Duration first = started.start();
        log.info("hookwise {}: daily at {}:00 UTC, next run in {}", name, hourOfDay, first);
    }

    @Override
    public void stop() {
        DailySchedule running;
        synchronized (this) {
            running = schedule;
            schedule = null;
        }
        if (running != null) {
            running.close(Duration.ofSeconds(10));
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return schedule != null;
    }

    @Override
    public int getPhase() {
        return InboxWorkerLifecycle.PHASE;
    }

    @Override
    public String toString() {
        return "DailyTask[" + name + " at " + hourOfDay + ":00 UTC]";
    }
}
