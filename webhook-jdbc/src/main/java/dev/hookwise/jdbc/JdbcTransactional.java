package dev.hookwise.jdbc;

import com.stripe.model.StripeObject;
import dev.hookwise.core.EventContext;
import dev.hookwise.core.TransactionalWebhookHandler;
import java.sql.Connection;
import java.util.Objects;

/**
 * Adapts JDBC handlers to {@link TransactionalWebhookHandler}s, which run in the event log's
 * transaction of a {@link JdbcIdempotencyStore}: their writes and the event's completion commit
 * together, or not at all.
 *
 * <pre>{@code
 * HandlerRegistry handlers = HandlerRegistry.builder()
 *         .on("invoice.paid", JdbcTransactional.handler(Invoice.class, (invoice, ctx, connection) ->
 *                 ledger.recordPayment(connection, invoice.getId(), invoice.getAmountPaid())))
 *         .build();
 * }</pre>
 *
 * <p>The handlers must write to the event log's database through the connection they are given;
 * see {@link JdbcTransactionalHandler}. With an {@code InboxWorker}, {@code transactionBatchSize}
 * runs several such events in one transaction.
 *
 * @since 0.2.0
 */
public final class JdbcTransactional {

    private JdbcTransactional() {}

    /** A handler that receives the event log's {@link Connection}. */
    public static TransactionalWebhookHandler handler(JdbcTransactionalHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return (context, transaction) -> handler.handle(context, transaction.unwrap(Connection.class));
    }

    /**
     * A handler that receives {@code data.object} as {@code objectType} and the event log's
     * {@link Connection}. A payload stripe-java cannot read as {@code objectType} fails permanently,
     * as with {@code HandlerRegistry.Builder.on(pattern, objectType, handler)}.
     */
    public static <T extends StripeObject> TransactionalWebhookHandler handler(Class<T> objectType,
            Typed<T> handler) {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(handler, "handler");
        return (context, transaction) ->
                handler.handle(context.dataObject(objectType), context, transaction.unwrap(Connection.class));
    }

    /**
     * A handler that receives {@code data.object} as a stripe-java type and the event log's
     * {@link Connection}; see {@link JdbcTransactionalHandler} for what it may do with it.
     *
     * @param <T> the stripe-java class of {@code data.object}
     */
    @FunctionalInterface
    public interface Typed<T extends StripeObject> {
        /** Handles the event with its object, inside the event log's transaction. */
        void handle(T object, EventContext context, Connection connection) throws Exception;
    }
}
