/**
 * What adapters implement: the idempotency store and the value types it speaks in.
 *
 * <p>An implementation must pass {@code dev.hookwise.testkit.contract.IdempotencyStoreContract}
 * from {@code webhook-testkit}; that suite is the executable form of the contracts below.
 */
@NullMarked
package dev.hookwise.core.spi;

import org.jspecify.annotations.NullMarked;
