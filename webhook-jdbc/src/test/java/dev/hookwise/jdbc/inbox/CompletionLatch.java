package dev.hookwise.jdbc.inbox;

import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.InboxStore;
import dev.hookwise.core.spi.UpdateResult;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Wraps a store so that a test can await the moment {@code n} distinct events have been
 * completed in it (a {@code complete} that applied), instead of polling or sleeping.
 */
public final class CompletionLatch {

    private final CountDownLatch latch;
    private final Set<String> completed = ConcurrentHashMap.newKeySet();

    public CompletionLatch(int events) {
        this.latch = new CountDownLatch(events);
    }

    /** {@code store}, reporting every applied {@code complete} (alone or in {@code completeAll}) to this latch. */
    public InboxStore watch(InboxStore store) {
        return (InboxStore) Proxy.newProxyInstance(InboxStore.class.getClassLoader(),
                new Class<?>[] {InboxStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("complete") && result == UpdateResult.APPLIED
                            && completed.add(((ClaimToken) args[0]).eventId())) {
                        latch.countDown();
                    }
                    if (method.getName().equals("completeAll")) { // the worker's completion group commit
                        for (Object claim : (java.util.Set<?>) result) {
                            if (completed.add(((ClaimToken) claim).eventId())) {
                                latch.countDown();
                            }
                        }
                    }
                    return result;
                });
    }

    public CountDownLatch latch() {
        return latch;
    }
}
