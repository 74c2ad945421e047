/**
 * What adapters implement: the idempotency store (and its inbox and transactional variants) and the
 * value types it speaks in; state stores are in {@code spi.state}.
 *
 * <p>An implementation must pass {@code dev.hookwise.testkit.contract.IdempotencyStoreContract}
 * from {@code webhook-testkit}; that suite is the executable form of the contracts below.
 *
 * <p>Stands alone for implementers: it uses {@code dev.hookwise.core}'s exception hierarchy and
 * nothing from {@code internal}.
 */
@NullMarked
package dev.hookwise.core.spi;

import org.jspecify.annotations.NullMarked;
