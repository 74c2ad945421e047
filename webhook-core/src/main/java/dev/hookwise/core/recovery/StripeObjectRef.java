package dev.hookwise.core.recovery;

import java.util.Objects;

/**
 * Names a Stripe object for reconciliation: its kind as in Stripe's {@code object} field
 * ({@code payment_intent}, {@code subscription}, {@code checkout.session}, {@code charge}, …) and its id.
 */
public record StripeObjectRef(String objectType, String id) {
    public StripeObjectRef {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(id, "id");
    }

    public static StripeObjectRef paymentIntent(String id) {
        return new StripeObjectRef("payment_intent", id);
    }

    public static StripeObjectRef subscription(String id) {
        return new StripeObjectRef("subscription", id);
    }

    public static StripeObjectRef checkoutSession(String id) {
        return new StripeObjectRef("checkout.session", id);
    }

    public static StripeObjectRef charge(String id) {
        return new StripeObjectRef("charge", id);
    }
}
