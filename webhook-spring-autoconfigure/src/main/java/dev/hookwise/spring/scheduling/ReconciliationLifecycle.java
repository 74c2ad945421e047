package dev.hookwise.spring.scheduling;

import dev.hookwise.core.recovery.ReconciliationScheduler;
import dev.hookwise.core.spi.ReconciliationReport;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the core's {@link ReconciliationScheduler} (the application's {@code Reconciler} beans,
 * once a day) for as long as the application context runs, and stops its thread on shutdown.
 */
public final class ReconciliationLifecycle implements SmartLifecycle {
    private final Supplier<ReconciliationScheduler> factory;
    private @Nullable ReconciliationScheduler scheduler;
    private @Nullable ReconciliationScheduler lastStopped;

    /** @param factory builds a fresh scheduler for every start (a closed one cannot start again) */
    public ReconciliationLifecycle(Supplier<ReconciliationScheduler> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = factory.get().start();
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.close();
            lastStopped = scheduler;
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return InboxWorkerLifecycle.PHASE;
    }

    /** Runs every reconciler now, in the calling thread (an admin action, a test). */
    public synchronized List<ReconciliationReport> runNow() {
        return current().runNow();
    }

    /** The last report of each reconciler that has run since start-up. */
    public synchronized Map<String, ReconciliationReport> lastReports() {
        return current().lastReports();
    }

    private ReconciliationScheduler current() {
        if (scheduler != null) {
            return scheduler;
        }
        if (lastStopped == null) {
            lastStopped = factory.get();
        }
        return lastStopped;
    }
}
