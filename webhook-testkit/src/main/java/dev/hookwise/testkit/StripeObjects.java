package dev.hookwise.testkit;

import static dev.hookwise.testkit.Json.arr;
import static dev.hookwise.testkit.Json.obj;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code data.object} shapes, field for field as Stripe renders them for the API version
 * stripe-java targets (the dahlia line): fields appear in Stripe's order with explicit nulls, ids
 * carry the real prefixes, and related ids ({@code latest_charge}, {@code payment_intent}, …) are
 * consistent within one object. The field lists were taken from Stripe's API reference object
 * pages; {@code StripeEventShapeTest} pins the ones checked.
 */
final class StripeObjects {
    private final StripeEventBuilder b;
    private final StripeEventFactory f;
    private final Instant eventCreated;
    private final long created;
    private final String currency;
    private final boolean livemode;

    StripeObjects(StripeEventBuilder builder, Instant eventCreated) {
        this.b = builder;
        this.f = builder.factory();
        this.eventCreated = eventCreated;
        // The object exists a little before the event that reports it.
        this.created = eventCreated.getEpochSecond() - 2;
        this.currency = builder.currency();
        this.livemode = builder.livemode();
    }

    JsonObject build() {
        return switch (b.kind()) {
            case CHECKOUT_SESSION_COMPLETED -> checkoutSession();
            case PAYMENT_INTENT_SUCCEEDED -> paymentIntent("succeeded");
            case PAYMENT_INTENT_PAYMENT_FAILED -> paymentIntent("requires_payment_method");
            case PAYMENT_INTENT_CANCELED -> paymentIntent("canceled");
            case CHARGE_REFUNDED -> charge();
            case CHARGE_DISPUTE_CREATED -> dispute("needs_response");
            case CHARGE_DISPUTE_CLOSED -> dispute("lost");
            case CUSTOMER_SUBSCRIPTION_CREATED, CUSTOMER_SUBSCRIPTION_UPDATED -> subscription("active");
            case CUSTOMER_SUBSCRIPTION_DELETED -> subscription("canceled");
            case INVOICE_PAYMENT_SUCCEEDED -> invoice(true);
            case INVOICE_PAYMENT_FAILED -> invoice(false);
            case CUSTOMER_CREATED -> customer();
            case RAW -> throw new IllegalStateException("raw objects are not generated");
        };
    }

    private String objectId() {
        String given = b.objectIdOrNull();
        if (given != null) {
            return given;
        }
        if (b.kind() == EventKind.CHECKOUT_SESSION_COMPLETED) {
            // Checkout Session ids are long and name the mode: cs_test_… / cs_live_…
            return (livemode ? "cs_live_" : "cs_test_") + f.randomAlphanumeric(58);
        }
        return f.newId(b.kind().idPrefix());
    }

    private String customerId() {
        String given = b.customerOrNull();
        return given != null ? given : f.newId("cus_");
    }

    private String status(String fallback) {
        String given = b.statusOrNull();
        return given != null ? given : fallback;
    }

    private Map<String, String> metadata() {
        return new LinkedHashMap<>(b.metadata());
    }

    private String pi() {
        String given = b.paymentIntentOrNull();
        return given != null ? given : f.newId("pi_");
    }

    private String ch() {
        String given = b.chargeOrNull();
        return given != null ? given : f.newId("ch_");
    }

    private String sub() {
        String given = b.subscriptionOrNull();
        return given != null ? given : f.newId("sub_");
    }

