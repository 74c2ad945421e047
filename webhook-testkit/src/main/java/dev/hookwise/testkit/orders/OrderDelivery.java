package dev.hookwise.testkit.orders;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.RetryLaterException;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.state.StateTransitions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Delivers an order's events to a {@link StateTransitions} handler in a given order, the way
 * Stripe would: an event the handler answers with {@link RetryLaterException} is delivered again
 * after the others, until a whole round brings no progress (Stripe would give up after three
 * days). For out-of-order tests of a state store and the orders machine.
 *
 * <pre>{@code
 * OrderDelivery.Result r = OrderDelivery.deliver(transitions, "ord_1", shuffled, START, "evt_run1_");
 * assertThat(r.finalState()).contains(OrderState.PAID);
 * }</pre>
 */
public final class OrderDelivery {

    /**
     * What a delivery run ended with.
     *
     * @param finalState the order's state at the end; empty when the order does not exist
     * @param deliveries how many deliveries were made, redeliveries included
     * @param stillRetrying events still answered "retry later" when the run stopped
     */
    public record Result(Optional<OrderState> finalState, int deliveries, List<OrderEvent> stillRetrying) {
        public Result {
            stillRetrying = List.copyOf(stillRetrying);
        }
    }

    private OrderDelivery() {}

    /**
     * Delivers {@code events} in the given order to {@code transitions} for {@code orderId}.
     * Event ids are {@code idPrefix + type + "@" + second}, so a redelivery keeps its id.
     */
    public static Result deliver(StateTransitions<OrderState> transitions, String orderId, List<OrderEvent> events,
            Instant start, String idPrefix) {
        Deque<OrderEvent> queue = new ArrayDeque<>(events);
        int deliveries = 0;
        boolean progress = true;
        while (!queue.isEmpty() && progress) {
            progress = false;
            int round = queue.size();
            for (int i = 0; i < round; i++) {
                OrderEvent event = queue.poll();
                deliveries++;
                try {
                    transitions.handle(context(event, orderId, start, idPrefix));
                    progress = true;
                } catch (RetryLaterException e) {
                    queue.add(event);
                }
            }
            // A round in which every event asked to come back again changed nothing: stop.
        }
        return new Result(transitions.find(orderId).map(s -> s.state()), deliveries, List.copyOf(queue));
    }

    /** The handler context of {@code event} for {@code orderId}, as the pipeline would build it. */
    public static EventContext context(OrderEvent event, String orderId, Instant start, String idPrefix) {
        String id = eventId(event, idPrefix);
        EventEnvelope envelope = EventEnvelope.parse(event.toJson(id, orderId, start).getBytes(StandardCharsets.UTF_8));
        return new EventContext(envelope, 1, EventSource.WEBHOOK);
    }

    /** The id {@link #deliver} gives {@code event}. */
    public static String eventId(OrderEvent event, String idPrefix) {
        return idPrefix + event.type() + (event.objectStatus() == null ? "" : "." + event.objectStatus())
                + "@" + event.second();
    }
}
