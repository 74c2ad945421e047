package dev.hookwise.testkit;

import java.util.Arrays;
import java.util.List;

/** The event types with a built-in object shape, with the object name and id prefix of each. */
enum EventKind {
    CHECKOUT_SESSION_COMPLETED("checkout.session.completed", "checkout.session", "cs_"),
    PAYMENT_INTENT_SUCCEEDED("payment_intent.succeeded", "payment_intent", "pi_"),
    PAYMENT_INTENT_PAYMENT_FAILED("payment_intent.payment_failed", "payment_intent", "pi_"),
    PAYMENT_INTENT_CANCELED("payment_intent.canceled", "payment_intent", "pi_"),
    CHARGE_REFUNDED("charge.refunded", "charge", "ch_"),
    CHARGE_DISPUTE_CREATED("charge.dispute.created", "dispute", "dp_"),
    CHARGE_DISPUTE_CLOSED("charge.dispute.closed", "dispute", "dp_"),
    CUSTOMER_SUBSCRIPTION_CREATED("customer.subscription.created", "subscription", "sub_"),
    CUSTOMER_SUBSCRIPTION_UPDATED("customer.subscription.updated", "subscription", "sub_"),
    CUSTOMER_SUBSCRIPTION_DELETED("customer.subscription.deleted", "subscription", "sub_"),
    INVOICE_PAYMENT_SUCCEEDED("invoice.payment_succeeded", "invoice", "in_"),
    INVOICE_PAYMENT_FAILED("invoice.payment_failed", "invoice", "in_"),
    CUSTOMER_CREATED("customer.created", "customer", "cus_"),
    /** Any other type: the caller supplies {@code data.object}. */
    RAW("", "", "obj_");

    private final String type;
    private final String objectName;
    private final String idPrefix;

    EventKind(String type, String objectName, String idPrefix) {
        this.type = type;
        this.objectName = objectName;
        this.idPrefix = idPrefix;
    }

    String type() {
        return type;
    }

    String objectName() {
        return objectName;
    }

    String idPrefix() {
        return idPrefix;
    }

    static List<EventKind> typed() {
        return Arrays.stream(values()).filter(k -> k != RAW).toList();
    }

    static EventKind forType(String type) {
        return typed().stream().filter(k -> k.type.equals(type)).findFirst().orElse(RAW);
    }
}
