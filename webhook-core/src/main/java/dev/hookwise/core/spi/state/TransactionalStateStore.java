package dev.hookwise.core.spi.state;

import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.TransactionalStore;

/**
 * A {@link StateStore} that can move entities inside the transaction of a
 * {@link TransactionalStore}: the entity's new state and its history row then commit together with
 * the event's completion, or not at all. A transition cannot be applied without its event being
 * completed, nor an event completed without its transition, whatever crashes in between.
 *
 * <p>Used through {@code StateTransitions.Builder.transactional(true)}. The store must live in the
 * event log's database (the JDBC state store on the event log's {@code DataSource}): it writes
 * through the event log's transaction.
 *
 * @since 0.2.0
 */
public interface TransactionalStateStore extends StateStore {

    /**
     * This store acting inside {@code transaction}, for as long as the handler that was given the
     * transaction runs: every call reads and writes in it, nothing is committed or rolled back by the
     * store, and a failure (a deadlock, a lock timeout) is thrown to the handler, whose event then
     * rolls back and is retried.
     *
     * @throws IllegalArgumentException if this store cannot work in that kind of transaction
     */
    StateStore joining(StoreTransaction transaction);
}
