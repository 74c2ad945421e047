/**
 * Recovering from what webhooks alone cannot: events that never arrived ({@link
 * dev.hookwise.core.recovery.EventRecovery}), local state that drifted from Stripe's ({@link
 * dev.hookwise.core.recovery.StateStoreReconciler} under a {@link
 * dev.hookwise.core.recovery.ReconciliationScheduler}), completed events whose effect is missing
 * ({@link dev.hookwise.core.recovery.ConsistencyCheck}) and payments taken twice ({@link
 * dev.hookwise.core.recovery.DuplicatePaymentDetector}).
 */
@NullMarked
package dev.hookwise.core.recovery;

import org.jspecify.annotations.NullMarked;
