/**
 * What a state store implements: {@link dev.hookwise.core.spi.state.StateStore} (and its
 * transactional variant) and the values it speaks in, with the argument checks every
 * implementation shares ({@link dev.hookwise.core.spi.state.StateStoreArguments}).
 *
 * <p>For implementers: may use {@code dev.hookwise.core.spi} and the state machine's names
 * ({@code dev.hookwise.core.state}); never {@code internal}.
 */
@NullMarked
package dev.hookwise.core.spi.state;

import org.jspecify.annotations.NullMarked;
