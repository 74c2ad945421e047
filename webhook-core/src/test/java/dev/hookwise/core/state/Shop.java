package dev.hookwise.core.state;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.spi.EventSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** A small order machine and event builder for the core's state tests (core cannot use the testkit). */
final class Shop {

    enum St { NEW, PAYING, PAID, FAILED, CANCELLED, SHIPPED, ARCHIVED }

    static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

    private Shop() {}

    static StateMachine.Builder<St> edges() {
        return StateMachine.builder("order", St.class)
                .initial(St.NEW)
                .allow(St.NEW, St.PAYING, St.CANCELLED)
                .allow(St.PAYING, St.PAID, St.FAILED, St.CANCELLED)
                .allow(St.FAILED, St.PAYING, St.CANCELLED)
                .allow(St.PAID, St.SHIPPED)
                .terminal(St.CANCELLED);
    }

    static StateMachine<St> machine() {
        return edges()
                .entityId(EntityIdResolver.metadata("order_id"))
                .on("payment_intent.created", St.PAYING)
                .on("payment_intent.succeeded", St.PAID)
                .on("payment_intent.payment_failed", St.FAILED, EarlyEventPolicy.RECORD_AND_ACKNOWLEDGE)
                .on("payment_intent.canceled", St.CANCELLED)
                .build();
    }

    static String json(String id, String type, long second, String dataObject) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"" + com.stripe.Stripe.API_VERSION
                + "\",\"created\":" + T0.plusSeconds(second).getEpochSecond() + ",\"data\":{\"object\":" + dataObject
                + "},\"livemode\":false,\"pending_webhooks\":1,\"type\":\"" + type + "\"}";
    }

    static EventEnvelope envelope(String id, String type, long second, String orderId) {
        String object = "{\"id\":\"pi_" + id + "\",\"object\":\"payment_intent\",\"status\":\"x\""
                + (orderId == null ? "" : ",\"metadata\":{\"order_id\":\"" + orderId + "\"}") + "}";
        return EventEnvelope.parse(json(id, type, second, object).getBytes(StandardCharsets.UTF_8));
    }

    static EventContext context(String id, String type, long second, String orderId) {
        return new EventContext(envelope(id, type, second, orderId), 1, EventSource.WEBHOOK);
    }
}
