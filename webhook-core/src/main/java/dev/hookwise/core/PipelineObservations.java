package dev.hookwise.core;

import dev.hookwise.core.spi.EventSource;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The seam between the pipeline and Micrometer's Observation API, which is an optional dependency:
 * {@link WebhookProcessor} talks only to this interface, and {@link #NONE} (the default) touches no
 * Micrometer class, so an application without Micrometer never loads one. The Micrometer
 * implementation ({@code MicrometerPipelineObservations}) is created only by
 * {@link WebhookProcessor.Builder#observationRegistry}.
 *
 * <p>Every method starts an observation, makes it current in the calling thread and returns its
 * handle, which the caller closes in the same thread. All methods are no-op defaults (HikariCP's
 * habit), so the hot path never checks for null.
 */
interface PipelineObservations {

    /** No observations: what a processor without an {@code ObservationRegistry} uses. */
    PipelineObservations NONE = new PipelineObservations() {};

    /** Starts the observation of one delivery, from the raw request to its answer. */
    default Run receive() {
        return Run.NONE;
    }

    /**
     * Starts the observation of putting a verified event into the inbox (asynchronous mode); a
     * propagating tracer writes the delivery's trace context into it, which
     * {@link Run#traceContext()} then returns for the store.
     */
    default Run enqueue(EventEnvelope envelope) {
        return Run.NONE;
    }

    /**
     * Starts the observation of one run of an event's handlers.
     *
     * @param traceContext the trace context stored at enqueue when the run is a worker's (it
     *     continues that trace), or null for a run in the caller's thread (a child of what is current)
     * @param fromInbox whether an inbox worker runs the event
     */
    default Run process(String eventId, String eventType, int attempt, EventSource source,
            @Nullable String traceContext, boolean fromInbox) {
        return Run.NONE;
    }

    /** One started observation; {@link #close()} stops it. */
    interface Run extends AutoCloseable {

        /** A handle that records nothing. */
        Run NONE = new Run() {};

        /** The event, once the envelope is read (the receive observation starts before). */
        default void event(String id, String type) {}

        /** How the step ended. */
        default void outcome(Outcome outcome) {}

        /** What escaped the step, if anything did. */
        default void error(Throwable error) {}

        /** The trace context to store with an enqueued event, or null when no tracer wrote one. */
        default @Nullable String traceContext() {
            return null;
        }

        /** Closes the scope and stops the observation. */
        @Override
        default void close() {}
    }

    /**
     * Runs {@code step} inside the started observation {@code run}: the outcome of its result recorded,
     * whatever escapes recorded as the error, the observation always stopped in this thread.
     */
    static <T> T observe(PipelineObservations.Run run, Supplier<T> step, Function<? super T, Outcome> outcome) {
        try {
            T result = step.get();
            run.outcome(outcome.apply(result));
            return result;
        } catch (RuntimeException | Error e) {
            run.error(e);
            throw e;
        } finally {
            run.close();
        }
    }
}
