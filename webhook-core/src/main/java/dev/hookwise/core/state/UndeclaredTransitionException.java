package dev.hookwise.core.state;

import dev.hookwise.core.HookwiseException;

/**
 * A transition to a state the {@link StateMachine} declares no way into (no edge ends there). It
 * is a programming or configuration mistake, found before the store is asked, so nothing is
 * written. Thrown from a handler it is treated as transient: the event stays in the log and
 * Stripe delivers it again after the machine is fixed.
 */
public class UndeclaredTransitionException extends HookwiseException {
    private static final long serialVersionUID = 1L;

    public UndeclaredTransitionException(String message) {
        super("undeclared_transition", message, null);
    }
}
