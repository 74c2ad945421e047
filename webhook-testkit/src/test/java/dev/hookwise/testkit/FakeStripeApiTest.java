package dev.hookwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.stripe.StripeClient;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.model.Charge;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeCollection;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.param.EventListParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeStripeApiTest {
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    private final MutableClock clock = MutableClock.at(START);
    private final StripeEventFactory events = StripeEventFactory.create(clock, 17);
    private final FakeStripeApi fake = FakeStripeApi.start();
    private final StripeClient stripe = fake.client();

    @AfterEach
    void stop() {
        fake.close();
    }

    /** 25 events, one a minute, alternating types; returned oldest first. */
    private List<TestEvent> addTwentyFive() {
        List<TestEvent> added = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            clock.set(START.plus(Duration.ofMinutes(i)));
            TestEvent e = i % 2 == 0 ? events.paymentIntentSucceeded().build() : events.chargeRefunded().build();
            added.add(e);
            fake.addEvent(e);
        }
        return added;
    }

    private static List<String> newestFirst(List<TestEvent> oldestFirst) {
        List<String> ids = new ArrayList<>(oldestFirst.stream().map(TestEvent::id).toList());
        java.util.Collections.reverse(ids);
        return ids;
    }

    @Test
    void stripeJavaListsEventsNewestFirstInPages() throws Exception {
        List<TestEvent> added = addTwentyFive();

        StripeCollection<Event> page = stripe.v1().events().list(EventListParams.builder().setLimit(10L).build());

        assertThat(page.getData()).extracting(Event::getId).containsExactlyElementsOf(newestFirst(added).subList(0, 10));
        assertThat(page.getHasMore()).isTrue();
        assertThat(page.getUrl()).isEqualTo("/v1/events");
    }

    @Test
    void stripeJavaAutoPagesThroughEveryEvent() throws Exception {
        List<TestEvent> added = addTwentyFive();

        StripeCollection<Event> first = stripe.v1().events().list(EventListParams.builder().setLimit(10L).build());
        List<String> all = StreamSupport.stream(first.autoPagingIterable().spliterator(), false).map(Event::getId).toList();

        assertThat(all).containsExactlyElementsOf(newestFirst(added));
        List<FakeStripeApi.RecordedRequest> calls = fake.requests("/v1/events");
        assertThat(calls).hasSize(3);
        assertThat(calls.get(1).param("starting_after")).isEqualTo(all.get(9));
        assertThat(calls.get(2).param("starting_after")).isEqualTo(all.get(19));
        assertThat(calls).allSatisfy(c -> assertThat(c.param("limit")).isEqualTo("10"));
    }

    @Test
    void filtersByCreatedRangeAndType() throws Exception {
        List<TestEvent> added = addTwentyFive();
        long from = START.plus(Duration.ofMinutes(5)).getEpochSecond();
        long to = START.plus(Duration.ofMinutes(14)).getEpochSecond();

        StripeCollection<Event> window = stripe.v1().events().list(EventListParams.builder().setLimit(100L)
                .setCreated(EventListParams.Created.builder().setGte(from).setLte(to).build()).build());
        StripeCollection<Event> charges = stripe.v1().events().list(EventListParams.builder().setLimit(100L)
                .setType("charge.refunded").build());
        StripeCollection<Event> wildcard = stripe.v1().events().list(EventListParams.builder().setLimit(100L)
                .setType("payment_intent.*").build());
        StripeCollection<Event> both = stripe.v1().events().list(EventListParams.builder().setLimit(3L)
                .addType("charge.refunded").addType("payment_intent.succeeded").build());

        assertThat(window.getData()).hasSize(10).allSatisfy(e -> assertThat(e.getCreated()).isBetween(from, to));
        assertThat(window.getData()).extracting(Event::getId)
                .containsExactlyElementsOf(newestFirst(added.subList(5, 15)));
        assertThat(charges.getData()).hasSize(12).allSatisfy(e -> assertThat(e.getType()).isEqualTo("charge.refunded"));
        assertThat(wildcard.getData()).hasSize(13);
        assertThat(both.getData()).hasSize(3);
        assertThat(both.getHasMore()).isTrue();
        assertThat(fake.requests("/v1/events").get(3).params()).containsKeys("types[0]", "types[1]");
    }

    @Test
    void endingBeforePagesTowardNewerEvents() throws Exception {
        List<TestEvent> added = addTwentyFive();
        List<String> newest = newestFirst(added);

        StripeCollection<Event> before = stripe.v1().events().list(EventListParams.builder().setLimit(5L)
                .setEndingBefore(newest.get(12)).build());
        StripeCollection<Event> nearTop = stripe.v1().events().list(EventListParams.builder().setLimit(5L)
                .setEndingBefore(newest.get(3)).build());

        assertThat(before.getData()).extracting(Event::getId).containsExactlyElementsOf(newest.subList(7, 12));
        assertThat(before.getHasMore()).isTrue();
        assertThat(nearTop.getData()).extracting(Event::getId).containsExactlyElementsOf(newest.subList(0, 3));
        assertThat(nearTop.getHasMore()).isFalse();
    }

    @Test
    void listedEventsDeserialiseIntoTypedObjects() throws Exception {
        TestEvent paid = events.paymentIntentSucceeded().metadata("order_id", "ord_5").build();
        fake.addEvent(paid);

        Event listed = stripe.v1().events().list().getData().get(0);
        Event retrieved = stripe.v1().events().retrieve(paid.id());

        assertThat(listed.getDataObjectDeserializer().getObject()).get().isInstanceOf(PaymentIntent.class);
        assertThat(((PaymentIntent) retrieved.getDataObjectDeserializer().getObject().orElseThrow()).getMetadata())
                .containsEntry("order_id", "ord_5");
    }

    @Test
    void stripeJavaRetrievesEveryObjectKind() throws Exception {
        TestEvent pi = events.paymentIntentSucceeded().objectId("pi_fake_1").amount(777).build();
        TestEvent charge = events.chargeRefunded().objectId("ch_fake_1").build();
        TestEvent customer = events.customerCreated().customer("cus_fake_1").build();
        TestEvent subscription = events.customerSubscriptionCreated().objectId("sub_fake_1").build();
        TestEvent invoice = events.invoicePaymentSucceeded().objectId("in_fake_1").build();
        TestEvent session = events.checkoutSessionCompleted().objectId("cs_test_fake_1").build();
        List.of(pi, charge, customer, subscription, invoice, session).forEach(fake::putObject);

        PaymentIntent gotPi = stripe.v1().paymentIntents().retrieve("pi_fake_1");
        Charge gotCharge = stripe.v1().charges().retrieve("ch_fake_1");
        Customer gotCustomer = stripe.v1().customers().retrieve("cus_fake_1");
        Subscription gotSubscription = stripe.v1().subscriptions().retrieve("sub_fake_1");
        Invoice gotInvoice = stripe.v1().invoices().retrieve("in_fake_1");
        Session gotSession = stripe.v1().checkout().sessions().retrieve("cs_test_fake_1");

        assertThat(gotPi.getAmount()).isEqualTo(777L);
        assertThat(gotCharge.getRefunded()).isTrue();
        assertThat(gotCustomer.getEmail()).isEqualTo("customer@example.com");
        assertThat(gotSubscription.getStatus()).isEqualTo("active");
        assertThat(gotInvoice.getStatus()).isEqualTo("paid");
        assertThat(gotSession.getPaymentStatus()).isEqualTo("paid");
        assertThat(fake.requests()).extracting(FakeStripeApi.RecordedRequest::path).containsExactly(
                "/v1/payment_intents/pi_fake_1", "/v1/charges/ch_fake_1", "/v1/customers/cus_fake_1",
                "/v1/subscriptions/sub_fake_1", "/v1/invoices/in_fake_1", "/v1/checkout/sessions/cs_test_fake_1");
    }

    @Test
    void putObjectAgainServesTheLatestState() throws Exception {
        fake.putObject(events.paymentIntentPaymentFailed().objectId("pi_state").build());
        fake.putObject(events.paymentIntentSucceeded().objectId("pi_state").build());

        assertThat(stripe.v1().paymentIntents().retrieve("pi_state").getStatus()).isEqualTo("succeeded");
    }

    @Test
    void unknownIdIsResourceMissing() {
        assertThatThrownBy(() -> stripe.v1().paymentIntents().retrieve("pi_nope"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getCode()).isEqualTo("resource_missing");
                    assertThat(e.getParam()).isEqualTo("id");
                    assertThat(e.getStripeError().getMessage()).contains("pi_nope");
                });
        assertThatThrownBy(() -> stripe.v1().events().list(EventListParams.builder().setStartingAfter("evt_nope").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("resource_missing"));
    }

    @Test
    void wrongOrMissingKeyIs401() throws Exception {
        StripeClient liveKey = StripeClient.builder().setApiKey("sk_live_not_accepted").setApiBase(fake.baseUrl())
                .setMaxNetworkRetries(0).build();
        HttpResponse<String> noKey = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/events")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThatThrownBy(() -> liveKey.v1().events().list()).isInstanceOfSatisfying(AuthenticationException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(401));
        assertThat(noKey.statusCode()).isEqualTo(401);
        JsonObject error = JsonParser.parseString(noKey.body()).getAsJsonObject().getAsJsonObject("error");
        assertThat(error.get("type").getAsString()).isEqualTo("invalid_request_error");
        assertThat(noKey.body()).doesNotContain("sk_live_not_accepted");
        assertThat(fake.requests()).allSatisfy(r -> assertThat(r.authorized()).isFalse());
    }

    @Test
    void requiredKeyIsTheOnlyOneAccepted() throws Exception {
        try (FakeStripeApi strict = FakeStripeApi.start("sk_test_exact_key")) {
            StripeClient other = StripeClient.builder().setApiKey("sk_test_other").setApiBase(strict.baseUrl())
                    .setMaxNetworkRetries(0).build();

            assertThat(strict.client().v1().events().list().getData()).isEmpty();
            assertThatThrownBy(() -> other.v1().events().list()).isInstanceOf(AuthenticationException.class);
        }
        assertThatThrownBy(() -> FakeStripeApi.start("sk_live_x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("sk_live_x");
    }

    @Test
    void injectedFailuresAnswerTheNextCallsThenRecover() throws Exception {
        fake.addEvent(events.paymentIntentSucceeded().build());
        fake.failNext(2, 429).failNext(1, 500);

        assertThatThrownBy(() -> stripe.v1().events().list()).isInstanceOfSatisfying(RateLimitException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(429));
        assertThatThrownBy(() -> stripe.v1().events().list()).isInstanceOf(RateLimitException.class);
        assertThatThrownBy(() -> stripe.v1().events().list()).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(500));
        assertThat(stripe.v1().events().list().getData()).hasSize(1);
        assertThat(fake.requests()).extracting(FakeStripeApi.RecordedRequest::status).containsExactly(429, 429, 500, 200);
    }

    @Test
    void badParametersAre400() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String query : List.of("limit=0", "limit=101", "limit=abc", "created%5Bgte%5D=yesterday",
                "starting_after=evt_a&ending_before=evt_b", "type=a&types%5B%5D=b")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/events?" + query))
                    .header("Authorization", "Bearer " + fake.apiKey()).GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).as(query).isEqualTo(400);
            assertThat(JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("error").get("type")
                    .getAsString()).isEqualTo("invalid_request_error");
        }
    }

    @Test
    void unknownRoutesAre404AndEverythingIsRecorded() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fake.baseUrl()
                + "/v1/products/prod_1?expand%5B%5D=x")).header("Authorization", "Bearer " + fake.apiKey()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Request-Id")).get().asString().startsWith("req_");
        assertThat(fake.requests()).singleElement().satisfies(req -> {
            assertThat(req.method()).isEqualTo("GET");
            assertThat(req.path()).isEqualTo("/v1/products/prod_1");
            assertThat(req.param("expand[]")).isEqualTo("x");
            assertThat(req.status()).isEqualTo(404);
            assertThat(req.authorized()).isTrue();
        });
        fake.clearRequests();
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void eventsWithinOneSecondKeepInsertionOrderAsAge() throws Exception {
        List<TestEvent> same = IntStream.range(0, 4).mapToObj(i -> events.chargeDisputeCreated().build()).toList();
        fake.addEvents(same);

        assertThat(stripe.v1().events().list().getData()).extracting(Event::getId).containsExactlyElementsOf(newestFirst(same));
    }
}
