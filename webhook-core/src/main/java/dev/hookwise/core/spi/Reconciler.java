package dev.hookwise.core.spi;

import dev.hookwise.core.spi.state.StateStore;
import java.time.Instant;

/**
 * Compares local state with Stripe's and corrects drift. Implement it for any local model; the
 * library ships {@code StateStoreReconciler} for entities in a {@link StateStore}, and runs
 * registered reconcilers on a schedule ({@code ReconciliationScheduler}).
 *
 * <p>A reconciler must not throw for one bad entity: it reports that entity as
 * {@link ReconciliationReport.Action#FAILED} and goes on.
 *
 * @since 0.1.0
 */
public interface Reconciler {

    /** A stable name for reports and logs, e.g. {@code orders}. */
    String name();

    /** Reconciles entities changed (or still open) in {@code [from, to)}. */
    ReconciliationReport reconcile(Instant from, Instant to);
}
