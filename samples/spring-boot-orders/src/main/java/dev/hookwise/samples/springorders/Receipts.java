package dev.hookwise.samples.springorders;

import com.stripe.model.PaymentIntent;
import dev.hookwise.core.EventContext;
import dev.hookwise.spring.StripeWebhookHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The other handler style: an annotated method with the stripe-java object as its parameter. It
 * "sends" a receipt once per successful payment: the starter's event log makes a redelivered or
 * duplicated event reach it only once.
 *
 * <p>Plain on purpose, not transactional: an e-mail cannot be taken back by a rollback. If the
 * event fails after the receipt went out (the ledger refused the payment, the process died before
 * the commit), the receipt may go out again when the event runs again: a real mailer would pass the
 * event id as the mail provider's idempotency key.
 */
@Component
public class Receipts {
    private static final Logger log = LoggerFactory.getLogger(Receipts.class);

    private final List<String> sent = new CopyOnWriteArrayList<>();

    @StripeWebhookHandler("payment_intent.succeeded")
    void paymentSucceeded(PaymentIntent intent, EventContext context) {
        String order = intent.getMetadata().get("order_id");
        log.info("receipt for order {} ({} {}), event {}", order, intent.getAmount(), intent.getCurrency(), context.eventId());
        sent.add(order);
    }

    /** The orders a receipt was sent for, in order. */
    public List<String> sent() {
        return List.copyOf(sent);
    }
}
