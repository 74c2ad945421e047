package dev.hookwise.jdbc;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What Micrometer Tracing's propagating handlers do, without a tracer: on a sender context's start
 * it writes a fresh {@code traceparent} (and a {@code tracestate}) into the carrier; on a receiver
 * context's start it reads {@code traceparent} back and remembers it. (The same as webhook-core's test helper:
 * test classes do not travel between modules.)
 */
final class FakeTracePropagation implements ObservationHandler<Observation.Context> {
    private final AtomicInteger sent = new AtomicInteger();
    final List<String> written = new CopyOnWriteArrayList<>();
    final List<String> read = new CopyOnWriteArrayList<>();

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof SenderContext || context instanceof ReceiverContext;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onStart(Observation.Context context) {
        if (context instanceof SenderContext<?> sender) {
            SenderContext<Object> s = (SenderContext<Object>) sender;
            String traceparent = String.format("00-%032x-%016x-01", 0xabc000L + sent.incrementAndGet(), 0x5eedL);
            s.getSetter().set(s.getCarrier(), "traceparent", traceparent);
            s.getSetter().set(s.getCarrier(), "tracestate", "hookwise=test");
            written.add(traceparent);
        } else if (context instanceof ReceiverContext<?> receiver) {
            ReceiverContext<Object> r = (ReceiverContext<Object>) receiver;
            String traceparent = r.getGetter().get(r.getCarrier(), "traceparent");
            read.add(traceparent == null ? "(none)" : traceparent);
        }
    }
}
