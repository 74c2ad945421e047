package dev.hookwise.core.recovery;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.internal.DailySchedule;
import dev.hookwise.core.spi.Reconciler;
import dev.hookwise.core.spi.ReconciliationReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs registered {@link Reconciler}s once a day at a chosen hour over the last N days, and keeps
 * each one's last report for health pages and the operator endpoint. Nothing runs until
 * {@link #start()}; {@link #runNow()} runs them at once (from a test, a CLI, an admin button).
 *
 * <pre>{@code
 * ReconciliationScheduler scheduler = ReconciliationScheduler.builder(List.of(ordersReconciler))
 *         .hourOfDay(3).daysBack(2).zone(ZoneId.of("Europe/Berlin")).build().start();
 * }</pre>
 */
public final class ReconciliationScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconciliationScheduler.class);

    public static final int DEFAULT_HOUR_OF_DAY = 3;
    public static final int DEFAULT_DAYS_BACK = 1;

    private final List<Reconciler> reconcilers;
    private final int hourOfDay;
    private final int daysBack;
    private final ZoneId zone;
    private final Clock clock;
    private final Map<String, ReconciliationReport> last = new ConcurrentHashMap<>();
    private @Nullable DailySchedule schedule;

    private ReconciliationScheduler(Builder b) {
        this.reconcilers = List.copyOf(b.reconcilers);
        this.hourOfDay = b.hourOfDay;
        this.daysBack = b.daysBack;
        this.zone = b.zone;
        this.clock = b.clock;
    }

    public static Builder builder(List<? extends Reconciler> reconcilers) {
        return new Builder(reconcilers);
    }

    /** Runs every reconciler now over the last {@code daysBack} days; one failing does not stop the others. */
    public List<ReconciliationReport> runNow() {
        Instant to = clock.instant();
        Instant from = to.minus(Duration.ofDays(daysBack));
        List<ReconciliationReport> reports = new ArrayList<>();
        for (Reconciler r : reconcilers) {
            try {
                ReconciliationReport report = r.reconcile(from, to);
                last.put(r.name(), report);
                reports.add(report);
            } catch (Exception | Error e) {
                // Any Throwable, Errors included: one reconciler's bug must not end the others or the
                // daily schedule (rethrowing would cancel every later run without a word).
                log.error("reconciler {} failed", r.name(), e);
            }
        }
        return reports;
    }

    /** The last report of the reconciler named {@code name}. */
    public Optional<ReconciliationReport> lastReport(String name) {
        return Optional.ofNullable(last.get(name));
    }

    /** The last report of every reconciler that has run. */
    public Map<String, ReconciliationReport> lastReports() {
        return Map.copyOf(last);
    }

    /** When the next scheduled run after {@code now} happens. */
    public Instant nextRunAfter(Instant now) {
        return DailySchedule.nextRunAfter(now, hourOfDay, zone);
    }

    /** Starts the daily schedule (a daemon thread). */
    public synchronized ReconciliationScheduler start() {
        if (schedule != null) {
            throw new IllegalStateException("scheduler already started");
        }
        // runNow() catches each reconciler's failure itself; the schedule plans tomorrow's run whatever today's did.
        DailySchedule started = new DailySchedule("reconciliation", hourOfDay, zone, clock, () -> runNow());
        started.start();
        schedule = started;
        return this;
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.close();
        }
    }

    /** Builder for {@link ReconciliationScheduler}. */
    public static final class Builder {
        private final List<Reconciler> reconcilers;
        private int hourOfDay = DEFAULT_HOUR_OF_DAY;
        private int daysBack = DEFAULT_DAYS_BACK;
        private ZoneId zone = ZoneOffset.UTC;
        private Clock clock = Clock.systemUTC();

        private Builder(List<? extends Reconciler> reconcilers) {
            this.reconcilers = List.copyOf(Objects.requireNonNull(reconcilers, "reconcilers"));
        }

        /** Hour of the daily run, 0 to 23, in {@link #zone(ZoneId)}. */
        public Builder hourOfDay(int value) {
            if (value < 0 || value > 23) {
                throw new HookwiseConfigurationException("reconciliation hourOfDay must be 0..23, but was " + value);
            }
            this.hourOfDay = value;
            return this;
        }

        /** Days back each run looks at, 1 to 30. */
        public Builder daysBack(int value) {
            if (value < 1 || value > 30) {
                throw new HookwiseConfigurationException("reconciliation daysBack must be 1..30, but was " + value);
            }
            this.daysBack = value;
            return this;
        }

        public Builder zone(ZoneId value) {
            this.zone = Objects.requireNonNull(value, "zone");
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public ReconciliationScheduler build() {
            return new ReconciliationScheduler(this);
        }
    }
}
