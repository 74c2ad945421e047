package dev.hookwise.benchmarks;

import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Stripe event bodies: the captured-shape events of {@link #stripeEvents()} (1 KB to 32 KB, old and
 * current API versions) for the verify+parse comparison, and many copies of one body that differ
 * only in the event id, for measurements that need a new event per operation without paying for
 * building one. All bodies are pretty-printed, as Stripe sends them.
 */
public final class Payloads {

    /** Every id the template methods produce has this length, so copies can be patched in place. */
    public static final String ID_PLACEHOLDER = "evt_BENCH00000000000000000000";
    private static final int ID_DIGITS = 20;

    private Payloads() {}

    /**
     * The Stripe events under {@code payloads/} in this jar, smallest first: captured-shape bodies of
     * the common types (payment intents, charges with their card and refunds, Checkout sessions,
     * invoices with lines, subscriptions with items and {@code previous_attributes}) rendered with API
     * versions from 2015-10-16 to stripe-java's own, 1 KB to 32 KB. Built by
     * {@code benchmarks/payloads/make_payloads.py} from Stripe's OpenAPI fixtures.
     */
    public static List<String> stripeEvents() {
        try (InputStream in = resource("index.txt")) {
            List<String> names = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
            return List.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of one of {@link #stripeEvents()}, byte for byte as stored. */
    public static byte[] stripeEvent(String name) {
        try (InputStream in = resource(name + ".json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String file) {
        InputStream in = Payloads.class.getResourceAsStream("/payloads/" + file);
        if (in == null) {
            throw new IllegalArgumentException("no payloads/" + file + " in the benchmarks jar; see benchmarks/payloads/");
        }
        return in;
    }

    /** A {@code payment_intent.succeeded} (about 2 KB), the event a shop's handler sees most. */
    public static TestEvent paymentIntentSucceeded(String eventId) {
        return StripeEventFactory.create(Clock.systemUTC(), 42L).paymentIntentSucceeded().id(eventId)
                .amount(4999).currency("eur").metadata("order_id", "ord_1001").build();
    }

    /** A {@link #paymentIntentSucceeded} body whose id is {@link #ID_PLACEHOLDER}, for {@link #withId}. */
    public static byte[] template() {
        byte[] body = paymentIntentSucceeded(ID_PLACEHOLDER).bytes();
        if (indexOf(body, ID_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII)) < 0) {
            throw new IllegalStateException("the id placeholder is missing from the template");
        }
        return body;
    }

    /** The order id placeholder of {@link #orderTemplate()}; same digits as the event id. */
    public static final String ORDER_PLACEHOLDER = "ord_BENCH00000000000000000000";

    /**
     * A {@code payment_intent.created} whose {@code metadata.order_id} is {@link #ORDER_PLACEHOLDER}:
     * the event that moves an order of the Spring orders sample from pending to pending_payment.
     * Patch both ids with {@link #withIdAndOrder}.
     */
    public static byte[] orderTemplate() {
        String json = StripeEventFactory.create(Clock.systemUTC(), 42L).paymentIntentSucceeded().id(ID_PLACEHOLDER)
                .amount(4999).currency("eur").metadata("order_id", ORDER_PLACEHOLDER).build().json()
                .replace("\"payment_intent.succeeded\"", "\"payment_intent.created\"");
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A copy of {@link #orderTemplate()} with event id {@link #idFor(long) idFor(n)} and order id {@link #orderFor(long) orderFor(n)}. */
    public static byte[] withIdAndOrder(byte[] template, long n) {
        byte[] copy = withId(template, idOffset(template), n);
        int orderOffset = indexOf(copy, ORDER_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII));
        byte[] digits = orderFor(n).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, copy, orderOffset, digits.length);
        return copy;
    }

    /** The order id {@link #withIdAndOrder} writes for {@code n}. */
    public static String orderFor(long n) {
        return "ord_BENCH" + String.format("%0" + ID_DIGITS + "d", n);
    }

    /** Where the placeholder id starts in {@code template}. */
    public static int idOffset(byte[] template) {
        return indexOf(template, ID_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII));
    }

    /** A copy of {@code template} whose event id is {@code evt_BENCH} followed by {@code n}, zero-padded. */
    public static byte[] withId(byte[] template, int idOffset, long n) {
        byte[] copy = template.clone();
        int end = idOffset + ID_PLACEHOLDER.length();
        long v = n;
        for (int k = 1; k <= ID_DIGITS; k++) {
            copy[end - k] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return copy;
    }

    /** The event id {@link #withId} writes for {@code n}. */
    public static String idFor(long n) {
        return "evt_BENCH" + String.format("%0" + ID_DIGITS + "d", n);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
