package dev.hookwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Field-by-field checks of generated payloads against Stripe's published API reference. Each test
 * lists, for one object, every attribute it checked: the name, and the JSON kind the reference gives
 * it ({@code string}, {@code integer}, {@code boolean}, {@code object}, {@code array}; a trailing
 * {@code ?} means "nullable" in the reference). Sources, read in 2026 for the dahlia API line that
 * stripe-java 33 targets:
 * <ul>
 *   <li>Event: docs.stripe.com/api/events/object (attribute list and example JSON)</li>
 *   <li>PaymentIntent: docs.stripe.com/api/payment_intents/object?api-version=2026-04-22.dahlia (example JSON)</li>
 *   <li>Charge: docs.stripe.com/api/charges/object (example JSON and attribute list)</li>
 *   <li>Checkout Session: docs.stripe.com/api/checkout/sessions/object?api-version=2026-07-29.dahlia (example JSON)
 *       and the attribute list of the same page for the fields after {@code setup_intent}</li>
 * </ul>
 * A failure here means either the factory drifted or Stripe changed the object: re-read the page.
 */
class StripeEventShapeTest {
    private final StripeEventFactory events =
            StripeEventFactory.create(MutableClock.at(Instant.parse("2026-05-04T10:00:00Z")), 11);

    @Test
    void eventEnvelopeHasTheFieldsOfStripesEventObject() {
        JsonObject event = parse(events.paymentIntentSucceeded().build());
        JsonObject connect = parse(events.paymentIntentSucceeded().account("acct_1").build());

        check(event, fields(
                "id", "string",
                "object", "string",
                "api_version", "string?",
                "created", "integer",
                "data", "object",
                "livemode", "boolean",
                "pending_webhooks", "integer",
                "request", "object?",
                "type", "string"));
        check(event.getAsJsonObject("data"), fields("object", "object"));
        check(event.getAsJsonObject("request"), fields("id", "string?", "idempotency_key", "string?"));
        assertThat(event.get("object").getAsString()).isEqualTo("event");
        assertThat(event.has("account")).isFalse();
        assertThat(connect.get("account").getAsString()).isEqualTo("acct_1");
        assertThat(event.get("id").getAsString()).startsWith("evt_");
        assertThat(event.getAsJsonObject("request").get("id").getAsString()).startsWith("req_");
        // data.previous_attributes: "only included in events of type *.updated".
        assertThat(event.getAsJsonObject("data").has("previous_attributes")).isFalse();
        assertThat(parse(events.customerSubscriptionUpdated().build()).getAsJsonObject("data")
                .get("previous_attributes").isJsonObject()).isTrue();
    }

    @Test
    void paymentIntentHasTheFieldsOfStripesPaymentIntentObject() {
        JsonObject pi = object(events.paymentIntentSucceeded().build());

        check(pi, fields(
                "id", "string",
                "object", "string",
                "amount", "integer",
                "amount_capturable", "integer",
                "amount_details", "object",
                "amount_received", "integer",
                "application", "string?",
                "application_fee_amount", "integer?",
                "automatic_payment_methods", "object?",
                "canceled_at", "integer?",
                "cancellation_reason", "string?",
                "capture_method", "string",
                "client_secret", "string?",
                "confirmation_method", "string",
                "created", "integer",
                "currency", "string",
                "customer", "string?",
                "description", "string?",
                "last_payment_error", "object?",
                "latest_charge", "string?",
                "livemode", "boolean",
                "metadata", "object",
                "next_action", "object?",
                "on_behalf_of", "string?",
                "payment_method", "string?",
                "payment_method_options", "object?",
                "payment_method_types", "array",
                "processing", "object?",
                "receipt_email", "string?",
                "review", "string?",
                "setup_future_usage", "string?",
                "shipping", "object?",
                "source", "string?",
                "statement_descriptor", "string?",
                "statement_descriptor_suffix", "string?",
                "status", "string",
                "transfer_data", "object?",
                "transfer_group", "string?"));
        check(pi.getAsJsonObject("payment_method_options").getAsJsonObject("card"), fields(
                "installments", "object?",
                "mandate_options", "object?",
                "network", "string?",
                "request_three_d_secure", "string?"));
        assertThat(pi.get("object").getAsString()).isEqualTo("payment_intent");
        assertThat(pi.get("client_secret").getAsString()).startsWith(pi.get("id").getAsString() + "_secret_");
        assertThat(pi.get("status").getAsString()).isIn("requires_payment_method", "requires_confirmation",
                "requires_action", "processing", "requires_capture", "canceled", "succeeded");
    }

