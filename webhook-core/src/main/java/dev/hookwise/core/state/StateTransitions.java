package dev.hookwise.core.state;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.core.RetryLaterException;
import dev.hookwise.core.TransactionalWebhookHandler;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.state.EntityState;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.spi.state.StateStoreArguments;
import dev.hookwise.core.spi.state.TransactionalStateStore;
import dev.hookwise.core.spi.state.TransitionRecord;
import dev.hookwise.core.spi.state.TransitionResult.Status;
import dev.hookwise.core.spi.state.TransitionResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateMachine} bound to a {@link StateStore}: the handler that applies the machine's
 * rules to events, and the application's way to create, move and inspect its entities.
 *
 * <pre>{@code
 * StateTransitions<OrderState> orders = StateTransitions.of(orderMachine, store);
 * HandlerRegistry handlers = orders.registerAll(HandlerRegistry.builder()).build();
 * orders.create("ord_42");                                        // in the checkout code
 * }</pre>
 *
 * <p>For each event with a rule, the handler finds the entity id ({@link MissingEntityIdException}
 * when the event names none), the target state ({@link UndeclaredTransitionException} when the
 * machine has no edge into it), asks the store to move the entity from the target's declared
 * source states, logs and counts the result, and then:
 * <ul>
 *   <li>{@code APPLIED}, {@code ALREADY_IN_TARGET}: done (a duplicate is not an error);</li>
 *   <li>{@code STALE_EVENT}: acknowledged: a newer event already moved the entity, an older one
 *       must never move it back;</li>
 *   <li>{@code INVALID_TRANSITION} while the target is still reachable from the entity's state
 *       (the event came early): the rule's {@link EarlyEventPolicy} — retry later
 *       ({@link RetryLaterException}, so 422 in synchronous mode) or record and acknowledge;</li>
 *   <li>{@code INVALID_TRANSITION} otherwise (the entity is terminal or went another way): logged
 *       as a conflict at WARN and acknowledged, since redelivery cannot change it;</li>
 *   <li>{@code NOT_FOUND}: the rule's {@code ifMissing} policy.</li>
 * </ul>
 * Every attempt is in the store's history whatever the outcome.
 *
 * <p><b>In the event's transaction</b> ({@link Builder#transactional(boolean) transactional(true)},
 * on a {@link TransactionalStateStore} and a {@code TransactionalStore} such as the JDBC ones on one
 * database): {@link #registerAll} registers a {@link TransactionalWebhookHandler}, and each transition
 * commits together with its event's completion. A crash between the two can no longer leave an order
 * moved by an event that runs again, or an event completed whose order never moved; other
 * transactional handlers of the same event (a ledger row, say) commit with the move or not at all.
 * The history then holds what committed: an attempt whose event rolled back (an early event asked to
 * be delivered again, another handler failed) leaves no row; the event log counts it (attempts, last
 * error).
 *
 * <p>Immutable apart from its counters; thread-safe.
 *
 * @param <S> the state enum
 */
public final class StateTransitions<S extends Enum<S>> implements WebhookHandler {
    private static final Logger log = LoggerFactory.getLogger(StateTransitions.class);

    private final StateMachine<S> machine;
    private final StateStore store;
    private final boolean transactional;
    private final TransactionalWebhookHandler inEventTransaction;
    private final Clock clock;
    private final TransitionListener<S> listener;
    private final Map<Status, LongAdder> counts = new EnumMap<>(Status.class);
    private final LongAdder retriesRequested = new LongAdder();

    private StateTransitions(Builder<S> b) {
        this.machine = b.machine;
        this.store = b.store;
        this.transactional = b.transactional;
        this.inEventTransaction = new InEventTransaction();
        this.clock = b.clock;
        this.listener = b.listener;
        for (Status s : Status.values()) {
            counts.put(s, new LongAdder());
        }
    }

    /** Binds {@code machine} to {@code store}, on the system clock, without a listener. */
    public static <S extends Enum<S>> StateTransitions<S> of(StateMachine<S> machine, StateStore store) {
        return builder(machine, store).build();
    }

    /** A builder for a clock (for {@link #stuck}) and a listener. */
    public static <S extends Enum<S>> Builder<S> builder(StateMachine<S> machine, StateStore store) {
        return new Builder<>(machine, store);
    }

    /**
     * Registers this handler for every event type the machine has a rule for; with
     * {@link Builder#transactional(boolean) transactional(true)}, a {@link TransactionalWebhookHandler}
     * that moves entities in the event's transaction.
     */
    public HandlerRegistry.Builder registerAll(HandlerRegistry.Builder registry) {
        Objects.requireNonNull(registry, "registry");
        if (machine.rules().isEmpty()) {
            throw new HookwiseConfigurationException("the " + machine.entityType()
                    + " state machine has no rules to register; add on(eventType, target)");
        }
        for (TransitionRule<S> rule : machine.rules()) {
            if (transactional) {
                registry.on(rule.eventType(), inEventTransaction);
            } else {
                registry.on(rule.eventType(), this);
            }
        }
        return registry;
    }

    /**
     * Whether {@link #registerAll} registers the handler that moves entities in the event's
     * transaction.
     *
     * @since 0.2.0
     */
    public boolean isTransactional() {
        return transactional;
    }

    /**
     * Applies the machine's rule for the event's type; does nothing for a type without a rule.
     *
     * @throws RetryLaterException for an early event or a missing entity whose rule says so
     * @throws MissingEntityIdException when the event does not name the entity
     * @throws UndeclaredTransitionException when the event's target has no declared edge into it
     */
    @Override
    public void handle(EventContext context) {
        handle(context, store);
    }

    /** {@link #handle(EventContext)} with the store the transition goes to (this one, or it inside the event's transaction). */
    private void handle(EventContext context, StateStore target) {
        Optional<TransitionRule<S>> found = machine.rule(context.eventType());
        if (found.isEmpty()) {
            log.debug("{} {}: no {} rule for this type", context.eventId(), context.eventType(), machine.entityType());
            return;
        }
        TransitionRule<S> rule = found.get();
        EntityIdResolver resolver = machine.entityIdResolver(rule);
        String entityId = resolver.resolve(context).orElseThrow(() -> new MissingEntityIdException("event "
                + context.eventId() + " (" + context.eventType() + ") names no " + machine.entityType() + ": looked in "
                + resolver.description() + ". Put the id there when creating the Stripe object, or give the rule"
                + " another EntityIdResolver; replay the event afterwards"));
        if (entityId.length() > StateStoreArguments.MAX_ENTITY_ID_LENGTH) {
            throw new PermanentWebhookFailure("event " + context.eventId() + " names a " + machine.entityType()
                    + " id of " + entityId.length() + " characters; stores hold at most "
                    + StateStoreArguments.MAX_ENTITY_ID_LENGTH);
        }
        Optional<S> destination = rule.target().target(context);
        if (destination.isEmpty()) {
            log.debug("{} {}: moves no {} ({})", context.eventId(), context.eventType(), machine.entityType(), entityId);
            return;
        }
        S to = destination.get();
        TransitionResult<S> result = target.transition(machine.entityType(), entityId, machine.requireSourcesOf(to), to,
                context.eventId(), context.created(), context.source());
        notify(context, result);
        decide(context, rule, result);
    }

    private void decide(EventContext context, TransitionRule<S> rule, TransitionResult<S> r) {
        String what = machine.entityType() + " " + r.entityId();
        String event = context.eventId() + " " + context.eventType();
        switch (r.status()) {
            case APPLIED -> log.info("{}: {} -> {} ({})", what, name(r.previous()), name(r.current()), event);
            case ALREADY_IN_TARGET -> log.info("{}: already {} ({})", what, name(r.current()), event);
            case STALE_EVENT -> log.info("{}: stays {}; {} is older than the last event applied to it", what,
                    name(r.current()), event);
            case INVALID_TRANSITION -> {
                S current = Objects.requireNonNull(r.current());
                boolean early = !machine.isTerminal(current) && machine.canReach(current, r.requested());
                if (!early) {
                    log.warn("{}: {} cannot move to {} any more ({}); acknowledged, see its history", what,
                            name(current), name(r.requested()), event);
                } else {
                    apply(rule.ifEarly(), what + " is " + name(current) + ", not yet in a state it can move to "
                            + name(r.requested()) + " from", event);
                }
            }
            case NOT_FOUND -> apply(rule.ifMissing(), what + " does not exist (yet)", event);
        }
    }

    private void apply(EarlyEventPolicy policy, String why, String event) {
        if (policy == EarlyEventPolicy.RETRY_LATER) {
            retriesRequested.increment();
            log.info("{}; {} will be delivered again", why, event);
            throw new RetryLaterException(why);
        }
        log.info("{}; {} recorded and acknowledged", why, event);
    }

    private void notify(EventContext context, TransitionResult<S> result) {
        Objects.requireNonNull(counts.get(result.status())).increment(); // a counter per status (constructor)
        try {
            listener.onResult(context, result);
        } catch (RuntimeException e) {
            log.warn("transition listener failed for {}: {}", context.eventId(), e.toString());
        }
    }

    /**
     * Moves an entity to {@code to} from any state the machine allows it from, on behalf of an
     * event: the call the handler makes, public for application code and tests.
     *
     * @throws UndeclaredTransitionException when no declared edge ends in {@code to}; nothing is written
     */
    public TransitionResult<S> transition(String entityId, S to, String eventId, Instant eventCreated, EventSource source) {
        return store.transition(machine.entityType(), entityId, machine.requireSourcesOf(to), to, eventId,
                eventCreated, source);
    }

    /**
     * Creates an entity in the machine's initial state.
     *
     * @return true if created, false if it existed
     * @throws HookwiseConfigurationException when the machine declares no initial state
     */
    public boolean create(String entityId) {
        S initial = machine.initial().orElseThrow(() -> new HookwiseConfigurationException("the "
                + machine.entityType() + " state machine declares no initial state; call initial(...) or create(id, state)"));
        return store.create(machine.entityType(), entityId, initial);
    }

    /**
     * Creates an entity in {@code state}.
     *
     * @throws UndeclaredTransitionException when the machine does not declare {@code state}
     */
    public boolean create(String entityId, S state) {
        if (!machine.isDeclared(state)) {
            throw new UndeclaredTransitionException("the " + machine.entityType() + " state machine does not declare '"
                    + StateNames.name(state) + "'; entities can only be created in a declared state");
        }
        return store.create(machine.entityType(), entityId, state);
    }

    /** The entity's current state, if it exists. */
    public Optional<EntityState<S>> find(String entityId) {
        return store.find(machine.entityType(), entityId, machine.stateType());
    }

    /** The entity's transition attempts, oldest first. */
    public List<TransitionRecord<S>> history(String entityId) {
        return store.history(machine.entityType(), entityId, machine.stateType());
    }

    /**
     * Entities in a non-terminal state that has not changed for longer than {@code olderThan},
     * longest-stuck first: the "stuck orders" report. Only {@link StateMachine#waitingStates()
     * states with an edge out} are considered; an entity in a state nothing leaves is done, not stuck.
     */
    public List<EntityState<S>> stuck(Duration olderThan, int limit) {
        Objects.requireNonNull(olderThan, "olderThan");
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must not be negative, but was " + olderThan);
        }
        return store.findStuck(machine.entityType(), machine.stateType(), machine.waitingStates(),
                clock.instant().minus(olderThan), limit);
    }

    /** How many store decisions of each kind this handler received since it was built. */
    public Map<Status, Long> counts() {
        Map<Status, Long> out = new EnumMap<>(Status.class);
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return Collections.unmodifiableMap(out);
    }

    /** How many early events or missing entities this handler asked to be delivered again. */
    public long retriesRequested() {
        return retriesRequested.sum();
    }

    /** The machine. */
    public StateMachine<S> machine() {
        return machine;
    }

    /** The store. */
    public StateStore store() {
        return store;
    }

    private static String name(@org.jspecify.annotations.Nullable Enum<?> state) {
        return state == null ? "-" : StateNames.name(state);
    }

    /** The handler {@link #registerAll} registers in transactional mode: the same rules, in the event's transaction. */
    private final class InEventTransaction implements TransactionalWebhookHandler {
        @Override
        public void handle(EventContext context, StoreTransaction transaction) {
            StateTransitions.this.handle(context, ((TransactionalStateStore) store).joining(transaction));
        }

        @Override
        public String toString() {
            return "StateTransitions[" + machine.entityType() + ", in the event's transaction]";
        }
    }

    /**
     * Builder for {@link StateTransitions}.
     *
     * @param <S> the state enum
     */
    public static final class Builder<S extends Enum<S>> {
        private final StateMachine<S> machine;
        private final StateStore store;
        private Clock clock = Clock.systemUTC();
        private TransitionListener<S> listener = TransitionListener.none();
        private boolean transactional;

        private Builder(StateMachine<S> machine, StateStore store) {
            this.machine = Objects.requireNonNull(machine, "machine");
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The time source of {@link StateTransitions#stuck}; use the store's clock. */
        public Builder<S> clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Hears every store decision, e.g. to count it in a metrics registry. */
        public Builder<S> listener(TransitionListener<S> value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * Whether the handler moves entities inside the event log's transaction, so that each
         * transition commits with its event's completion (default false: a transition commits on
         * its own, before the event is completed). Needs a {@link TransactionalStateStore} on the
         * event log's database and a {@code TransactionalStore} event log (the JDBC stores on one
         * {@code DataSource}); see the class comment for what the history then holds.
         *
         * <pre>{@code
         * StateTransitions<OrderState> orders = StateTransitions.builder(machine, jdbcStateStore)
         *         .transactional(true)
         *         .build();
         * }</pre>
         *
         * @since 0.2.0
         */
        public Builder<S> transactional(boolean value) {
            this.transactional = value;
            return this;
        }

        /**
         * Builds the handler.
         *
         * @throws HookwiseConfigurationException for {@code transactional(true)} on a store that is not a
         *     {@link TransactionalStateStore}
         */
        public StateTransitions<S> build() {
            if (transactional && !(store instanceof TransactionalStateStore)) {
                throw new HookwiseConfigurationException("transactional(true) moves " + machine.entityType()
                        + " entities in the event log's transaction, but the state store "
                        + store.getClass().getSimpleName() + " is not a TransactionalStateStore: use JdbcStateStore"
                        + " on the event log's DataSource, or leave transactional(false)");
            }
            return new StateTransitions<>(this);
        }
    }
}
