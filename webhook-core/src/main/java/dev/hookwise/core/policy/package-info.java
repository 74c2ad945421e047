/**
 * The policies a {@link dev.hookwise.core.WebhookProcessor} is configured with: which requests and
 * events it admits ({@link dev.hookwise.core.policy.SourceAddressFilter},
 * {@link dev.hookwise.core.policy.EventAgePolicy}, {@link dev.hookwise.core.policy.EventFilter},
 * {@link dev.hookwise.core.policy.Backpressure}) and how it retries a handler in-process
 * ({@link dev.hookwise.core.policy.RetryPolicy}). Immutable values with builders or factories.
 *
 * <p>May use {@code dev.hookwise.core} (outcomes, exceptions, the envelope),
 * {@code dev.hookwise.core.spi} and {@code dev.hookwise.core.internal}.
 */
@NullMarked
package dev.hookwise.core.policy;

import org.jspecify.annotations.NullMarked;
