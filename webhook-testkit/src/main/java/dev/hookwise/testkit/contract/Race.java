package dev.hookwise.testkit.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs one task on several real threads released at the same instant, the way the contract tests
 * provoke races. A bounded pool, one thread per task, shut down afterwards.
 *
 * <pre>{@code
 * List<ClaimResult> results = Race.run(32, i -> store.claim(event, "owner-" + i, lease));
 * }</pre>
 */
public final class Race {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private Race() {}

    /** A task that knows its thread's index. */
    @FunctionalInterface
    public interface Task<T extends @Nullable Object> {
        /** Runs as thread {@code index}. */
        T run(int index) throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads released together; returns the results in thread order. */
    public static <T extends @Nullable Object> List<T> run(int threads, Task<T> task) throws Exception {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, but was " + threads);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                Callable<T> c = () -> {
                    ready.countDown();
                    go.await();
                    return task.run(index);
                };
                futures.add(pool.submit(c));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
