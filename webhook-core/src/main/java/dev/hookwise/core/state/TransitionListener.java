package dev.hookwise.core.state;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.spi.state.TransitionResult;

/**
 * Hears every decision {@link StateTransitions} gets from the store for an event, e.g. to count
 * them in Micrometer. Called on the handler's thread after the store decided; an exception it
 * throws is logged and never changes the event's outcome.
 *
 * @param <S> the state enum
 */
@FunctionalInterface
public interface TransitionListener<S extends Enum<S>> {

    /** Called once per transition attempt made for an event. */
    void onResult(EventContext context, TransitionResult<S> result);

    /** A listener that does nothing. */
    static <S extends Enum<S>> TransitionListener<S> none() {
        return (context, result) -> { };
    }
}
