package dev.hookwise.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.NewEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceContextCodecTest {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void fieldsRoundTripInTheirOrderAndValuesMayHoldEqualsSigns() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("traceparent", TRACEPARENT);
        fields.put("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
        fields.put("baggage", "userId=alice,serverNode=DF%2028");

        String stored = TraceContextCodec.encode(fields);

        assertThat(stored).startsWith("traceparent=" + TRACEPARENT + "\ntracestate=congo=");
        assertThat(TraceContextCodec.decode(stored)).containsExactlyEntriesOf(fields);
    }

    @Test
    void nothingToStoreIsNullAndNullDecodesToNoFields() {
        assertThat(TraceContextCodec.encode(Map.of())).isNull();
        assertThat(TraceContextCodec.decode(null)).isEmpty();
        assertThat(TraceContextCodec.decode("not a field")).isEmpty();
    }

    @Test
    void fieldsThatCannotBeStoredIntactAreLeftOut() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("traceparent", TRACEPARENT);
        fields.put("baggage", "city=Zürich");
        fields.put("x=y", "1");
        fields.put("multi", "a\nb");
        fields.put("", "empty name");

        assertThat(TraceContextCodec.decode(TraceContextCodec.encode(fields)))
                .containsExactlyEntriesOf(Map.of("traceparent", TRACEPARENT));
    }

    @Test
    void theStoredTextNeverPassesTheLimitAndKeepsTheFirstFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("traceparent", TRACEPARENT);
        fields.put("baggage", "x".repeat(NewEvent.MAX_TRACE_CONTEXT_LENGTH));
        fields.put("b3", "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1");

        String stored = TraceContextCodec.encode(fields);

        assertThat(stored).hasSizeLessThanOrEqualTo(NewEvent.MAX_TRACE_CONTEXT_LENGTH);
        assertThat(TraceContextCodec.decode(stored)).containsOnlyKeys("traceparent");

        Map<String, String> exact = Map.of("k", "v".repeat(NewEvent.MAX_TRACE_CONTEXT_LENGTH - 2));
        assertThat(TraceContextCodec.encode(exact)).hasSize(NewEvent.MAX_TRACE_CONTEXT_LENGTH);
        // Whatever the codec produces, a NewEvent accepts.
        assertThat(event().withTraceContext(TraceContextCodec.encode(exact)).traceContext()).hasSize(1024);
    }

    @Test
    void newEventRefusesATraceContextNoStoreCouldHold() {
        assertThatThrownBy(() -> event().withTraceContext("k=" + "v".repeat(NewEvent.MAX_TRACE_CONTEXT_LENGTH)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1026 characters").hasMessageContaining("1024");
        assertThatThrownBy(() -> event().withTraceContext("k=v\u0000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
        assertThat(event().withTraceContext(null).traceContext()).isNull();
        assertThat(event().withTraceContext("k=v").withoutPayload().traceContext()).isEqualTo("k=v");
        assertThat(event().withTraceContext("k=v")).isNotEqualTo(event()).isEqualTo(event().withTraceContext("k=v"));
    }

    private static NewEvent event() {
        return new NewEvent("evt_1", "invoice.paid", Instant.parse("2026-01-01T00:00:00Z"), false, null, null,
                EventSource.WEBHOOK, new byte[] {'{', '}'});
    }
}
