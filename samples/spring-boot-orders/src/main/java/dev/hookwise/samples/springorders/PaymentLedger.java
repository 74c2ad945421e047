package dev.hookwise.samples.springorders;

import com.stripe.model.PaymentIntent;
import dev.hookwise.core.EventContext;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.spring.StripeWebhookHandler;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The shop's payment ledger: a transactional handler. It books each successful payment with the
 * application's {@link JdbcClient} inside the transaction that also moves the order to
 * {@code paid} (the {@code StateTransitions} bean is transactional too) and marks the event
 * completed: the booking, the order's move and the completion commit together, or none of them.
 * Booked twice is impossible, paid without a booking too, whatever crashes in between.
 *
 * <p>A payment the ledger cannot book (another currency than the shop's) fails the event for good:
 * the order stays where it was, nothing is booked, and the event waits as dead for a fix and a
 * replay.
 */
@Component
public class PaymentLedger {
    private final JdbcClient jdbc;
    private final String table;
    private final String currency;

    PaymentLedger(JdbcClient jdbc, @Value("${hookwise.store.table-prefix:hookwise_}") String tablePrefix,
            @Value("${shop.currency:usd}") String currency) {
        this.jdbc = jdbc;
        this.table = tablePrefix + "payments";
        this.currency = currency.toLowerCase(Locale.ROOT);
        // A real application's migration tool (Flyway, Liquibase) creates this table.
        jdbc.sql("CREATE TABLE IF NOT EXISTS " + table + " (order_id VARCHAR(255) NOT NULL,"
                + " payment_intent VARCHAR(255) NOT NULL, amount BIGINT NOT NULL, currency VARCHAR(3) NOT NULL,"
                + " event_id VARCHAR(255) NOT NULL)").update();
    }

    @StripeWebhookHandler(value = "payment_intent.succeeded", transactional = true)
    void book(PaymentIntent intent, EventContext context) {
        if (!currency.equals(intent.getCurrency())) {
            throw new PermanentWebhookFailure("payment " + intent.getId() + " is in " + intent.getCurrency()
                    + ", but the ledger books " + currency + " only: fix the price list, then replay " + context.eventId());
        }
        jdbc.sql("INSERT INTO " + table + " (order_id, payment_intent, amount, currency, event_id) VALUES (?, ?, ?, ?, ?)")
                .params(intent.getMetadata().get("order_id"), intent.getId(), intent.getAmount(), intent.getCurrency(),
                        context.eventId())
                .update();
    }

    /** The payments booked for {@code orderId}: amount and currency. */
    public List<Map<String, Object>> bookedFor(String orderId) {
        return jdbc.sql("SELECT amount, currency FROM " + table + " WHERE order_id = ?")
                .param(orderId)
                .query((rs, row) -> Map.<String, Object>of("amount", rs.getLong("amount"), "currency", rs.getString("currency")))
                .list();
    }
}
