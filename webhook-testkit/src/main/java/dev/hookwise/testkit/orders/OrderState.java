package dev.hookwise.testkit.orders;

/**
 * The states of the orders example (the troubleshooting guide's shop): stored as
 * {@code pending}, {@code pending_payment}, … by {@link dev.hookwise.core.state.StateNames}.
 */
public enum OrderState {
    /** Created by the checkout, no payment yet. */
    PENDING,
    /** A payment is under way. */
    PENDING_PAYMENT,
    /** The payment succeeded. */
    PAID,
    /** The last payment attempt failed; the customer may try again. */
    PAYMENT_FAILED,
    /** Given up before payment (terminal). */
    CANCELLED,
    /** Paid and handed to the warehouse; moved by the shop, not by a Stripe event. */
    READY_FOR_HANDOVER,
    /** Money returned (terminal). */
    REFUNDED,
    /** The customer disputed the payment. */
    DISPUTED,
    /** The dispute was decided for the shop; the funds are released. */
    RELEASED
}
