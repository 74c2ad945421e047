/**
 * Declared state machines for entities that Stripe events move (orders, subscriptions,
 * entitlements): allowed edges, terminal states, which event moves which entity to which state,
 * and a handler that applies those rules through a {@link dev.hookwise.core.spi.state.StateStore}
 * atomically, never backwards, with an audit trail.
 *
 * <pre>{@code
 * StateMachine<OrderState> orders = StateMachine.builder("order", OrderState.class)
 *         .initial(PENDING)
 *         .allow(PENDING, PENDING_PAYMENT, CANCELLED)
 *         .allow(PENDING_PAYMENT, PAID, PAYMENT_FAILED, CANCELLED)
 *         .terminal(CANCELLED)
 *         .entityId(EntityIdResolver.metadata("order_id"))
 *         .on("payment_intent.succeeded", PAID)
 *         .build();
 * StateTransitions<OrderState> transitions = StateTransitions.of(orders, InMemoryStateStore.create());
 * HandlerRegistry handlers = transitions.registerAll(HandlerRegistry.builder()).build();
 * }</pre>
 */
@NullMarked
package dev.hookwise.core.state;

import org.jspecify.annotations.NullMarked;
