package dev.hookwise.jdbc;

import dev.hookwise.core.EventContext;
import java.sql.Connection;

/**
 * A handler whose JDBC writes commit in the same transaction as the event's completion in the event
 * log, so they happen exactly once: register it with {@link JdbcTransactional#handler}.
 *
 * <pre>{@code
 * HandlerRegistry.builder()
 *         .on("payment_intent.succeeded", JdbcTransactional.handler((ctx, connection) -> {
 *             try (PreparedStatement ps = connection.prepareStatement(
 *                     "UPDATE orders SET status = 'paid' WHERE payment_intent = ?")) {
 *                 ps.setString(1, ctx.dataObject(PaymentIntent.class).getId());
 *                 ps.executeUpdate();
 *             }
 *         }))
 *         .build();
 * }</pre>
 *
 * <p>{@code connection} is the event log's connection, inside the transaction that will complete the
 * event. Use it for every write that must happen exactly once; do not commit, roll back or close it
 * (it refuses to), and do not send {@code COMMIT} or {@code ROLLBACK} as SQL. Throw to roll back:
 * the handler's writes are undone and the failure is recorded (retried later with backoff, or dead),
 * as for any handler. Calls to other systems (an e-mail, an HTTP API) cannot be rolled back and stay
 * at-least-once.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface JdbcTransactionalHandler {

    /** Handles the event with {@code connection}, inside the event log's transaction. */
    void handle(EventContext context, Connection connection) throws Exception;
}
