package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.model.Customer;
import com.stripe.model.PaymentIntent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventEnvelopeTest {

    private static EventEnvelope parse(String json) {
        return EventEnvelope.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryEnvelopeFieldOfASnapshotEvent() {
        String json = """
                {"id":"evt_1Nabc","object":"event","account":"acct_9","api_version":"2024-06-20",
                 "created":1767225600,"data":{"object":{"id":"pi_3X","object":"payment_intent","amount":500,
                 "metadata":{"order_id":"o-1"},"nested":{"id":"not_this"}},"previous_attributes":{"status":"x"}},
                 "livemode":true,"pending_webhooks":2,"request":{"id":"req_7","idempotency_key":"key-7"},
                 "type":"payment_intent.succeeded"}
                """;

        EventEnvelope e = parse(json);

        assertThat(e.id()).isEqualTo("evt_1Nabc");
        assertThat(e.type()).isEqualTo("payment_intent.succeeded");
        assertThat(e.created()).isEqualTo(Instant.ofEpochSecond(1767225600));
        assertThat(e.apiVersion()).contains("2024-06-20");
        assertThat(e.livemode()).isTrue();
        assertThat(e.account()).contains("acct_9");
        assertThat(e.objectId()).contains("pi_3X");
        assertThat(e.objectType()).contains("payment_intent");
        assertThat(e.requestId()).contains("req_7");
        assertThat(e.idempotencyKey()).contains("key-7");
        assertThat(e.isThin()).isFalse();
        assertThat(e.rawJson()).isEqualTo(json);
    }

    @Test
    void readsOldStyleRequestIdString() {
        EventEnvelope e = parse("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"request\":\"req_old\"}");
        assertThat(e.requestId()).contains("req_old");
        assertThat(e.idempotencyKey()).isEmpty();
    }

    @Test
    void readsThinEvent() {
        String json = """
                {"id":"evt_test_65R9","object":"v2.core.event","type":"v1.billing.meter.error_report_triggered",
                 "livemode":false,"created":"2026-09-17T06:20:52.246Z","context":"acct_ctx",
                 "related_object":{"id":"mtr_test_61R","type":"billing.meter","url":"/v1/billing/meters/mtr_test_61R"},
                 "reason":{"type":"request","request":{"id":"req_v2","idempotency_key":null}}}
                """;

        EventEnvelope e = parse(json);

        assertThat(e.isThin()).isTrue();
        assertThat(e.id()).isEqualTo("evt_test_65R9");
        assertThat(e.created()).isEqualTo(Instant.parse("2026-09-17T06:20:52.246Z"));
        assertThat(e.objectId()).contains("mtr_test_61R");
        assertThat(e.objectType()).contains("billing.meter");
        assertThat(e.account()).contains("acct_ctx");
        assertThat(e.dataObject()).isEmpty();
        assertThatThrownBy(e::stripeEvent).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("thin event");
    }

    @Test
    void deserialisesTypedObjectWithStripeJava() {
        EventEnvelope e = EventEnvelope.parse(TestEvents.event("evt_typed", "payment_intent.succeeded", NOW));

        assertThat(e.apiVersionMismatch()).isFalse();
        assertThat(e.dataObject()).get().isInstanceOfSatisfying(PaymentIntent.class, pi -> {
            assertThat(pi.getId()).isEqualTo("pi_123");
            assertThat(pi.getAmount()).isEqualTo(2000L);
            assertThat(pi.getMetadata()).containsEntry("order_id", "ord_1");
        });
        assertThat(e.stripeEvent().getId()).isEqualTo("evt_typed");
    }

    @Test
    void fallsBackWhenApiVersionDiffersFromStripeJava() {
        String json = new String(TestEvents.event("evt_old", "customer.created", NOW,
                "{\"id\":\"cus_9\",\"object\":\"customer\",\"email\":\"a@example.com\"}"), StandardCharsets.UTF_8)
                .replace(com.stripe.Stripe.API_VERSION, "2019-02-19");

        EventEnvelope e = parse(json);

        assertThat(e.apiVersionMismatch()).isTrue();
        assertThat(e.dataObject()).get().isInstanceOfSatisfying(Customer.class,
                c -> assertThat(c.getEmail()).isEqualTo("a@example.com"));
        assertThat(e.rawJson()).contains("2019-02-19");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "[]",
        "\"evt_1\"",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1}{}",
        "{\"type\":\"a.b\",\"created\":1}",
        "{\"id\":\"evt_1\",\"created\":1}",
        "{\"id\":\"evt_1\",\"type\":\"a.b\"}",
        "{\"id\":\"\",\"type\":\"a.b\",\"created\":1}",
        "{\"id\":5,\"type\":\"a.b\",\"created\":1}",
        "{\"id\":\"evt_1\",\"type\":{\"x\":1},\"created\":1}",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":-1}",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":\"yesterday\"}",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":true}",
        "{\"id\":\"evt 1\",\"type\":\"a.b\",\"created\":1}",
        "{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"object\":\"payment_intent\"}"
    })
    void rejectsMalformedEvents(String body) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(MalformedEventException.class,
                        ex -> assertThat(ex.reason()).isEqualTo("malformed_event"));
    }

    @Test
    void rejectsOverlongIdAndType() {
        String longId = "evt_" + "a".repeat(300);
        assertThatThrownBy(() -> parse("{\"id\":\"" + longId + "\",\"type\":\"a.b\",\"created\":1}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("more than 255");
        assertThatThrownBy(() -> parse("{\"id\":\"evt_1\",\"type\":\"" + "t".repeat(256) + "\",\"created\":1}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("type");
    }

    @Test
    void rejectsDeeplyNestedPayload() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> parse("{\"id\":\"evt_1\",\"type\":\"a.b\",\"created\":1,\"x\":" + deep + "}"))
                .isInstanceOf(MalformedEventException.class);
    }
}
