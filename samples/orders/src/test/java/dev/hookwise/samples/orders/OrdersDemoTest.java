package dev.hookwise.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.state.StateMachine;
import dev.hookwise.core.state.StateNames;
import dev.hookwise.testkit.orders.OrderMachine;
import dev.hookwise.testkit.orders.OrderState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrdersDemoTest {

    @Test
    void everyStoryEndsWhereItsEventsSayDespiteTheDeliveryOrder() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Map<String, String> finals = OrdersDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

        assertThat(finals).containsExactly(
                Map.entry("ord_1001", "paid"),
                Map.entry("ord_1002", "paid"),
                Map.entry("ord_1003", "cancelled"),
                Map.entry("ord_1004", "refunded"),
                Map.entry("ord_1005", "payment_failed"));
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("INVALID_TRANSITION").contains("STALE_EVENT").contains("retry_later")
                .contains("evt_no_order_id -> [failed_permanent]");
        assertThat(printed.substring(printed.indexOf("Stuck orders"))).contains("ord_1005").contains("ord_1001")
                .doesNotContain("ord_1003").doesNotContain("ord_1004");
    }

    @Test
    void anEarlyEventsRejectedAttemptRollsBackWithItsEventAndLeavesNoHistoryRow() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        OrdersDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String printed = buffer.toString(StandardCharsets.UTF_8);
        String early = printed.substring(printed.indexOf("ord_1001:"), printed.indexOf("ord_1002:"));

        // Transactional transitions: the 422 attempt moved nothing and recorded nothing in the
        // history; the event log counted it, and the redelivery applied the move exactly once.
        assertThat(early).contains("1001_succeeded=retry_later").contains("1001_succeeded=processed")
                .contains("evt_1001_succeeded took 2 attempts")
                .doesNotContain("INVALID_TRANSITION");
        assertThat(early.split("evt_1001_succeeded .*APPLIED", -1)).as("one APPLIED row for the event").hasSize(2);
    }

    @Test
    void theSamplesMachineHasExactlyTheTestkitFixturesEdges() {
        StateMachine<OrderStatus> sample = OrderRules.machine();
        StateMachine<OrderState> fixture = OrderMachine.create();

        for (OrderState from : OrderState.values()) {
            OrderStatus f = OrderStatus.valueOf(from.name());
            assertThat(sample.targetsOf(f)).extracting(StateNames::name)
                    .containsExactlyInAnyOrderElementsOf(fixture.targetsOf(from).stream().map(StateNames::name).toList());
            assertThat(sample.isTerminal(f)).isEqualTo(fixture.isTerminal(from));
        }
        assertThat(sample.rules()).extracting(r -> r.eventType())
                .containsExactlyElementsOf(fixture.rules().stream().map(r -> r.eventType()).toList());
    }
}
