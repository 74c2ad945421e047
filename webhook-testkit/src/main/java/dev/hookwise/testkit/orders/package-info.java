/**
 * The orders example (pending → pending_payment → paid → …) as a ready-made
 * {@link dev.hookwise.core.state.StateMachine} for tests and samples.
 */
@NullMarked
package dev.hookwise.testkit.orders;

import org.jspecify.annotations.NullMarked;
