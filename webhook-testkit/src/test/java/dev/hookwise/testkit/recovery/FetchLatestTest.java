package dev.hookwise.testkit.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.testkit.FakeStripeApi;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FetchLatestTest {
    private static final String SECRET = "whsec_fetch_latest";

    @Test
    void handlersGetTheCurrentObjectFetchedOncePerEvent() {
        MutableClock clock = MutableClock.now();
        StripeEventFactory events = StripeEventFactory.create(clock, 3);
        TestEvent processing = events.event("payment_intent.processing").objectId("pi_latest").build();
        TestEvent nowSucceeded = events.paymentIntentSucceeded().objectId("pi_latest").status("succeeded").build();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (FakeStripeApi stripe = FakeStripeApi.start()) {
            stripe.putObject(nowSucceeded);
            WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).stripeClient(stripe.client())
                    .handlers(HandlerRegistry.builder()
                            .on("payment_intent.processing", ctx -> seen.add("a:" + ctx.fetchLatest(PaymentIntent.class).getStatus()))
                            .on("payment_intent.*", ctx -> seen.add("b:" + ctx.fetchLatest(PaymentIntent.class).getStatus()))
                            .build())
                    .build();

            assertThat(p.process(WebhookSigner.forSecret(SECRET).request(processing, clock.instant())).outcome())
                    .isEqualTo(Outcome.PROCESSED);

            assertThat(seen).containsExactly("a:succeeded", "b:succeeded");
            assertThat(stripe.requests("/v1/payment_intents/pi_latest")).hasSize(1);
        }
    }

    @Test
    void missingObjectIsAPermanentFailureAndNoClientIsToo() {
        MutableClock clock = MutableClock.now();
        TestEvent event = StripeEventFactory.create(clock, 4).paymentIntentSucceeded().objectId("pi_gone").build();
        try (FakeStripeApi stripe = FakeStripeApi.start()) {
            WebhookProcessor p = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).stripeClient(stripe.client())
                    .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> ctx.fetchLatest()).build()).build();
            assertThat(p.process(WebhookSigner.forSecret(SECRET).request(event, clock.instant())).outcome())
                    .isEqualTo(Outcome.FAILED_PERMANENT);
            assertThat(p.store().find(event.id()).orElseThrow().status()).isEqualTo(EventStatus.DEAD);
        }
        WebhookProcessor noClient = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock)
                .handlers(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> ctx.fetchLatest()).build()).build();
        assertThat(noClient.process(WebhookSigner.forSecret(SECRET).request(event, clock.instant())).outcome())
                .isEqualTo(Outcome.FAILED_PERMANENT);
        assertThat(noClient.store().find(event.id()).orElseThrow().lastError()).contains("stripeClient");
    }
}
