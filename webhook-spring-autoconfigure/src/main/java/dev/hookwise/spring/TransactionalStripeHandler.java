package dev.hookwise.spring;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.WebhookHandler;

/**
 * A handler bean that runs inside the transaction that marks its event completed: what it writes
 * with the application's {@code JdbcTemplate}, {@code JdbcClient} or JPA commits together with the
 * completion, or not at all. Name its event types with {@link StripeWebhookHandler} on the class, or
 * register it with a {@link HookwiseHandlerRegistration} bean.
 *
 * <pre>{@code
 * @Component
 * @StripeWebhookHandler("invoice.paid")
 * class Ledger implements TransactionalStripeHandler {
 *     private final JdbcClient jdbc;
 *
 *     Ledger(JdbcClient jdbc) {
 *         this.jdbc = jdbc;
 *     }
 *
 *     @Override
 *     public void handle(EventContext context) {
 *         Invoice invoice = context.dataObject(Invoice.class);
 *         jdbc.sql("INSERT INTO ledger (invoice_id, amount, event_id) VALUES (?, ?, ?)")
 *                 .params(invoice.getId(), invoice.getAmountPaid(), context.eventId())
 *                 .update();
 *     }
 * }
 * }</pre>
 *
 * <p>Throwing rolls the handler's writes back together with the completion; the failure is recorded
 * (retried with backoff, or dead) as for any handler. The writes must go to the event log's
 * {@code DataSource} through the transaction manager that manages it (the starter checks at start-up
 * that there is one). An e-mail sent or an API called from here is not rolled back and may happen
 * more than once: put such calls in a plain handler. Outside the Spring starter this interface is a
 * plain {@link WebhookHandler}; use {@link dev.hookwise.core.TransactionalWebhookHandler} there.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface TransactionalStripeHandler extends WebhookHandler {

    /** Handles the event inside the event log's transaction; throw to roll its writes back. */
    @Override
    void handle(EventContext context) throws Exception;
}
