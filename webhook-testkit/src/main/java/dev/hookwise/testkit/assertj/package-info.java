/**
 * AssertJ assertions over what a test produced: delivery logs, idempotency stores and their
 * records. Needs {@code assertj-core} on the test classpath (the testkit declares it optional).
 *
 * <pre>{@code
 * import static dev.hookwise.testkit.assertj.HookwiseAssertions.assertThat;
 *
 * assertThat(log).eachEventProcessedOnce().hasNoServerErrors();
 * assertThat(store).event(paid.id()).hasStatus(EventStatus.COMPLETED).hasAttempts(1);
 * }</pre>
 */
@NullMarked
package dev.hookwise.testkit.assertj;

import org.jspecify.annotations.NullMarked;
