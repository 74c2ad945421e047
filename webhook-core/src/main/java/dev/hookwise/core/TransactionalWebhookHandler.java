package dev.hookwise.core;

import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.TransactionalStore;

/**
 * A handler whose writes commit in the same transaction as the event's completion: a crash, a
 * failure or a lost lease at any point leaves both or neither, so its effects happen exactly once.
 * It needs a {@link TransactionalStore} (the JDBC store); {@link WebhookProcessor.Builder#build()}
 * refuses one registered with any other store.
 *
 * <p>The handler writes through {@code transaction}, e.g. the JDBC store's
 * {@code transaction.unwrap(java.sql.Connection.class)}; {@code dev.hookwise.jdbc.JdbcTransactional}
 * adapts a handler that takes the {@code Connection} directly. It must not commit, roll back or
 * close anything: the store does that after writing the verdict. An exception rolls back its writes,
 * and the failure is recorded (retried later, or dead) as for any handler.
 *
 * <pre>{@code
 * HandlerRegistry.builder()
 *         .on("payment_intent.succeeded", (ctx, tx) ->
 *                 orders.markPaid(tx.unwrap(Connection.class), ctx.eventId()))
 *         .build();
 * }</pre>
 *
 * <p>When any handler of an event is transactional, all of that event's handlers run inside the
 * transaction (plain ones through {@link #handle(EventContext)} as usual; their own side effects
 * are not rolled back). The processor's in-process retry then runs each try in a fresh transaction.
 * Only effects in the event log's database are exactly-once: an e-mail sent or an API called from
 * inside the transaction stays at-least-once, since a rollback cannot take it back.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface TransactionalWebhookHandler extends WebhookHandler {

    /** Handles the event inside {@code transaction}, the transaction that will also complete it. */
    void handle(EventContext context, StoreTransaction transaction) throws Exception;

    /**
     * Not used: the pipeline calls {@link #handle(EventContext, StoreTransaction)}.
     *
     * @throws IllegalStateException always: a transactional handler runs only inside the store's transaction
     */
    @Override
    // On purpose: a lambda of this type is the two-argument method, and the pipeline never calls this
    // one for it (HandlerRegistry tells transactional handlers apart); calling it is a bug, said loudly.
    @SuppressWarnings("FunctionalInterfaceMethodChanged")
    default void handle(EventContext context) throws Exception {
        throw new IllegalStateException("a TransactionalWebhookHandler runs only inside the event log's transaction,"
                + " through handle(EventContext, StoreTransaction)");
    }
}
