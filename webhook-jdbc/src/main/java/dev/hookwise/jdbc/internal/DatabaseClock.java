package dev.hookwise.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database server's time, read through the application's clock: every 30 s one query measures
 * the offset between the two (to within half the round trip), and {@link #instant()} is the
 * application clock plus that offset.
 *
 * <p>Leases are compared across instances: with each instance's own clock, one running two minutes
 * ahead sees every other instance's lease expired and takes over events that are still running, so
 * they run twice at once. On the database's time all instances agree.
 *
 * <p>The first measurement may be made when the clock is created; later ones run on a shared daemon
 * thread (which ends when idle), so {@link #instant()} never borrows a connection (a caller may be
 * holding the pool's last one) and never blocks or throws. A failed measurement keeps the last
 * offset (zero before the first) and is tried again 5 s later.
 */
public final class DatabaseClock extends Clock {
    private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);
    private static final long RESYNC_NANOS = Duration.ofSeconds(30).toNanos();
    private static final long RETRY_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long WARN_OFFSET_MILLIS = 1_000;

    /** How the database tells its time. */
    public enum Query {
        /** PostgreSQL: {@code clock_timestamp()} is the time of the statement, not of the transaction. */
        POSTGRESQL("SELECT clock_timestamp()", true),
        /** MySQL and MariaDB: {@code UTC_TIMESTAMP(6)}, a UTC local date-time. */
        MYSQL("SELECT UTC_TIMESTAMP(6)", false),
        /** H2. */
        H2("SELECT CURRENT_TIMESTAMP(6)", true);

        final String sql;
        final boolean withOffset;

        Query(String sql, boolean withOffset) {
            this.sql = sql;
            this.withOffset = withOffset;
        }
    }

    private final Clock base;
    private final DataSource dataSource;
    private final Query query;
    private static final ThreadPoolExecutor MEASURER = measurer();

    private final AtomicBoolean measuring = new AtomicBoolean();
    private volatile long offsetNanos;
    private volatile long nextMeasurement = System.nanoTime();

    /**
     * Creates the clock; with {@code measureNow} its first measurement is made on the calling
     * thread, else on the first {@link #instant()} (in the background, the offset zero until then).
     */
    public DatabaseClock(Clock base, DataSource dataSource, Query query, boolean measureNow) {
        this.base = base;
        this.dataSource = dataSource;
        this.query = query;
        if (measureNow) {
            measure();
        }
    }

    @Override
    public Instant instant() {
        if (System.nanoTime() - nextMeasurement >= 0 && measuring.compareAndSet(false, true)) {
            try {
                MEASURER.execute(() -> {
                    try {
                        measure();
                    } finally {
                        measuring.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                measuring.set(false); // one already queued for another clock; try again on a later call
            }
        }
        return base.instant().plusNanos(offsetNanos);
    }

    private static ThreadPoolExecutor measurer() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64), r -> {
            Thread t = new Thread(r, "hookwise-database-clock");
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** The last measured offset of the database's time from the application clock. */
    public Duration offset() {
        return Duration.ofNanos(offsetNanos);
    }

    private void measure() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            Instant before = base.instant();
            Instant database;
            try (ResultSet rs = s.executeQuery(query.sql)) {
                rs.next();
                database = query.withOffset ? rs.getObject(1, OffsetDateTime.class).toInstant()
                        : rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
            }
            Instant after = base.instant();
            Instant middle = before.plus(Duration.between(before, after).dividedBy(2));
            long measured = Duration.between(middle, database).toNanos();
            if (Math.abs(measured / 1_000_000) >= WARN_OFFSET_MILLIS
                    && Math.abs((measured - offsetNanos) / 1_000_000) >= WARN_OFFSET_MILLIS) {
                log.warn("this instance's clock is {} ms {} the database's; leases and event times use the database's",
                        Math.abs(measured / 1_000_000), measured > 0 ? "behind" : "ahead of");
            }
            offsetNanos = measured;
            nextMeasurement = System.nanoTime() + RESYNC_NANOS;
        } catch (SQLException | RuntimeException e) {
            nextMeasurement = System.nanoTime() + RETRY_NANOS;
            log.debug("could not read the database's time ({}); the last offset stays", e.toString());
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the database clock is UTC only");
    }
}
