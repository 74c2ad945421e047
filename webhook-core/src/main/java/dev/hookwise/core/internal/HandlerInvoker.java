package dev.hookwise.core.internal;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.MalformedEventException;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.core.RetryLaterException;
import dev.hookwise.core.TransactionalWebhookHandler;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.spi.StoreTransaction;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs an event's handlers in registration order and classifies what went wrong, so that the
 * synchronous path and the inbox worker record failures the same way.
 */
public final class HandlerInvoker {

    /** How a run ended. */
    public enum Verdict {
        SUCCEEDED,
        /** {@link PermanentWebhookFailure}, or a payload stripe-java cannot read. */
        PERMANENT,
        /** {@link RetryLaterException}: a prerequisite is missing. */
        RETRY_LATER,
        /**
         * Anything else, after the in-process retries: any other exception, and any {@link Error}.
         * A {@link VirtualMachineError} is recorded like the others, then rethrown (see
         * {@link Result#fatal()}).
         */
        TRANSIENT
    }

    /** The verdict, the failure if any, and the time spent. */
    public record Result(Verdict verdict, @Nullable Throwable failure, Duration elapsed) {
        public String describeFailure() {
            if (failure == null) {
                return "";
            }
            String message = failure.getMessage();
            return failure.getClass().getName() + (message == null ? "" : ": " + message);
        }

        /**
         * The {@link VirtualMachineError} (out of memory, stack overflow, internal error) the run
         * ended with, to be rethrown once the failure is recorded: the JVM may be unable to go on.
         */
        public @Nullable VirtualMachineError fatal() {
            return failure instanceof VirtualMachineError e ? e : null;
        }
    }

    private HandlerInvoker() {}

    /**
     * Runs {@code handlers}; with {@code retry}, transient failures are retried in-process and a
     * handler that succeeded in an earlier try is not run again.
     */
    public static Result invoke(List<WebhookHandler> handlers, EventContext context, @Nullable Retry retry) {
        return invoke(handlers, context, retry, null);
    }

    /**
     * Runs {@code handlers} once inside {@code transaction}: transactional handlers get the
     * transaction, plain ones run as usual. No in-process retry: a failed try is rolled back as a
     * whole, so the caller retries in a fresh transaction.
     */
    public static Result invokeInTransaction(List<WebhookHandler> handlers, EventContext context,
            StoreTransaction transaction) {
        return invoke(handlers, context, null, transaction);
    }

    private static Result invoke(List<WebhookHandler> handlers, EventContext context, @Nullable Retry retry,
            @Nullable StoreTransaction transaction) {
        long started = System.nanoTime();
        boolean[] done = new boolean[handlers.size()];
        try {
            if (retry == null) {
                runHandlers(handlers, done, context, transaction);
            } else {
                Retry.decorateCheckedRunnable(retry, () -> runHandlers(handlers, done, context, transaction)).run();
            }
            return new Result(Verdict.SUCCEEDED, null, elapsedSince(started));
        } catch (PermanentWebhookFailure | MalformedEventException e) {
            return new Result(Verdict.PERMANENT, e, elapsedSince(started));
        } catch (RetryLaterException e) {
            return new Result(Verdict.RETRY_LATER, e, elapsedSince(started));
        } catch (Throwable e) {
            // Errors too (a NoClassDefFoundError, a StackOverflowError on one odd payload): a run that
            // escaped unrecorded would be claimed again after every lease, forever.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Result(Verdict.TRANSIENT, e, elapsedSince(started));
        }
    }

    private static void runHandlers(List<WebhookHandler> handlers, boolean[] done, EventContext context,
            @Nullable StoreTransaction transaction) throws Exception {
        for (int i = 0; i < handlers.size(); i++) {
            if (!done[i]) {
                WebhookHandler handler = handlers.get(i);
                if (transaction != null && handler instanceof TransactionalWebhookHandler tx) {
                    tx.handle(context, transaction);
                } else {
                    handler.handle(context);
                }
                done[i] = true;
            }
        }
    }

    private static Duration elapsedSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
