package dev.hookwise.samples.bomconsumer;

import com.stripe.model.PaymentIntent;
import dev.hookwise.core.EventContext;
import dev.hookwise.spring.StripeWebhookHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The application's one handler: a succeeded payment is fulfilled. It keeps the fulfilled payment
 * intents in memory so the sample stays small; a real application writes to its own tables here,
 * idempotently, since a handler may run again after a crash.
 */
@Component
public class Fulfilment {
    private static final Logger log = LoggerFactory.getLogger(Fulfilment.class);

    private final List<String> fulfilled = new CopyOnWriteArrayList<>();

    /** Runs once per {@code payment_intent.succeeded} event, on the inbox worker. */
    @StripeWebhookHandler("payment_intent.succeeded")
    void paid(PaymentIntent intent, EventContext context) {
        fulfilled.add(intent.getId());
        log.info("Fulfilled {} (event {}, attempt {})", intent.getId(), context.eventId(), context.attempt());
    }

    /** The payment intents fulfilled so far, in order, one entry per handler run. */
    public List<String> fulfilled() {
        return List.copyOf(fulfilled);
    }
}
