package dev.hookwise.cli.spi;

import dev.hookwise.core.spi.Reconciler;
import dev.hookwise.core.state.StateMachine;
import java.util.List;

/**
 * The application's part of the {@code hookwise} command line. The CLI has no handlers and does
 * not know the application's entities; commands that need them ask every extension on the
 * classpath, found with {@link java.util.ServiceLoader}:
 * <ul>
 *   <li>{@code check-consistency} reads {@link #stateMachines()} and checks, with the core's
 *       {@code ConsistencyCheck}, that every completed event a rule applies to left its mark in
 *       the entity's history;</li>
 *   <li>{@code reconcile} builds {@link #reconcilers(CliContext)} twice: first on a context whose
 *       {@link CliContext#corrections()} is false (the preview shown to the operator), then, once
 *       the operator confirmed, on one where it is true.</li>
 * </ul>
 * A command that needs an extension and finds none exits with code 4 and says how to add one.
 *
 * <p>To provide one, implement this interface in the application (a public class with a public
 * no-argument constructor), list its name in
 * {@code META-INF/services/dev.hookwise.cli.spi.HookwiseCliExtension}, and put the application's
 * jar next to the CLI's on the classpath:
 * <pre>
 * HOOKWISE_CLASSPATH=shop-webhooks.jar hookwise reconcile --days 2
 * java -cp hookwise.jar:shop-webhooks.jar dev.hookwise.cli.Main reconcile --days 2
 * </pre>
 *
 * <pre>{@code
 * public final class ShopCliExtension implements HookwiseCliExtension {
 *     public List<StateMachine<?>> stateMachines() {
 *         return List.of(Orders.MACHINE);
 *     }
 *     public List<Reconciler> reconcilers(CliContext context) {
 *         return List.of(StateStoreReconciler.builder(Orders.MACHINE, context.stateStore(), context.stripe())
 *                 .locator(order -> Orders.paymentIntentOf(context.dataSource(), order.entityId()))
 *                 .expectedState(Orders::expectedState)
 *                 .build());
 *     }
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
public interface HookwiseCliExtension {

    /** The application's state machines, for {@code check-consistency}; none by default. */
    default List<StateMachine<?>> stateMachines() {
        return List.of();
    }

    /**
     * The application's reconcilers, for {@code reconcile}; none by default. A reconciler that
     * writes anywhere other than {@link CliContext#stateStore()} must write nothing while
     * {@link CliContext#corrections()} is false.
     */
    default List<Reconciler> reconcilers(CliContext context) {
        return List.of();
    }
}
