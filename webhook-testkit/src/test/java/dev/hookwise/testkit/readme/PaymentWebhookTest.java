package dev.hookwise.testkit.readme;

import static dev.hookwise.testkit.assertj.HookwiseAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.testkit.DeliveryLog;
import dev.hookwise.testkit.DeliveryPlan;
import dev.hookwise.testkit.DeliverySimulator;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import dev.hookwise.testkit.junit.HookwiseExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ten-line test of webhook-testkit/README.md, kept compiling and passing. Keep the two in step. */
@ExtendWith(HookwiseExtension.class)
class PaymentWebhookTest {
    @Test
    void paymentIsHandledOnceThoughStripeSendsItThreeTimes(StripeEventFactory events, WebhookSigner signer,
            MutableClock clock) {
        List<String> paid = new CopyOnWriteArrayList<>();
        WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(signer.secret()).clock(clock)
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", PaymentIntent.class,
                        (intent, ctx) -> paid.add(intent.getMetadata().get("order_id"))).build()).build();
        TestEvent event = events.paymentIntentSucceeded().metadata("order_id", "ord_1").build();
        DeliveryLog log = DeliverySimulator.toProcessor(processor).signer(signer).clock(clock).build()
                .deliver(List.of(event), DeliveryPlan.builder().duplicates(2).build());
        assertThat(log).eachEventProcessedOnce().hasOutcomeCount(Outcome.DUPLICATE, 2);
        assertThat(paid).containsExactly("ord_1");
    }
}