    private long monthAfter(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).plusMonths(1).toEpochSecond();
    }

    private long monthBefore(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).minusMonths(1).toEpochSecond();
    }

    private static JsonObject address(@Nullable String country, @Nullable String postalCode) {
        return obj("city", null, "country", country, "line1", null, "line2", null, "postal_code", postalCode,
                "state", null);
    }

    private JsonObject checkoutSession() {
        long amount = b.amountOr(2000);
        String id = objectId();
        String customer = customerId();
        String status = status("complete");
        return obj(
                "id", id,
                "object", "checkout.session",
                "adaptive_pricing", obj("enabled", false),
                "after_expiration", null,
                "allow_promotion_codes", null,
                "amount_subtotal", amount,
                "amount_total", amount,
                "automatic_tax", obj("enabled", false, "liability", null, "provider", null, "status", null),
                "billing_address_collection", null,
                "cancel_url", null,
                "client_reference_id", null,
                "client_secret", null,
                "collected_information", null,
                "consent", null,
                "consent_collection", null,
                "created", created,
                "currency", currency,
                "currency_conversion", null,
                "custom_fields", arr(),
                "custom_text", obj("after_submit", null, "shipping_address", null, "submit", null,
                        "terms_of_service_acceptance", null),
                "customer", customer,
                "customer_creation", "if_required",
                "customer_details", obj("address", address("US", "94107"), "email", "customer@example.com",
                        "name", "Test Customer", "phone", null, "tax_exempt", "none", "tax_ids", arr()),
                "customer_email", null,
                "discounts", arr(),
                "expires_at", created + 24 * 3600,
                "invoice", null,
                "invoice_creation", obj("enabled", false, "invoice_data", obj("account_tax_ids", null,
                        "custom_fields", null, "description", null, "footer", null, "issuer", null,
                        "metadata", Map.of(), "rendering_options", null)),
                "livemode", livemode,
                "locale", null,
                "metadata", metadata(),
                "mode", "payment",
                "payment_intent", "complete".equals(status) ? pi() : null,
                "payment_link", null,
                "payment_method_collection", "if_required",
                "payment_method_configuration_details", null,
                "payment_method_options", obj("card", obj("request_three_d_secure", "automatic")),
                "payment_method_types", arr("card"),
                "payment_status", "complete".equals(status) ? "paid" : "unpaid",
                "permissions", null,
                "phone_number_collection", obj("enabled", false),
                "recovered_from", null,
                "saved_payment_method_options", null,
                "setup_intent", null,
                "shipping_address_collection", null,
                "shipping_cost", null,
                "shipping_options", arr(),
                "status", status,
                "submit_type", null,
                "subscription", b.subscriptionOrNull(),
                "success_url", "https://example.com/checkout/success",
                "total_details", obj("amount_discount", 0, "amount_shipping", 0, "amount_tax", 0),
                "ui_mode", "hosted",
                "url", null,
                "wallet_options", null);
    }

    private JsonObject paymentIntent(String defaultStatus) {
        long amount = b.amountOr(2000);
        String id = objectId();
        String status = status(defaultStatus);
        boolean succeeded = "succeeded".equals(status);
        boolean canceled = "canceled".equals(status);
        boolean failed = b.kind() == EventKind.PAYMENT_INTENT_PAYMENT_FAILED;
        String paymentMethod = f.newId("pm_");
        String latestCharge = succeeded || failed ? ch() : b.chargeOrNull();
        return obj(
                "id", id,
                "object", "payment_intent",
                "amount", amount,
                "amount_capturable", 0,
                "amount_details", obj("tip", obj()),
                "amount_received", succeeded ? amount : 0,
                "application", null,
                "application_fee_amount", null,
                "automatic_payment_methods", obj("allow_redirects", "always", "enabled", true),
                "canceled_at", canceled ? eventCreated.getEpochSecond() : null,
                "cancellation_reason", canceled ? "requested_by_customer" : null,
                "capture_method", "automatic",
                "client_secret", id + "_secret_" + f.randomAlphanumeric(25),
                "confirmation_method", "automatic",
                "created", created,
                "currency", currency,
                "customer", customerId(),
                "description", null,
                "excluded_payment_method_types", null,
                "last_payment_error", failed ? declinedCard(paymentMethod) : null,
                "latest_charge", latestCharge,
                "livemode", livemode,
                "metadata", metadata(),
                "next_action", null,
                "on_behalf_of", null,
                "payment_method", succeeded ? paymentMethod : null,
                "payment_method_configuration_details", null,
                "payment_method_options", obj("card", obj("installments", null, "mandate_options", null,
                        "network", null, "request_three_d_secure", "automatic")),
                "payment_method_types", arr("card"),
                "processing", null,
                "receipt_email", null,
                "review", null,
                "setup_future_usage", null,
                "shipping", null,
                "source", null,
                "statement_descriptor", null,
                "statement_descriptor_suffix", null,
                "status", status,
                "transfer_data", null,
                "transfer_group", null);
    }

    private JsonObject declinedCard(String paymentMethod) {
        return obj(
                "code", "card_declined",
                "decline_code", "generic_decline",
                "doc_url", "https://stripe.com/docs/error-codes/card-declined",
                "message", "Your card was declined.",
                "payment_method", obj(
                        "id", paymentMethod,
                        "object", "payment_method",
                        "allow_redisplay", "unspecified",
                        "billing_details", obj("address", address(null, null), "email", null, "name", null,
                                "phone", null, "tax_id", null),
                        "card", card(),
                        "created", created,
                        "customer", null,
                        "livemode", livemode,
                        "metadata", Map.of(),
                        "type", "card"),
                "type", "card_error");
    }

    private static JsonObject card() {
        return obj("brand", "visa", "checks", obj("address_line1_check", null, "address_postal_code_check", null,
                        "cvc_check", "pass"),
                "country", "US", "display_brand", "visa", "exp_month", 12, "exp_year", 2034,
                "fingerprint", "hkWsTestFp000001", "funding", "credit", "generated_from", null, "last4", "4242",
                "networks", obj("available", arr("visa"), "preferred", null), "regulated_status", "unregulated",
                "three_d_secure_usage", obj("supported", true), "wallet", null);
    }

    private JsonObject charge() {
        long amount = b.amountOr(2000);
        String id = objectId();
        return obj(
                "id", id,
                "object", "charge",
                "amount", amount,
                "amount_captured", amount,
                "amount_refunded", amount,
                "application", null,
                "application_fee", null,
                "application_fee_amount", null,
                "balance_transaction", f.newId("txn_"),
                "billing_details", obj("address", address("US", "94107"), "email", "customer@example.com",
                        "name", "Test Customer", "phone", null, "tax_id", null),
                "calculated_statement_descriptor", "HOOKWISE TEST",
                "captured", true,
                "created", created,
                "currency", currency,
                "customer", customerId(),
                "description", null,
                "disputed", false,
                "failure_balance_transaction", null,
                "failure_code", null,
                "failure_message", null,
                "fraud_details", obj(),
                "livemode", livemode,
                "metadata", metadata(),
                "on_behalf_of", null,
                "outcome", obj("advice_code", null, "network_advice_code", null, "network_decline_code", null,
                        "network_status", "approved_by_network", "reason", null, "risk_level", "normal",
                        "risk_score", 32, "seller_message", "Payment complete.", "type", "authorized"),
                "paid", true,
                "payment_intent", pi(),
                "payment_method", f.newId("pm_"),
                "payment_method_details", obj("card", obj(
                                "amount_authorized", amount,
                                "authorization_code", null,
                                "brand", "visa",
                                "checks", obj("address_line1_check", null, "address_postal_code_check", null,
                                        "cvc_check", "pass"),
                                "country", "US",
                                "exp_month", 12,
                                "exp_year", 2034,
                                "extended_authorization", obj("status", "disabled"),
                                "fingerprint", "hkWsTestFp000001",
                                "funding", "credit",
                                "incremental_authorization", obj("status", "unavailable"),
                                "installments", null,
                                "last4", "4242",
                                "mandate", null,
                                "multicapture", obj("status", "unavailable"),
                                "network", "visa",
                                "network_token", obj("used", false),
                                "network_transaction_id", f.randomAlphanumeric(15),
                                "overcapture", obj("maximum_amount_capturable", amount, "status", "unavailable"),
                                "regulated_status", "unregulated",
                                "three_d_secure", null,
                                "wallet", null),
                        "type", "card"),
                "radar_options", obj(),
                "receipt_email", null,
                "receipt_number", null,
                "receipt_url", "https://pay.stripe.com/receipts/payment/" + f.randomAlphanumeric(40),
                "refunded", true,
                "review", null,
                "shipping", null,
                "source", null,
                "source_transfer", null,
                "statement_descriptor", null,
                "statement_descriptor_suffix", null,
                "status", status("succeeded"),
                "transfer_data", null,
                "transfer_group", null);
    }

    private JsonObject dispute(String defaultStatus) {
        long amount = b.amountOr(2000);
        String id = objectId();
        String status = status(defaultStatus);
        boolean closed = "won".equals(status) || "lost".equals(status) || "warning_closed".equals(status);
        JsonObject evidence = new JsonObject();
        for (String field : new String[] {"access_activity_log", "billing_address", "cancellation_policy",
                "cancellation_policy_disclosure", "cancellation_rebuttal", "customer_communication",
                "customer_email_address", "customer_name", "customer_purchase_ip", "customer_signature",
                "duplicate_charge_documentation", "duplicate_charge_explanation", "duplicate_charge_id"}) {
            evidence.add(field, Json.of(null));
        }
        evidence.add("enhanced_evidence", obj());
        for (String field : new String[] {"product_description", "receipt", "refund_policy",
                "refund_policy_disclosure", "refund_refusal_explanation", "service_date", "service_documentation",
                "shipping_address", "shipping_carrier", "shipping_date", "shipping_documentation",
                "shipping_tracking_number", "uncategorized_file", "uncategorized_text"}) {
            evidence.add(field, Json.of(null));
        }
        return obj(
                "id", id,
                "object", "dispute",
                "amount", amount,
                "balance_transactions", arr(),
                "charge", ch(),
                "created", created,
                "currency", currency,
                "enhanced_eligibility_types", arr(),
                "evidence", evidence,
                "evidence_details", obj("due_by", created + 7 * 24 * 3600, "enhanced_eligibility", obj(),
                        "has_evidence", closed, "past_due", false, "submission_count", closed ? 1 : 0),
                "is_charge_refundable", !closed,
                "livemode", livemode,
                "metadata", metadata(),
                "network_reason_code", "10.4",
                "payment_intent", pi(),
                "payment_method_details", obj("card", obj("brand", "visa", "case_type", "chargeback",
                        "network_reason_code", "10.4"), "type", "card"),
                "reason", "fraudulent",
                "status", status);
    }

    private JsonObject subscription(String defaultStatus) {
        long amount = b.amountOr(2000);
        String id = objectId();
        String status = status(defaultStatus);
        boolean canceled = "canceled".equals(status);
        long periodStart = created;
        long periodEnd = monthAfter(periodStart);
        String price = f.newId("price_");
        String product = f.newId("prod_");
        JsonObject item = obj(
                "id", f.newId("si_"),
                "object", "subscription_item",
                "billing_thresholds", null,
                "created", created,
                "current_period_end", periodEnd,
                "current_period_start", periodStart,
                "discounts", arr(),
                "metadata", Map.of(),
                "plan", obj("id", price, "object", "plan", "active", true, "amount", amount,
                        "amount_decimal", Long.toString(amount), "billing_scheme", "per_unit", "created", created,
                        "currency", currency, "interval", "month", "interval_count", 1, "livemode", livemode,
                        "metadata", Map.of(), "meter", null, "nickname", null, "product", product,
                        "tiers_mode", null, "transform_usage", null, "trial_period_days", null,
                        "usage_type", "licensed"),
                "price", obj("id", price, "object", "price", "active", true, "billing_scheme", "per_unit",
                        "created", created, "currency", currency, "custom_unit_amount", null,
                        "livemode", livemode, "lookup_key", null, "metadata", Map.of(), "nickname", null,
                        "product", product,
                        "recurring", obj("interval", "month", "interval_count", 1, "meter", null,
                                "trial_period_days", null, "usage_type", "licensed"),
                        "tax_behavior", "unspecified", "tiers_mode", null, "transform_quantity", null,
                        "type", "recurring", "unit_amount", amount, "unit_amount_decimal", Long.toString(amount)),
                "quantity", 1,
                "subscription", id,
                "tax_rates", arr());
        return obj(
                "id", id,
                "object", "subscription",
                "application", null,
                "application_fee_percent", null,
                "automatic_tax", obj("disabled_reason", null, "enabled", false, "liability", null),
                "billing_cycle_anchor", periodStart,
                "billing_cycle_anchor_config", null,
                "billing_mode", obj("flexible", null, "type", "classic"),
                "billing_thresholds", null,
                "cancel_at", null,
                "cancel_at_period_end", false,
                "canceled_at", canceled ? eventCreated.getEpochSecond() : null,
                "cancellation_details", obj("comment", null, "feedback", null,
                        "reason", canceled ? "cancellation_requested" : null),
                "collection_method", "charge_automatically",
                "created", created,
                "currency", currency,
                "customer", customerId(),
                "days_until_due", null,
                "default_payment_method", f.newId("pm_"),
                "default_source", null,
                "default_tax_rates", arr(),
                "description", null,
                "discounts", arr(),
                "ended_at", canceled ? eventCreated.getEpochSecond() : null,
                "invoice_settings", obj("account_tax_ids", null, "issuer", obj("type", "self")),
                "items", obj("object", "list", "data", arr(item), "has_more", false, "total_count", 1,
                        "url", "/v1/subscription_items?subscription=" + id),
                "latest_invoice", f.newId("in_"),
                "livemode", livemode,
                "metadata", metadata(),
                "next_pending_invoice_item_invoice", null,
                "on_behalf_of", null,
                "pause_collection", null,
                "payment_settings", obj("payment_method_options", null, "payment_method_types", null,
                        "save_default_payment_method", "off"),
                "pending_invoice_item_interval", null,
                "pending_setup_intent", null,
                "pending_update", null,
                "schedule", null,
                "start_date", periodStart,
                "status", status,
                "test_clock", null,
                "transfer_data", null,
                "trial_end", null,
                "trial_settings", obj("end_behavior", obj("missing_payment_method", "create_invoice")),
                "trial_start", null);
    }

    private JsonObject invoice(boolean paid) {
        long amount = b.amountOr(2000);
        String id = objectId();
        String status = status(paid ? "paid" : "open");
        String subscription = sub();
        String customer = customerId();
        long periodEnd = created;
        long periodStart = monthBefore(periodEnd);
        long amountPaid = paid ? amount : 0;
        String invoiceNumber = f.randomAlphanumeric(8).toUpperCase(java.util.Locale.ROOT) + "-0001";
        JsonObject line = obj(
                "id", f.newId("il_"),
                "object", "line_item",
                "amount", amount,
                "currency", currency,
                "description", "1 × Hookwise Test Plan (at " + amount + " " + currency + " / month)",
                "discount_amounts", arr(),
                "discountable", true,
                "discounts", arr(),
                "invoice", id,
                "livemode", livemode,
                "metadata", Map.of(),
                "parent", obj("invoice_item_details", null,
                        "subscription_item_details", obj("invoice_item", null, "proration", false,
                                "proration_details", obj("credited_items", null), "subscription", subscription,
                                "subscription_item", f.newId("si_")),
                        "type", "subscription_item_details"),
                "period", obj("end", monthAfter(periodEnd), "start", periodEnd),
                "pretax_credit_amounts", arr(),
                "pricing", obj("price_details", obj("price", f.newId("price_"), "product", f.newId("prod_")),
                        "type", "price_details", "unit_amount_decimal", Long.toString(amount)),
                "quantity", 1,
                "taxes", arr());
        return obj(
                "id", id,
                "object", "invoice",
                "account_country", "US",
                "account_name", "Hookwise Test",
                "account_tax_ids", null,
                "amount_due", amount,
                "amount_overpaid", 0,
                "amount_paid", amountPaid,
                "amount_remaining", amount - amountPaid,
                "amount_shipping", 0,
                "application", null,
                "attempt_count", 1,
                "attempted", true,
                "auto_advance", !paid,
                "automatic_tax", obj("disabled_reason", null, "enabled", false, "liability", null,
                        "provider", null, "status", null),
                "automatically_finalizes_at", null,
                "billing_reason", "subscription_cycle",
                "collection_method", "charge_automatically",
                "created", created,
                "currency", currency,
                "custom_fields", null,
                "customer", customer,
                "customer_address", null,
                "customer_email", "customer@example.com",
                "customer_name", "Test Customer",
                "customer_phone", null,
                "customer_shipping", null,
                "customer_tax_exempt", "none",
                "customer_tax_ids", arr(),
                "default_payment_method", null,
                "default_source", null,
                "default_tax_rates", arr(),
                "description", null,
                "discounts", arr(),
                "due_date", null,
                "effective_at", created,
                "ending_balance", 0,
                "footer", null,
                "from_invoice", null,
                "hosted_invoice_url", "https://invoice.stripe.com/i/acct_hookwise/test_" + f.randomAlphanumeric(30),
                "invoice_pdf", "https://pay.stripe.com/invoice/acct_hookwise/test_" + f.randomAlphanumeric(30) + "/pdf",
                "issuer", obj("type", "self"),
                "last_finalization_error", null,
                "latest_revision", null,
                "lines", obj("object", "list", "data", arr(line), "has_more", false, "total_count", 1,
                        "url", "/v1/invoices/" + id + "/lines"),
                "livemode", livemode,
                "metadata", metadata(),
                "next_payment_attempt", paid ? null : eventCreated.getEpochSecond() + 3 * 24 * 3600,
                "number", invoiceNumber,
                "on_behalf_of", null,
                "parent", obj("quote_details", null,
                        "subscription_details", obj("metadata", Map.of(), "subscription", subscription),
                        "type", "subscription_details"),
                "payment_settings", obj("default_mandate", null, "payment_method_options", null,
                        "payment_method_types", null),
                "period_end", periodEnd,
                "period_start", periodStart,
                "post_payment_credit_notes_amount", 0,
                "pre_payment_credit_notes_amount", 0,
                "receipt_number", null,
                "rendering", null,
                "shipping_cost", null,
                "shipping_details", null,
                "starting_balance", 0,
                "statement_descriptor", null,
                "status", status,
                "status_transitions", obj("finalized_at", created, "marked_uncollectible_at", null,
                        "paid_at", paid ? eventCreated.getEpochSecond() : null, "voided_at", null),
                "subtotal", amount,
                "subtotal_excluding_tax", amount,
                "test_clock", null,
                "total", amount,
                "total_discount_amounts", arr(),
                "total_excluding_tax", amount,
                "total_pretax_credit_amounts", arr(),
                "total_taxes", arr(),
                "webhooks_delivered_at", paid ? created : null);
    }

    private JsonObject customer() {
        String given = b.objectIdOrNull();
        String id = given != null ? given : customerId();
        return obj(
                "id", id,
                "object", "customer",
                "address", null,
                "balance", 0,
                "created", created,
                "currency", null,
                "default_source", null,
                "delinquent", false,
                "description", null,
                "email", "customer@example.com",
                "invoice_prefix", f.randomAlphanumeric(8).toUpperCase(java.util.Locale.ROOT),
                "invoice_settings", obj("custom_fields", null, "default_payment_method", null, "footer", null,
                        "rendering_options", null),
                "livemode", livemode,
                "metadata", metadata(),
                "name", "Test Customer",
                "next_invoice_sequence", 1,
                "phone", null,
                "preferred_locales", arr(),
                "shipping", null,
                "tax_exempt", "none",
                "test_clock", null);
    }
}