    @Test
    void chargeHasTheFieldsOfStripesChargeObject() {
        JsonObject charge = object(events.chargeRefunded().build());

        check(charge, fields(
                "id", "string",
                "object", "string",
                "amount", "integer",
                "amount_captured", "integer",
                "amount_refunded", "integer",
                "application", "string?",
                "application_fee", "string?",
                "application_fee_amount", "integer?",
                "balance_transaction", "string?",
                "billing_details", "object",
                "calculated_statement_descriptor", "string?",
                "captured", "boolean",
                "created", "integer",
                "currency", "string",
                "customer", "string?",
                "description", "string?",
                "disputed", "boolean",
                "failure_balance_transaction", "string?",
                "failure_code", "string?",
                "failure_message", "string?",
                "fraud_details", "object?",
                "livemode", "boolean",
                "metadata", "object",
                "on_behalf_of", "string?",
                "outcome", "object?",
                "paid", "boolean",
                "payment_intent", "string?",
                "payment_method", "string?",
                "payment_method_details", "object?",
                "receipt_email", "string?",
                "receipt_number", "string?",
                "receipt_url", "string?",
                "refunded", "boolean",
                "review", "string?",
                "shipping", "object?",
                "source_transfer", "string?",
                "statement_descriptor", "string?",
                "statement_descriptor_suffix", "string?",
                "status", "string",
                "transfer_data", "object?",
                "transfer_group", "string?"));
        check(charge.getAsJsonObject("billing_details"), fields(
                "address", "object?", "email", "string?", "name", "string?", "phone", "string?"));
        check(charge.getAsJsonObject("billing_details").getAsJsonObject("address"), fields(
                "city", "string?", "country", "string?", "line1", "string?", "line2", "string?",
                "postal_code", "string?", "state", "string?"));
        check(charge.getAsJsonObject("outcome"), fields(
                "network_status", "string?", "reason", "string?", "risk_level", "string", "risk_score", "integer",
                "seller_message", "string?", "type", "string"));
        check(charge.getAsJsonObject("payment_method_details").getAsJsonObject("card"), fields(
                "brand", "string?", "checks", "object?", "country", "string?", "exp_month", "integer",
                "exp_year", "integer", "fingerprint", "string?", "funding", "string?", "last4", "string?",
                "network", "string?", "three_d_secure", "object?", "wallet", "object?"));
        assertThat(charge.get("object").getAsString()).isEqualTo("charge");
        assertThat(charge.get("status").getAsString()).isIn("succeeded", "pending", "failed");
        assertThat(charge.get("amount_refunded").getAsLong()).isEqualTo(charge.get("amount").getAsLong());
        assertThat(charge.get("refunded").getAsBoolean()).isTrue();
    }

    @Test
    void checkoutSessionHasTheFieldsOfStripesCheckoutSessionObject() {
        JsonObject session = object(events.checkoutSessionCompleted().build());

        check(session, fields(
                "id", "string",
                "object", "string",
                "after_expiration", "object?",
                "allow_promotion_codes", "boolean?",
                "amount_subtotal", "integer?",
                "amount_total", "integer?",
                "automatic_tax", "object",
                "billing_address_collection", "string?",
                "cancel_url", "string?",
                "client_reference_id", "string?",
                "consent", "object?",
                "consent_collection", "object?",
                "created", "integer",
                "currency", "string?",
                "custom_fields", "array",
                "custom_text", "object",
                "customer", "string?",
                "customer_creation", "string?",
                "customer_details", "object?",
                "customer_email", "string?",
                "expires_at", "integer",
                "invoice", "string?",
                "invoice_creation", "object?",
                "livemode", "boolean",
                "locale", "string?",
                "metadata", "object?",
                "mode", "string",
                "payment_intent", "string?",
                "payment_link", "string?",
                "payment_method_collection", "string?",
                "payment_method_options", "object?",
                "payment_method_types", "array",
                "payment_status", "string",
                "phone_number_collection", "object?",
                "recovered_from", "string?",
                "setup_intent", "string?",
                "shipping_address_collection", "object?",
                "shipping_cost", "object?",
                "shipping_options", "array",
                "status", "string?",
                "submit_type", "string?",
                "subscription", "string?",
                "success_url", "string?",
                "total_details", "object?",
                "url", "string?"));
        check(session.getAsJsonObject("automatic_tax"), fields(
                "enabled", "boolean", "liability", "object?", "status", "string?"));
        check(session.getAsJsonObject("invoice_creation").getAsJsonObject("invoice_data"), fields(
                "account_tax_ids", "array?", "custom_fields", "array?", "description", "string?", "footer", "string?",
                "issuer", "object?", "metadata", "object?", "rendering_options", "object?"));
        check(session.getAsJsonObject("total_details"), fields(
                "amount_discount", "integer", "amount_shipping", "integer?", "amount_tax", "integer"));
        assertThat(session.get("object").getAsString()).isEqualTo("checkout.session");
        assertThat(session.get("id").getAsString()).startsWith("cs_test_");
        assertThat(session.get("mode").getAsString()).isIn("payment", "setup", "subscription");
        assertThat(session.get("payment_status").getAsString()).isIn("paid", "unpaid", "no_payment_required");
        assertThat(session.get("status").getAsString()).isIn("open", "complete", "expired");
        assertThat(session.get("expires_at").getAsLong()).isGreaterThan(session.get("created").getAsLong());
    }

    private static Map<String, String> fields(String... namesAndKinds) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndKinds.length; i += 2) {
            out.put(namesAndKinds[i], namesAndKinds[i + 1]);
        }
        return out;
    }

    private static void check(JsonObject object, Map<String, String> expected) {
        SoftAssertions softly = new SoftAssertions();
        expected.forEach((name, kind) -> {
            softly.assertThat(object.has(name)).as("field %s is present", name).isTrue();
            if (object.has(name)) {
                softly.assertThat(matches(object.get(name), kind)).as("field %s is %s but was %s", name, kind,
                        object.get(name)).isTrue();
            }
        });
        softly.assertAll();
    }

    private static boolean matches(JsonElement value, String kind) {
        boolean nullable = kind.endsWith("?");
        String base = nullable ? kind.substring(0, kind.length() - 1) : kind;
        if (value.isJsonNull()) {
            return nullable;
        }
        return switch (base) {
            case "string" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
            case "integer" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()
                    && value.getAsBigDecimal().stripTrailingZeros().scale() <= 0;
            case "boolean" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean();
            case "object" -> value.isJsonObject();
            case "array" -> value.isJsonArray();
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
    }

    private static JsonObject parse(TestEvent event) {
        return JsonParser.parseString(event.json()).getAsJsonObject();
    }

    private static JsonObject object(TestEvent event) {
        return parse(event).getAsJsonObject("data").getAsJsonObject("object");
    }
}
