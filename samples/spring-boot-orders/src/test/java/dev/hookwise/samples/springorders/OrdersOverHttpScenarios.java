package dev.hookwise.samples.springorders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.Outcome;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.DeliveryLog;
import dev.hookwise.testkit.DeliveryPlan;
import dev.hookwise.testkit.DeliverySimulator;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventBuilder;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The orders application started on a random loopback port, fed signed testkit events over real
 * HTTP by the delivery simulator playing Stripe: in order, reversed, shuffled, duplicated, copied
 * concurrently and forged. Time is virtual: the application and the simulator share one
 * {@link MutableClock}, so "redelivered an hour later" takes no time. Subclasses pick the database.
 *
 * <p>The order's moves and the payment ledger's bookings are transactional handlers: they commit
 * with their event's completion or not at all, so a booking the ledger refuses leaves the order
 * where it was.
 */
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "hookwise.stripe.signing-secrets=" + OrdersOverHttpScenarios.SECRET})
@Import(OrdersOverHttpScenarios.VirtualTime.class)
abstract class OrdersOverHttpScenarios {
    static final String SECRET = "whsec_spring_boot_orders_test";
    static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    Receipts receipts;

    @Autowired
    IdempotencyStore eventLog;

    private final HttpClient http = HttpClient.newHttpClient();
    private DeliverySimulator stripe;
    private StripeEventFactory events;

    /** One clock for the application and the simulator. */
    @TestConfiguration(proxyBeanMethods = false)
    static class VirtualTime {
        @Bean
        MutableClock clock() {
            return MutableClock.at(START);
        }
    }

