package dev.hookwise.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler for Stripe events of the given types. Patterns are exact types
 * ({@code payment_intent.succeeded}), prefixes ending in {@code .*} ({@code invoice.*}) or
 * {@code *}.
 *
 * <p><b>On a method</b> of any Spring bean. Each parameter is resolved from the event:
 * <ul>
 *   <li>a stripe-java object type ({@code PaymentIntent}, {@code Charge}, any {@code StripeObject}):
 *       the event's {@code data.object}, failing permanently if it is of another type;</li>
 *   <li>{@link dev.hookwise.core.EventContext}: attempt, source, {@code fetchLatest()};</li>
 *   <li>{@code com.stripe.model.Event}: the stripe-java event;</li>
 *   <li>{@link dev.hookwise.core.EventEnvelope}: the parsed envelope.</li>
 * </ul>
 * Any other parameter type fails start-up. Exceptions keep their meaning:
 * {@link dev.hookwise.core.PermanentWebhookFailure} and {@link dev.hookwise.core.RetryLaterException}
 * are classified as the core classifies them, anything else is transient.
 *
 * <pre>{@code
 * @Component
 * class Payments {
 *     @StripeWebhookHandler("payment_intent.succeeded")
 *     void paid(PaymentIntent intent, EventContext context) {
 *         orders.markPaid(intent.getMetadata().get("order_id"), context.eventId());
 *     }
 * }
 * }</pre>
 *
 * <p><b>On a class</b> that implements {@link dev.hookwise.core.WebhookHandler}: the bean is
 * registered for the given types.
 *
 * <p><b>Transactional</b> ({@code transactional = true}): the handler runs inside the transaction
 * that marks the event completed in the event log, so what it writes with the application's
 * {@code JdbcTemplate}, {@code JdbcClient} or JPA (on the event log's {@code DataSource}, through
 * the application's transaction manager) commits together with the completion, or not at all: a
 * handler that throws leaves no row behind, and the event is retried. The starter refuses to start
 * when no transaction manager manages the event log's {@code DataSource}.
 * <pre>{@code
 * @StripeWebhookHandler(value = "payment_intent.succeeded", transactional = true)
 * void paid(PaymentIntent intent) {
 *     jdbc.update("UPDATE shop_order SET status = 'paid' WHERE id = ?", intent.getMetadata().get("order_id"));
 * }
 * }</pre>
 * Calls to other systems (an e-mail, an HTTP API) cannot be rolled back: keep them in plain
 * handlers, which run at least once and must be idempotent.
 *
 * <p>Handler beans are looked up when an event first reaches them, so a handler may depend on
 * beans that themselves use the {@code WebhookProcessor}. Methods are discovered from the bean's
 * type as declared; a {@code @Bean} method should declare the concrete class.
 *
 * @see TransactionalStripeHandler
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StripeWebhookHandler {

    /** The event type patterns this handler receives; at least one. */
    String[] value();

    /**
     * Whether the handler runs inside the event log's transaction, its database writes committing
     * with the event's completion (default false: a plain, at-least-once handler). A bean that
     * implements {@link TransactionalStripeHandler} is transactional either way.
     *
     * @since 0.2.0
     */
    boolean transactional() default false;
}
