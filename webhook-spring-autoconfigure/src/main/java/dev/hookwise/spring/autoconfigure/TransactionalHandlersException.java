package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.HookwiseConfigurationException;

/**
 * Transactional handlers are registered, but their writes could not commit in the event log's
 * transaction (no transaction manager for its {@code DataSource}, the event log on another
 * {@code DataSource}, a store that runs its transactions outside Spring). The
 * {@link HookwiseFailureAnalyzer} reports it with its own advice.
 */
final class TransactionalHandlersException extends HookwiseConfigurationException {
    private static final long serialVersionUID = 1L;

    TransactionalHandlersException(String message) {
        super(message);
    }
}
