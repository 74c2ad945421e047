package dev.hookwise.core.recovery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hookwise.core.internal.Checks;
import dev.hookwise.core.internal.EventLogPages;
import dev.hookwise.core.spi.EventQuery;
import dev.hookwise.core.spi.IdempotencyStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The payment-monitoring seed's duplicate check: from the {@code payment_intent.succeeded} events
 * in the event log, reports payment intents that succeeded more than once for the same order
 * ({@code metadata.order_id}), and the same customer paying the same amount and currency more
 * than once within a short window (default 10 minutes) — a double click, a retried checkout.
 *
 * <pre>{@code
 * DuplicatePaymentReport report = DuplicatePaymentDetector.of(eventLog).detect(from, to);
 * }</pre>
 */
public final class DuplicatePaymentDetector {
    public static final Duration DEFAULT_SAME_CUSTOMER_WINDOW = Duration.ofMinutes(10);
    private static final String TYPE = "payment_intent.succeeded";
    private static final JsonFactory JSON = new JsonFactory();

    private final IdempotencyStore events;
    private final Duration sameCustomerWindow;

    private DuplicatePaymentDetector(IdempotencyStore events, Duration sameCustomerWindow) {
        this.events = events;
        this.sameCustomerWindow = sameCustomerWindow;
    }

    public static DuplicatePaymentDetector of(IdempotencyStore events) {
        return new DuplicatePaymentDetector(Objects.requireNonNull(events, "events"), DEFAULT_SAME_CUSTOMER_WINDOW);
    }

    /** The window within which equal customer payments are suspicious; positive. */
    public DuplicatePaymentDetector withSameCustomerWindow(Duration value) {
        return new DuplicatePaymentDetector(events, Checks.positive(value, "sameCustomerWindow"));
    }

    private record Payment(String id, Instant created, @Nullable String orderId, @Nullable String customer, long amount,
            @Nullable String currency) {}

    /** Checks succeeded payments created in {@code [from, to)}. */
    public DuplicatePaymentReport detect(Instant from, Instant to) {
        Map<String, Payment> payments = new LinkedHashMap<>();
        EventLogPages.forEach(events, EventQuery.builder().type(TYPE).createdFrom(from).createdTo(to).build(),
                Long.MAX_VALUE, e -> {
                    Payment p = e.payload() == null ? null : read(e.payload(), e.created());
                    if (p != null) {
                        payments.putIfAbsent(p.id(), p); // one payment intent, however many events
                    }
                });
        List<Payment> ordered = new ArrayList<>(payments.values());
        ordered.sort(Comparator.comparing(Payment::created).thenComparing(Payment::id));
        List<DuplicatePaymentReport.Finding> findings = new ArrayList<>();

        Map<String, List<String>> byOrder = new LinkedHashMap<>();
        for (Payment p : ordered) {
            if (p.orderId() != null) {
                byOrder.computeIfAbsent(p.orderId(), k -> new ArrayList<>()).add(p.id());
            }
        }
        byOrder.forEach((order, ids) -> {
            if (ids.size() > 1) {
                findings.add(new DuplicatePaymentReport.Finding(DuplicatePaymentReport.Kind.SAME_ORDER, order, ids));
            }
        });

        Map<String, List<Payment>> byCustomer = new LinkedHashMap<>();
        for (Payment p : ordered) {
            if (p.customer() != null) {
                byCustomer.computeIfAbsent(p.customer() + "/" + p.amount() + " " + p.currency(), k -> new ArrayList<>()).add(p);
            }
        }
        byCustomer.forEach((key, list) -> {
            List<String> cluster = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                boolean closeToPrevious = i > 0
                        && Duration.between(list.get(i - 1).created(), list.get(i).created()).compareTo(sameCustomerWindow) <= 0;
                if (!closeToPrevious) {
                    flush(findings, key, cluster);
                    cluster = new ArrayList<>();
                }
                cluster.add(list.get(i).id());
            }
            flush(findings, key, cluster);
        });
        return new DuplicatePaymentReport(from, to, payments.size(), findings);
    }

    private static void flush(List<DuplicatePaymentReport.Finding> findings, String key, List<String> cluster) {
        if (cluster.size() > 1) {
            findings.add(new DuplicatePaymentReport.Finding(DuplicatePaymentReport.Kind.SAME_CUSTOMER_AND_AMOUNT, key, cluster));
        }
    }

    /** Reads data.object's id, metadata.order_id, customer, amount and currency; null if unreadable. */
    private static @Nullable Payment read(byte[] payload, Instant created) {
        String id = null;
        String order = null;
        String customer = null;
        long amount = -1;
        String currency = null;
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!name.equals("data") || t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String dataField = p.currentName();
                    JsonToken dt = p.nextToken();
                    if (!dataField.equals("object") || dt != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken ft = p.nextToken();
                        switch (f) {
                            case "id" -> id = ft == JsonToken.VALUE_STRING ? p.getText() : null;
                            case "customer" -> customer = ft == JsonToken.VALUE_STRING ? p.getText() : null;
                            case "currency" -> currency = ft == JsonToken.VALUE_STRING ? p.getText() : null;
                            case "amount" -> amount = ft == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                            case "metadata" -> {
                                if (ft == JsonToken.START_OBJECT) {
                                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                                        String key = p.currentName();
                                        JsonToken mt = p.nextToken();
                                        if (key.equals("order_id") && mt == JsonToken.VALUE_STRING) {
                                            order = p.getText();
                                        } else {
                                            p.skipChildren();
                                        }
                                    }
                                } else {
                                    p.skipChildren();
                                }
                            }
                            default -> p.skipChildren();
                        }
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return id == null ? null : new Payment(id, created, order, customer, amount, currency);
    }
}
