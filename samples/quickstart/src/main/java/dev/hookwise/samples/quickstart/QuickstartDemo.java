package dev.hookwise.samples.quickstart;

import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.http.WebhookServer;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The quickstart: a Stripe webhook endpoint on a free loopback port, and a scripted stream of
 * signed, realistic events sent to it over real HTTP — a duplicate, a bad signature, a timestamp
 * outside the tolerance, a handler that fails once and then succeeds, an unhandled type, a stale
 * event — with a table of what each was answered.
 *
 * <p>Run it with {@code mvn -B -q -Pdemo -pl samples/quickstart -am package -DskipTests}.
 */
public final class QuickstartDemo {

    static final String SECRET = "whsec_quickstart_demo_secret";

    /** One line of the table. */
    record Row(String scenario, String eventId, String type, int status, String outcome) {}

    private QuickstartDemo() {}

    public static void main(String[] args) throws Exception {
        List<Row> rows = run(QuickstartStore.open());
        print(rows);
    }

    /** Runs the script against a fresh endpoint backed by {@code store}; returns the table. */
    static List<Row> run(QuickstartStore storeHandle) throws Exception {
        AtomicInteger refundCalls = new AtomicInteger();
        HandlerRegistry handlers = HandlerRegistry.builder()
                .on("payment_intent.succeeded", PaymentIntent.class, (pi, ctx) ->
                        System.out.printf("  handler: order %s paid (%d %s)%n",
                                pi.getMetadata().get("order_id"), pi.getAmount(), pi.getCurrency()))
                .on("charge.refunded", Charge.class, (charge, ctx) -> {
                    if (refundCalls.incrementAndGet() == 1) {
                        throw new IOException("refund ledger timed out"); // transient: retried in-process
                    }
                    System.out.printf("  handler: charge %s refunded on attempt %d%n", charge.getId(), refundCalls.get());
                })
                .on("payment_intent.payment_failed", PaymentIntent.class, (pi, ctx) -> {
                    throw new PermanentWebhookFailure("order " + pi.getMetadata().get("order_id") + " does not exist");
                })
                .build();
        IdempotencyStore store = storeHandle.store();
        WebhookProcessor processor = WebhookProcessor.builder()
                .signingSecrets(SECRET)
                .store(store)
                .handlers(handlers)
                .build();

        StripeEventFactory events = StripeEventFactory.create();
        WebhookSigner signer = WebhookSigner.forSecret(SECRET);
        WebhookSigner impostor = WebhookSigner.forSecret("whsec_not_the_endpoint_secret");
        Instant now = Instant.now();

        TestEvent paid = events.paymentIntentSucceeded().amount(4999).currency("eur").metadata("order_id", "ord_1001").build();
        TestEvent refunded = events.chargeRefunded().amount(1500).currency("eur").build();
        TestEvent failed = events.paymentIntentPaymentFailed().metadata("order_id", "ord_missing").build();
        TestEvent unhandled = events.event("customer.created").build();
        TestEvent stale = events.paymentIntentSucceeded().created(now.minus(Duration.ofDays(4)))
                .metadata("order_id", "ord_0042").build();
        TestEvent forged = events.paymentIntentSucceeded().metadata("order_id", "ord_free").build();
        TestEvent replayed = events.paymentIntentSucceeded().metadata("order_id", "ord_1002").build();

        List<Row> rows = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try (WebhookServer server = WebhookServer.builder()
                .processor(processor)
                .address(new InetSocketAddress("127.0.0.1", 0)) // a free loopback port
                .path("/stripe/webhook")
                .threads(4)
                .start()) {
            System.out.println("Hookwise quickstart: endpoint at " + server.uri() + " (store: " + storeHandle.description() + ")");
            URI uri = server.uri();
            rows.add(send(http, uri, "first delivery", paid, signer.sign(paid.bytes(), now)));
            rows.add(send(http, uri, "duplicate delivery", paid, signer.sign(paid.bytes(), now)));
            rows.add(send(http, uri, "signed with the wrong secret", forged, impostor.sign(forged.bytes(), now)));
            rows.add(send(http, uri, "timestamp 10 min old (replay)", replayed,
                    signer.sign(replayed.bytes(), now.minus(Duration.ofMinutes(10)))));
            rows.add(send(http, uri, "handler fails once, then succeeds", refunded, signer.sign(refunded.bytes(), now)));
            rows.add(send(http, uri, "handler fails permanently", failed, signer.sign(failed.bytes(), now)));
            rows.add(send(http, uri, "no handler for the type", unhandled, signer.sign(unhandled.bytes(), now)));
            rows.add(send(http, uri, "event created 4 days ago", stale, signer.sign(stale.bytes(), now)));
            rows.add(send(http, uri, "no Stripe-Signature header", paid, null));
            System.out.println();
            System.out.println("Event log (" + storeHandle.description() + "):");
            for (EventRecord r : store.search(EventQuery.builder().limit(100).build())) {
                System.out.printf("  %-30s %-30s %-14s attempts=%d%s%n", r.id(), r.type(), r.status(), r.attempts(),
                        r.lastError() == null ? "" : "  note: " + r.lastError());
            }
        } finally {
            storeHandle.close();
        }
        return rows;
    }

    private static Row send(HttpClient http, URI uri, String scenario, TestEvent event, String signature)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.bytes()));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Row(scenario, event.id(), event.type(), response.statusCode(), outcome(response.body()));
    }

    /** Reads {@code "outcome"} from the small JSON answer. */
    static String outcome(String json) {
        String key = "\"outcome\":\"";
        int start = json.indexOf(key);
        if (start < 0) {
            return "?";
        }
        start += key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    static void print(List<Row> rows) {
        String format = "%-36s %-30s %-30s %6s  %s%n";
        System.out.println();
        System.out.printf(format, "scenario", "event id", "type", "status", "outcome");
        System.out.printf(format, "-".repeat(36), "-".repeat(30), "-".repeat(30), "------", "-".repeat(18));
        for (Row r : rows) {
            System.out.printf(format, r.scenario(), r.eventId(), r.type(), r.status(), r.outcome());
        }
    }
}
