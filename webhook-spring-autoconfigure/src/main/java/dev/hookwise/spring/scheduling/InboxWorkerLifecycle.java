package dev.hookwise.spring.scheduling;

import dev.hookwise.core.inbox.InboxWorker;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link InboxWorker} (asynchronous mode) for as long as the application context runs.
 *
 * <p>It starts before the web server and stops after it ({@link #PHASE}): on shutdown the server
 * first stops taking deliveries, then the worker stops claiming, lets running events finish for
 * {@code hookwise.worker.shutdown-timeout} and gives back claimed events that had not started.
 */
public final class InboxWorkerLifecycle implements SmartLifecycle {

    /** Below the web server's phases, so the worker outlives the server on shutdown. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final @Nullable Supplier<InboxWorker> factory;
    private @Nullable InboxWorker worker;

    /** @param factory builds a fresh worker for every start (a closed worker cannot start again) */
    public InboxWorkerLifecycle(Supplier<InboxWorker> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    private InboxWorkerLifecycle() {
        this.factory = null;
    }

    /** A lifecycle that never starts a worker: the processor is synchronous. */
    public static InboxWorkerLifecycle idle() {
        return new InboxWorkerLifecycle();
    }

    @Override
    public synchronized void start() {
        if (worker == null && factory != null) {
            worker = factory.get().start();
        }
    }

    @Override
    public synchronized void stop() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return worker != null && worker.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The running worker, if started; e.g. to {@code drainOnce()} from a test. */
    public synchronized java.util.Optional<InboxWorker> worker() {
        return java.util.Optional.ofNullable(worker);
    }
}
