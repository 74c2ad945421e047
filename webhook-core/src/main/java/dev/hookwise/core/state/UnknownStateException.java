package dev.hookwise.core.state;

import dev.hookwise.core.HookwiseException;

/**
 * A state name that the state enum does not know: a typo in a transition table given as names,
 * or a value in the store written by another version of the application (during a rolling
 * deploy, say). Stores throw it before writing anything. Thrown from a handler it is treated as
 * transient, so the event is delivered again once every instance knows the state.
 */
public class UnknownStateException extends HookwiseException {
    private static final long serialVersionUID = 1L;

    private final String stateName;

    public UnknownStateException(Class<? extends Enum<?>> stateType, String stateName) {
        super("unknown_state", "'" + stateName + "' is not a state of " + stateType.getSimpleName()
                + "; known states: " + StateNames.known(stateType)
                + ". Add the state to the enum, or correct the name where it was written", null);
        this.stateName = stateName;
    }

    /** The name that could not be read. */
    public String stateName() {
        return stateName;
    }
}
