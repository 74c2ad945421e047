package dev.hookwise.benchmarks;

import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Realistic Stripe event bodies of a chosen size, and many copies of one body that differ only in
 * the event id, for measurements that need a new event per operation without paying for building
 * one.
 *
 * <p>Sizes are reached the way real events get big: the 32 KB body is an
 * {@code invoice.payment_succeeded} whose {@code lines} list holds invoice items, not one long
 * string. All bodies are pretty-printed, as Stripe sends them.
 */
public final class Payloads {

    /** Every id the template methods produce has this length, so copies can be patched in place. */
    public static final String ID_PLACEHOLDER = "evt_BENCH00000000000000000000";
    private static final int ID_DIGITS = 20;

    private Payloads() {}

    /**
     * An event body of about {@code targetBytes}: a {@code customer.created} up to 1.5 KB (about
     * 1.1 KB), a {@code payment_intent.payment_failed} padded with metadata up to 8 KB, above that an
     * {@code invoice.payment_succeeded} with as many line items as it takes.
     */
    public static TestEvent ofSize(int targetBytes, String eventId) {
        StripeEventFactory events = StripeEventFactory.create(Clock.systemUTC(), 42L);
        if (targetBytes <= 1536) {
            return events.customerCreated().id(eventId).build();
        }
        if (targetBytes <= 8192) {
            TestEvent plain = events.paymentIntentPaymentFailed().id(eventId).metadata("order_id", "ord_1001").build();
            int missing = targetBytes - plain.bytes().length;
            if (missing <= 40) {
                return plain;
            }
            return events.paymentIntentPaymentFailed().id(eventId).metadata("order_id", "ord_1001")
                    .metadata("note", "x".repeat(missing - 30)).build();
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        TestEvent event;
        int i = 0;
        do {
            lines.add(lineItem(i++));
            event = events.invoicePaymentSucceeded().id(eventId)
                    .objectField("lines", Map.of("object", "list", "has_more", false, "url", "/v1/invoices/in_1/lines",
                            "data", lines))
                    .build();
        } while (event.bytes().length < targetBytes);
        return event;
    }

    /** A {@code payment_intent.succeeded} (about 2 KB), the event a shop's handler sees most. */
    public static TestEvent paymentIntentSucceeded(String eventId) {
        return StripeEventFactory.create(Clock.systemUTC(), 42L).paymentIntentSucceeded().id(eventId)
                .amount(4999).currency("eur").metadata("order_id", "ord_1001").build();
    }

    private static Map<String, Object> lineItem(int i) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", "il_1Pbench" + String.format("%014d", i));
        line.put("object", "line_item");
        line.put("amount", 1200 + i);
        line.put("currency", "eur");
        line.put("description", "1 × Hookwise Pro seat (at €12.00 / month)");
        line.put("livemode", false);
        line.put("period", Map.of("start", 1_764_000_000L + i, "end", 1_766_592_000L + i));
        line.put("quantity", 1);
        line.put("metadata", Map.of("seat", "seat_" + i));
        return line;
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
