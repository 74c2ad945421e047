package dev.hookwise.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.spi.EventSource;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EntityIdResolverTest {

    private static EventContext withObject(String object) {
        return new EventContext(EventEnvelope.parse(Shop.json("evt_1", "charge.dispute.created", 1, object)
                .getBytes(StandardCharsets.UTF_8)), 1, EventSource.WEBHOOK);
    }

    @Test
    void readsMetadataObjectIdAndFields() {
        EventContext ctx = withObject("{\"id\":\"dp_1\",\"object\":\"dispute\",\"payment_intent\":\"pi_9\","
                + "\"metadata\":{\"order_id\":\" ord_7 \",\"n\":5},\"evidence\":{\"ref\":\"r1\"}}");

        assertThat(EntityIdResolver.metadata("order_id").resolve(ctx)).contains("ord_7");
        assertThat(EntityIdResolver.objectId().resolve(ctx)).contains("dp_1");
        assertThat(EntityIdResolver.field("payment_intent").resolve(ctx)).contains("pi_9");
        assertThat(EntityIdResolver.field("evidence.ref").resolve(ctx)).contains("r1");
        assertThat(EntityIdResolver.metadata("order_id").description()).isEqualTo("data.object.metadata.order_id");
    }

    @Test
    void absentBlankOrNonTextValuesAreEmpty() {
        EventContext ctx = withObject("{\"id\":\"dp_1\",\"object\":\"dispute\",\"metadata\":{\"order_id\":\"  \",\"n\":5}}");

        assertThat(EntityIdResolver.metadata("order_id").resolve(ctx)).isEmpty();
        assertThat(EntityIdResolver.metadata("n").resolve(ctx)).isEmpty();
        assertThat(EntityIdResolver.metadata("missing").resolve(ctx)).isEmpty();
        assertThat(EntityIdResolver.field("metadata.order_id.deeper").resolve(ctx)).isEmpty();
        assertThat(EntityIdResolver.metadata("order_id").resolve(withObject("{\"id\":\"x\",\"object\":\"dispute\"}")))
                .isEmpty();
    }

    @Test
    void firstOfTriesInOrder() {
        EventContext ctx = withObject("{\"id\":\"dp_1\",\"object\":\"dispute\",\"payment_intent\":\"pi_9\"}");
        EntityIdResolver r = EntityIdResolver.firstOf(EntityIdResolver.metadata("order_id"), EntityIdResolver.field("payment_intent"));

        assertThat(r.resolve(ctx)).contains("pi_9");
        assertThat(r.description()).isEqualTo("data.object.metadata.order_id or data.object.payment_intent");
    }
}
