package dev.hookwise.samples.bomconsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The application as a user builds it from the BOM and the starter, started on a random loopback
 * port and sent signed events over real HTTP. What the starter must have brought shows in the
 * answers: {@code queued} means the durable JDBC event log on Boot's embedded H2 and the inbox
 * worker (with the in-memory store the mode would be synchronous and the answer {@code processed}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "hookwise.stripe.signing-secrets=" + BomConsumerApplicationTest.SECRET})
class BomConsumerApplicationTest {
    static final String SECRET = "whsec_bom_consumer_test";
    /** Bound for the inbox worker to pick an event up; it normally takes a poll interval. */
    private static final Duration WORKER_BOUND = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    Fulfilment fulfilment;

    @Autowired
    IdempotencyStore store;

    private final HttpClient http = HttpClient.newHttpClient();
    private final StripeEventFactory events = StripeEventFactory.create();
    private final WebhookSigner stripe = WebhookSigner.forSecret(SECRET);

    @Test
    void signedEventIsQueuedThenHandledOnceByTheWorker() throws Exception {
        TestEvent paid = events.paymentIntentSucceeded().build();

        HttpResponse<String> answer = deliver(paid, stripe.sign(paid));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).startsWith("{\"outcome\":\"queued\"").contains(paid.id());
        await().atMost(WORKER_BOUND).until(() -> status(paid), s -> s.equals(Optional.of(EventStatus.COMPLETED)));
        assertThat(fulfilment.fulfilled()).containsOnlyOnce(paid.objectId());
    }

    @Test
    void redeliveryOfAHandledEventIsADuplicateAndRunsNothing() throws Exception {
        TestEvent paid = events.paymentIntentSucceeded().build();
        assertThat(deliver(paid, stripe.sign(paid)).statusCode()).isEqualTo(200);
        await().atMost(WORKER_BOUND).until(() -> status(paid), s -> s.equals(Optional.of(EventStatus.COMPLETED)));

        HttpResponse<String> again = deliver(paid, stripe.sign(paid));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).startsWith("{\"outcome\":\"duplicate\"");
        assertThat(fulfilment.fulfilled()).containsOnlyOnce(paid.objectId());
    }

    @Test
    void eventSignedWithAnotherSecretIsRefusedAndNotRecorded() throws Exception {
        TestEvent forged = events.paymentIntentSucceeded().build();

        HttpResponse<String> answer = deliver(forged, WebhookSigner.forSecret("whsec_not_this_endpoint").sign(forged));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).startsWith("{\"outcome\":\"signature_no_match\"");
        assertThat(status(forged)).isEmpty();
        assertThat(fulfilment.fulfilled()).doesNotContain(forged.objectId());
    }

    private HttpResponse<String> deliver(TestEvent event, String signature) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stripe/webhook"))
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.bytes()))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Optional<EventStatus> status(TestEvent event) {
        return store.find(event.id()).map(EventRecord::status);
    }
}
