package dev.hookwise.cli;

import com.stripe.model.PaymentIntent;
import dev.hookwise.cli.spi.CliContext;
import dev.hookwise.cli.spi.HookwiseCliExtension;
import dev.hookwise.core.recovery.StateStoreReconciler;
import dev.hookwise.core.recovery.StripeApiRetry;
import dev.hookwise.core.recovery.StripeObjectRef;
import dev.hookwise.core.spi.Reconciler;
import dev.hookwise.core.state.StateMachine;
import dev.hookwise.testkit.orders.OrderState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The application extension the tests put on the class path (listed in
 * META-INF/services/dev.hookwise.cli.spi.HookwiseCliExtension): the orders machine, and a
 * reconciler mapping a succeeded PaymentIntent to {@code paid}. A test configures it; unconfigured,
 * it provides nothing, as a class path without an extension would.
 */
public final class TestCliExtension implements HookwiseCliExtension {
    static volatile StateMachine<OrderState> machine;
    static volatile Map<String, String> paymentIntents = Map.of();

    static void reset() {
        machine = null;
        paymentIntents = Map.of();
    }

    @Override
    public List<StateMachine<?>> stateMachines() {
        return machine == null ? List.of() : List.of(machine);
    }

    @Override
    public List<Reconciler> reconcilers(CliContext context) {
        if (machine == null) {
            return List.of();
        }
        Map<String, String> intents = paymentIntents;
        return List.of(StateStoreReconciler.builder(machine, context.stateStore(), context.stripe())
                .clock(context.clock()).retry(StripeApiRetry.of(2, Duration.ofMillis(1)))
                .locator(e -> Optional.ofNullable(intents.get(e.entityId())).map(StripeObjectRef::paymentIntent))
                .expectedState((object, current) -> "succeeded".equals(((PaymentIntent) object).getStatus())
                        ? Optional.of(OrderState.PAID) : Optional.empty())
                .build());
    }
}