    @BeforeEach
    void stripe() {
        stripe = DeliverySimulator.toUrl(uri("/stripe/webhook")).signer(WebhookSigner.forSecret(SECRET)).clock(clock).build();
        // A fresh seed per test: the application (and PostgreSQL) outlive a test, event ids must not repeat.
        events = StripeEventFactory.create(clock, java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    @AfterEach
    void close() {
        stripe.close();
    }

    @Test
    void succeededBeforeCreatedIsAnswered422AndTheOrderEndsPaid() throws Exception {
        String order = newOrder();
        TestEvent created = event(order, "payment_intent.created", 1, null);
        TestEvent succeeded = event(order, "payment_intent.succeeded", 2, null);

        DeliveryLog log = stripe.deliver(List.of(created, succeeded), redeliver().reverse().build());

        assertThat(log.outcomes(succeeded.id())).containsExactly(Outcome.RETRY_LATER, Outcome.PROCESSED);
        assertThat(log.unacknowledgedEventIds()).isEmpty();
        assertThat(state(order)).contains("\"state\":\"paid\"");
        assertThat(receipts.sent()).containsOnlyOnce(order);
    }

    @Test
    void duplicatedShuffledDeliveriesMoveTheOrderOnce() throws Exception {
        String order = newOrder();
        List<TestEvent> story = List.of(
                event(order, "payment_intent.created", 1, null),
                event(order, "payment_intent.payment_failed", 2, null),
                event(order, "payment_intent.processing", 3, null),
                event(order, "payment_intent.succeeded", 4, null));

        DeliveryLog log = stripe.deliver(story, redeliver().duplicates(2).shuffle(7).build());

        assertThat(log.unacknowledgedEventIds()).isEmpty();
        assertThat(log.count(Outcome.DUPLICATE)).isGreaterThanOrEqualTo(story.size() * 2L);
        assertThat(state(order)).contains("\"state\":\"paid\"");
        assertThat(receipts.sent()).containsOnlyOnce(order);
        // Each event was handled once: one history row per event, however often it arrived.
        String history = state(order);
        for (TestEvent e : story) {
            assertThat(history.split(e.id(), -1)).as(e.type()).hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void concurrentCopiesOfOneEventRunItsHandlersOnce() throws Exception {
        String order = newOrder();
        TestEvent created = event(order, "payment_intent.created", 1, null);
        TestEvent succeeded = event(order, "payment_intent.succeeded", 2, null);
        stripe.deliver(created);

        DeliveryLog log = stripe.deliver(List.of(succeeded), redeliver().concurrentCopies(4).build());

        assertThat(log.unacknowledgedEventIds()).isEmpty();
        assertThat(log.outcomes(succeeded.id())).containsOnlyOnce(Outcome.PROCESSED);
        assertThat(state(order)).contains("\"state\":\"paid\"");
        assertThat(receipts.sent()).containsOnlyOnce(order);
    }

    @Test
    void shuffledDisputeLostEndsRefunded() throws Exception {
        String order = newOrder();
        List<TestEvent> story = List.of(
                event(order, "payment_intent.created", 1, null),
                event(order, "payment_intent.succeeded", 2, null),
                event(order, "charge.dispute.created", 3, null),
                event(order, "charge.dispute.closed", 4, "lost"));

        DeliveryLog log = stripe.deliver(story, redeliver().shuffle(3).build());

        assertThat(log.unacknowledgedEventIds()).isEmpty();
        assertThat(state(order)).contains("\"state\":\"refunded\"");
    }

    @Test
    void thePaymentIsBookedOnceTogetherWithTheMoveToPaid() throws Exception {
        String order = newOrder();
        TestEvent created = event(order, "payment_intent.created", 1, null);
        TestEvent succeeded = event(order, "payment_intent.succeeded", 2, null);

        DeliveryLog log = stripe.deliver(List.of(created, succeeded), redeliver().duplicates(2).shuffle(5).build());

        assertThat(log.unacknowledgedEventIds()).isEmpty();
        String body = state(order);
        assertThat(body).contains("\"state\":\"paid\"");
        assertThat(body.split("\"currency\":\"usd\"", -1)).as("one booking, however often the event came").hasSize(2);
        assertThat(eventLog.find(succeeded.id()).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
    }

    @Test
    void aPaymentTheLedgerCannotBookLeavesTheOrderUnpaidAndBooksNothing() throws Exception {
        String order = newOrder();
        stripe.deliver(event(order, "payment_intent.created", 1, null));
        TestEvent inEuros = events.event("payment_intent.succeeded")
                .created(START.minusSeconds(58))
                .metadata("order_id", order)
                .currency("eur")
                .build();

        DeliveryLog log = stripe.deliver(List.of(inEuros), redeliver().build());

        // The ledger refused the booking after the order had moved to paid in the same transaction:
        // the move was rolled back with it, and the event is dead, waiting for a fix and a replay.
        assertThat(log.outcomes(inEuros.id())).containsExactly(Outcome.FAILED_PERMANENT);
        String body = state(order);
        assertThat(body).contains("\"state\":\"pending_payment\"").contains("\"payments\":[]")
                .doesNotContain(inEuros.id());
        assertThat(eventLog.find(inEuros.id()).orElseThrow().status()).isEqualTo(EventStatus.DEAD);
        assertThat(eventLog.find(inEuros.id()).orElseThrow().lastError()).contains("the ledger books usd only");
    }

    @Test
    void forgedDeliveryIsRefusedAndChangesNothing() throws Exception {
        String order = newOrder();
        TestEvent paid = event(order, "payment_intent.succeeded", 1, null);

        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/stripe/webhook"))
                .header("Stripe-Signature", WebhookSigner.forSecret("whsec_an_attacker").sign(paid, clock.instant()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(paid.bytes())).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).startsWith("{\"outcome\":\"signature_no_match\"").doesNotContain("Exception");
        assertThat(state(order)).contains("\"state\":\"pending\"");
        assertThat(receipts.sent()).doesNotContain(order);
    }

    @Test
    void healthShowsHookwiseAndTheEndpointListsNothingFailed() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"hookwise\"");
        HttpResponse<String> failed = get("/actuator/hookwise");
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(failed.body()).contains("\"events\"");
    }

    /** Stripe's behaviour: a non-2xx answer is delivered again, up to 8 times, hours apart (virtually). */
    private static DeliveryPlan.Builder redeliver() {
        return DeliveryPlan.builder().redeliverFailures(8, DeliveryPlan.STRIPE_LIKE_BACKOFF);
    }

    private String newOrder() throws Exception {
        String id = "ord_" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri("/orders/" + id))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        return id;
    }

    private String state(String order) throws Exception {
        HttpResponse<String> answer = get("/orders/" + order);
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private TestEvent event(String order, String type, long second, String status) {
        StripeEventBuilder b = events.event(type)
                .created(START.minusSeconds(60).plusSeconds(second))
                .metadata("order_id", order);
        if (status != null) {
            b.status(status);
        }
        return b.build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
