package dev.hookwise.spring.internal;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.TransactionalWebhookHandler;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.spi.StoreTransaction;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A Spring application's transactional handler: runs {@code delegate}, which writes with the
 * application's {@code JdbcTemplate}, {@code JdbcClient} or JPA, inside the event log's transaction.
 * The transaction is a Spring transaction begun by the store's {@code SpringTransactionRunner}, so
 * those writes join it without the handler seeing the {@link StoreTransaction}; the handler refuses
 * to run outside one (where its writes would commit on their own), and with JPA its persistence
 * context is flushed and cleared after it (see {@link HandlerTransactions}).
 */
public final class SpringTransactionalHandler implements TransactionalWebhookHandler {

    private final WebhookHandler delegate;
    private final String description;
    private final Supplier<HandlerTransactions> transactions;

    /** @param transactions looked up on each event (a bean, resolved after start-up) */
    public SpringTransactionalHandler(WebhookHandler delegate, String description, Supplier<HandlerTransactions> transactions) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.description = Objects.requireNonNull(description, "description");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    @Override
    public void handle(EventContext context, StoreTransaction transaction) throws Exception {
        HandlerTransactions spring = transactions.get();
        spring.requireJoined(description);
        try {
            delegate.handle(context);
        } catch (Exception | Error e) {
            try {
                spring.afterHandler(false);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        spring.afterHandler(true);
    }

    @Override
    public String toString() {
        return "transactional " + description;
    }
}
