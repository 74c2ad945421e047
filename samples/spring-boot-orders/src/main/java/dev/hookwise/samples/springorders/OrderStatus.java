package dev.hookwise.samples.springorders;

/** The shop's order states, stored as {@code pending}, {@code pending_payment}, … */
public enum OrderStatus {
    /** Created by the checkout. */
    PENDING,
    /** A payment is under way. */
    PENDING_PAYMENT,
    /** Paid. */
    PAID,
    /** The last payment attempt failed. */
    PAYMENT_FAILED,
    /** Given up before payment. */
    CANCELLED,
    /** Handed to the warehouse (the shop's own step, not a Stripe event). */
    READY_FOR_HANDOVER,
    /** Money returned. */
    REFUNDED,
    /** The customer disputed the payment. */
    DISPUTED,
    /** The dispute was won; the funds are released. */
    RELEASED
}
