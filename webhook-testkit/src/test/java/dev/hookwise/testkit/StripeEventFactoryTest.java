package dev.hookwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.stripe.Stripe;
import com.stripe.model.Charge;
import com.stripe.model.Customer;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.HasId;
import com.stripe.model.MetadataStore;
import com.stripe.model.Invoice;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeObject;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.net.ApiResource;
import dev.hookwise.core.EventEnvelope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StripeEventFactoryTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final MutableClock clock = MutableClock.at(NOW);
    private final StripeEventFactory events = StripeEventFactory.create(clock, 7);

    static Stream<Arguments> everyType() {
        Map<String, Function<StripeEventFactory, StripeEventBuilder>> methods = Map.ofEntries(
                Map.entry("checkout.session.completed", StripeEventFactory::checkoutSessionCompleted),
                Map.entry("payment_intent.succeeded", StripeEventFactory::paymentIntentSucceeded),
                Map.entry("payment_intent.payment_failed", StripeEventFactory::paymentIntentPaymentFailed),
                Map.entry("payment_intent.canceled", StripeEventFactory::paymentIntentCanceled),
                Map.entry("charge.refunded", StripeEventFactory::chargeRefunded),
                Map.entry("charge.dispute.created", StripeEventFactory::chargeDisputeCreated),
                Map.entry("charge.dispute.closed", StripeEventFactory::chargeDisputeClosed),
                Map.entry("customer.subscription.created", StripeEventFactory::customerSubscriptionCreated),
                Map.entry("customer.subscription.updated", StripeEventFactory::customerSubscriptionUpdated),
                Map.entry("customer.subscription.deleted", StripeEventFactory::customerSubscriptionDeleted),
                Map.entry("invoice.payment_succeeded", StripeEventFactory::invoicePaymentSucceeded),
                Map.entry("invoice.payment_failed", StripeEventFactory::invoicePaymentFailed),
                Map.entry("customer.created", StripeEventFactory::customerCreated));
        Map<String, Class<? extends StripeObject>> classes = Map.ofEntries(
                Map.entry("checkout.session.completed", Session.class),
                Map.entry("payment_intent.succeeded", PaymentIntent.class),
                Map.entry("payment_intent.payment_failed", PaymentIntent.class),
                Map.entry("payment_intent.canceled", PaymentIntent.class),
                Map.entry("charge.refunded", Charge.class),
                Map.entry("charge.dispute.created", Dispute.class),
                Map.entry("charge.dispute.closed", Dispute.class),
                Map.entry("customer.subscription.created", Subscription.class),
                Map.entry("customer.subscription.updated", Subscription.class),
                Map.entry("customer.subscription.deleted", Subscription.class),
                Map.entry("invoice.payment_succeeded", Invoice.class),
                Map.entry("invoice.payment_failed", Invoice.class),
                Map.entry("customer.created", Customer.class));
        assertThat(methods.keySet()).containsExactlyInAnyOrderElementsOf(StripeEventFactory.SUPPORTED_TYPES);
        return StripeEventFactory.SUPPORTED_TYPES.stream()
                .map(type -> Arguments.of(type, methods.get(type), classes.get(type)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void everyEventDeserialisesWithStripeJavaIntoItsClassWithoutFallback(String type,
            Function<StripeEventFactory, StripeEventBuilder> method, Class<? extends StripeObject> expected) {
        TestEvent event = method.apply(events).metadata("order_id", "ord_1").build();

        Event stripe = ApiResource.GSON.fromJson(event.json(), Event.class);
        Optional<StripeObject> object = stripe.getDataObjectDeserializer().getObject();

        assertThat(stripe.getId()).isEqualTo(event.id()).startsWith("evt_");
        assertThat(stripe.getType()).isEqualTo(type).isEqualTo(event.type());
        assertThat(stripe.getApiVersion()).isEqualTo(Stripe.API_VERSION);
        assertThat(object).as("typed object without fallback").isPresent();
        assertThat(object.get()).isExactlyInstanceOf(expected);
        assertThat(((HasId) object.get()).getId()).isEqualTo(event.objectId());
        assertThat(((MetadataStore<?>) object.get()).getMetadata()).containsEntry("order_id", "ord_1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyType")
    void everyEventIsReadByHookwisesEnvelopeParser(String type, Function<StripeEventFactory, StripeEventBuilder> method,
            Class<? extends StripeObject> expected) {
        TestEvent event = method.apply(events).build();

        EventEnvelope envelope = event.envelope();

        assertThat(envelope.id()).isEqualTo(event.id());
        assertThat(envelope.type()).isEqualTo(type);
        assertThat(envelope.created()).isEqualTo(NOW);
        assertThat(envelope.apiVersionMismatch()).isFalse();
        assertThat(envelope.objectId()).contains(event.objectId());
        assertThat(envelope.dataObject()).get().isExactlyInstanceOf(expected);
    }

    @Test
    void idsCarryStripesPrefixes() {
        assertThat(events.paymentIntentSucceeded().build().objectId()).startsWith("pi_");
        assertThat(events.chargeRefunded().build().objectId()).startsWith("ch_");
        assertThat(events.checkoutSessionCompleted().build().objectId()).startsWith("cs_test_");
        assertThat(events.checkoutSessionCompleted().livemode(true).build().objectId()).startsWith("cs_live_");
        assertThat(events.customerSubscriptionCreated().build().objectId()).startsWith("sub_");
        assertThat(events.invoicePaymentFailed().build().objectId()).startsWith("in_");
        assertThat(events.customerCreated().build().objectId()).startsWith("cus_");
        assertThat(events.chargeDisputeCreated().build().objectId()).startsWith("dp_");
        TestEvent refunded = events.chargeRefunded().build();
        JsonObject charge = object(refunded);
        assertThat(charge.get("payment_intent").getAsString()).startsWith("pi_");
        assertThat(charge.get("customer").getAsString()).startsWith("cus_");
        assertThat(charge.get("balance_transaction").getAsString()).startsWith("txn_");
    }

    @Test
    void sameSeedAndClockGiveIdenticalBytes() {
        TestEvent a = StripeEventFactory.create(clock, 42).invoicePaymentSucceeded().build();
        TestEvent b = StripeEventFactory.create(clock, 42).invoicePaymentSucceeded().build();
        TestEvent c = StripeEventFactory.create(clock, 43).invoicePaymentSucceeded().build();

        assertThat(a.bytes()).isEqualTo(b.bytes());
        assertThat(c.id()).isNotEqualTo(a.id());
    }

    @Test
    void unseededFactoryGivesDistinctIds() {
        StripeEventFactory random = StripeEventFactory.create();
        List<String> ids = Stream.generate(() -> random.paymentIntentSucceeded().build().id()).limit(200).toList();

        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).matches("evt_[0-9A-Za-z]{24}"));
    }

    @Test
    void settersShapeTheObject() throws Exception {
        Instant at = Instant.parse("2026-02-01T08:30:15.900Z");
        TestEvent event = events.paymentIntentSucceeded()
                .id("evt_fixed")
                .created(at)
                .livemode(true)
                .account("acct_123")
                .amount(4200)
                .currency("EUR")
                .customer("cus_42")
                .metadata("order_id", "ord_9")
                .objectId("pi_fixed")
                .requestId("req_abc")
                .idempotencyKey("key-1")
                .build();

        Event stripe = ApiResource.GSON.fromJson(event.json(), Event.class);
        PaymentIntent intent = (PaymentIntent) stripe.getDataObjectDeserializer().getObject().orElseThrow();
        assertThat(stripe.getId()).isEqualTo("evt_fixed");
        assertThat(stripe.getCreated()).isEqualTo(at.getEpochSecond());
        assertThat(event.created()).isEqualTo(Instant.parse("2026-02-01T08:30:15Z"));
        assertThat(stripe.getLivemode()).isTrue();
        assertThat(stripe.getAccount()).isEqualTo("acct_123");
        assertThat(stripe.getRequest().getId()).isEqualTo("req_abc");
        assertThat(stripe.getRequest().getIdempotencyKey()).isEqualTo("key-1");
        assertThat(intent.getId()).isEqualTo("pi_fixed");
        assertThat(intent.getAmount()).isEqualTo(4200L);
        assertThat(intent.getAmountReceived()).isEqualTo(4200L);
        assertThat(intent.getCurrency()).isEqualTo("eur");
        assertThat(intent.getCustomer()).isEqualTo("cus_42");
        assertThat(intent.getLivemode()).isTrue();
        assertThat(intent.getStatus()).isEqualTo("succeeded");
        assertThat(intent.getMetadata()).containsEntry("order_id", "ord_9");
        assertThat(intent.getLatestCharge()).startsWith("ch_");
    }

    @Test
    void statusDefaultsFollowTheEventType() {
        assertThat(status(events.paymentIntentPaymentFailed().build())).isEqualTo("requires_payment_method");
        assertThat(status(events.paymentIntentCanceled().build())).isEqualTo("canceled");
        assertThat(status(events.chargeDisputeCreated().build())).isEqualTo("needs_response");
        assertThat(status(events.chargeDisputeClosed().build())).isEqualTo("lost");
        assertThat(status(events.chargeDisputeClosed().status("won").build())).isEqualTo("won");
        assertThat(status(events.customerSubscriptionDeleted().build())).isEqualTo("canceled");
        assertThat(status(events.invoicePaymentFailed().build())).isEqualTo("open");
        assertThat(status(events.invoicePaymentSucceeded().build())).isEqualTo("paid");
        assertThat(status(events.checkoutSessionCompleted().build())).isEqualTo("complete");
    }

    @Test
    void failedPaymentCarriesADeclineError() {
        PaymentIntent intent = (PaymentIntent) typed(events.paymentIntentPaymentFailed().build());

        assertThat(intent.getLastPaymentError().getCode()).isEqualTo("card_declined");
        assertThat(intent.getLastPaymentError().getType()).isEqualTo("card_error");
        assertThat(intent.getLastPaymentError().getPaymentMethod().getId()).startsWith("pm_");
        assertThat(intent.getAmountReceived()).isZero();
    }

    @Test
    void updatedEventsCarryPreviousAttributes() {
        Event updated = ApiResource.GSON.fromJson(events.customerSubscriptionUpdated().build().json(), Event.class);
        Event custom = ApiResource.GSON.fromJson(events.customerSubscriptionUpdated().status("past_due")
                .previousAttribute("status", "active").build().json(), Event.class);
        Event created = ApiResource.GSON.fromJson(events.customerSubscriptionCreated().build().json(), Event.class);

        assertThat(updated.getData().getPreviousAttributes()).containsEntry("status", "incomplete");
        assertThat(custom.getData().getPreviousAttributes()).containsEntry("status", "active");
        assertThat(((Subscription) custom.getDataObjectDeserializer().getObject().orElseThrow()).getStatus())
                .isEqualTo("past_due");
        assertThat(created.getData().getPreviousAttributes()).isNull();
    }

    @Test
    void relatedIdsAreTheOnesGiven() {
        Dispute dispute = (Dispute) typed(events.chargeDisputeCreated().charge("ch_1").paymentIntent("pi_1").build());
        Invoice invoice = (Invoice) typed(events.invoicePaymentFailed().subscription("sub_1").customer("cus_1").build());
        Session session = (Session) typed(events.checkoutSessionCompleted().paymentIntent("pi_2")
                .objectField("client_reference_id", "cart_7").build());

        assertThat(dispute.getCharge()).isEqualTo("ch_1");
        assertThat(dispute.getPaymentIntent()).isEqualTo("pi_1");
        assertThat(invoice.getParent().getSubscriptionDetails().getSubscription()).isEqualTo("sub_1");
        assertThat(invoice.getCustomer()).isEqualTo("cus_1");
        assertThat(session.getPaymentIntent()).isEqualTo("pi_2");
        assertThat(session.getClientReferenceId()).isEqualTo("cart_7");
        assertThat(session.getPaymentStatus()).isEqualTo("paid");
    }

    @Test
    void automaticEventsHaveANullRequest() {
        Event event = ApiResource.GSON.fromJson(events.invoicePaymentSucceeded().automatic().build().json(), Event.class);

        assertThat(event.getRequest().getId()).isNull();
        assertThat(event.getRequest().getIdempotencyKey()).isNull();
    }

    @Test
    void genericEventsCarryTheGivenObject() {
        TestEvent payout = events.event("payout.paid")
                .dataObject("{\"id\": \"po_123\", \"object\": \"payout\", \"amount\": 1000, \"currency\": \"usd\"}")
                .metadata("batch", "b1")
                .build();
        TestEvent bare = events.event("product.created").build();
        TestEvent known = events.event("payment_intent.succeeded").amount(99).build();

        assertThat(payout.objectId()).isEqualTo("po_123");
        assertThat(object(payout).get("amount").getAsLong()).isEqualTo(1000);
        assertThat(object(payout).getAsJsonObject("metadata").get("batch").getAsString()).isEqualTo("b1");
        assertThat(typed(payout)).isInstanceOf(com.stripe.model.Payout.class);
        assertThat(object(bare).get("object").getAsString()).isEqualTo("product");
        assertThat(((PaymentIntent) typed(known)).getAmount()).isEqualTo(99L);
    }

    @Test
    void fromJsonWrapsAForeignBody() {
        TestEvent original = events.chargeRefunded().build();

        TestEvent wrapped = TestEvent.fromJson(original.json());

        assertThat(wrapped).isEqualTo(original);
        assertThatThrownBy(() -> TestEvent.fromJson("{\"object\":\"event\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id, type and created");
    }

    @Test
    void rejectsIdsWithoutTheirPrefix() {
        assertThatThrownBy(() -> events.paymentIntentSucceeded().id("pi_1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evt_");
        assertThatThrownBy(() -> events.paymentIntentSucceeded().customer("42"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cus_");
        assertThatThrownBy(() -> events.event("not a type")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bodyIsPrettyPrintedLikeStripesAndToStringHidesIt() {
        TestEvent event = events.paymentIntentSucceeded().build();

        assertThat(event.json()).startsWith("{\n  \"id\": \"evt_").contains("\n  \"object\": \"event\",");
        assertThat(event.toString()).contains(event.id()).doesNotContain("amount");
    }

    private static JsonObject object(TestEvent event) {
        return JsonParser.parseString(event.json()).getAsJsonObject().getAsJsonObject("data").getAsJsonObject("object");
    }

    private static StripeObject typed(TestEvent event) {
        return ApiResource.GSON.fromJson(event.json(), Event.class).getDataObjectDeserializer().getObject().orElseThrow();
    }

    private static String status(TestEvent event) {
        return object(event).get("status").getAsString();
    }
}
