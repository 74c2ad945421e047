package dev.hookwise.core.recovery;

import java.time.Instant;
import java.util.List;

/**
 * Payments that look taken twice.
 *
 * @param from start of the window (event creation time)
 * @param to end of the window
 * @param paymentsSeen distinct succeeded payment intents in the window
 * @param findings one line per suspicious group
 */
public record DuplicatePaymentReport(Instant from, Instant to, int paymentsSeen, List<Finding> findings) {
    public DuplicatePaymentReport {
        findings = List.copyOf(findings);
    }

    /** Why a group is suspicious. */
    public enum Kind {
        /** More than one payment intent succeeded for the same {@code metadata.order_id}. */
        SAME_ORDER,
        /** The same customer paid the same amount and currency more than once within the window. */
        SAME_CUSTOMER_AND_AMOUNT
    }

    /**
     * One suspicious group.
     *
     * @param kind what the payments share
     * @param key the order id, or {@code customer/amount currency}
     * @param paymentIntents the payment intents, oldest first
     */
    public record Finding(Kind kind, String key, List<String> paymentIntents) {
        public Finding {
            paymentIntents = List.copyOf(paymentIntents);
        }
    }
}
