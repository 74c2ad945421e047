package dev.hookwise.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one reconciler run checked, where local state had drifted from Stripe's, and what it
 * corrected: the daily reconciliation of the seed runbooks as a value.
 *
 * @param reconciler the reconciler's name
 * @param from start of the window looked at
 * @param to end of the window
 * @param checked entities compared with Stripe
 * @param driftDetected entities whose local state differed from what Stripe implies
 * @param corrected drifted entities moved to the expected state
 * @param items one line per drifted or failed entity
 * @param finishedAt when the run ended
 */
public record ReconciliationReport(String reconciler, Instant from, Instant to, int checked, int driftDetected,
        int corrected, List<Item> items, Instant finishedAt) {

    public ReconciliationReport {
        Objects.requireNonNull(reconciler, "reconciler");
        items = List.copyOf(items);
    }

    /** What happened to one entity. */
    public enum Action {
        /** Drift found and corrected. */
        CORRECTED,
        /** Drift found but not correctable automatically (no declared edge); a person must look. */
        DETECTED,
        /** The entity could not be checked (Stripe unreachable, object unreadable). */
        FAILED
    }

    /**
     * One entity.
     *
     * @param entityType e.g. {@code order}
     * @param entityId the entity's id
     * @param localState the state found locally
     * @param expectedState the state Stripe implies, if known
     * @param action what was done
     * @param detail a short explanation
     */
    public record Item(String entityType, String entityId, String localState, @Nullable String expectedState,
            Action action, String detail) {}

    /** Items that failed to be checked. */
    public long failed() {
        return items.stream().filter(i -> i.action() == Action.FAILED).count();
    }
}
