package dev.hookwise.core.state;

import dev.hookwise.core.HookwiseConfigurationException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A declared state machine over an enum: which edges are allowed, which states are terminal, and
 * which event type moves an entity to which state. It holds no entity data; a
 * {@link dev.hookwise.core.spi.state.StateStore} does, and {@link StateTransitions} joins the two.
 *
 * <pre>{@code
 * StateMachine<OrderState> orders = StateMachine.builder("order", OrderState.class)
 *         .initial(PENDING)
 *         .allow(PENDING, PENDING_PAYMENT, CANCELLED)
 *         .allow(PENDING_PAYMENT, PAID, PAYMENT_FAILED, CANCELLED)
 *         .allow(PAYMENT_FAILED, PENDING_PAYMENT, CANCELLED)
 *         .terminal(CANCELLED)
 *         .entityId(EntityIdResolver.metadata("order_id"))
 *         .on("payment_intent.succeeded", PAID)
 *         .on("payment_intent.canceled", CANCELLED, EarlyEventPolicy.RECORD_AND_ACKNOWLEDGE)
 *         .build();
 * }</pre>
 *
 * <p>A state is <em>declared</em> when it is the initial state, an end of an edge, or terminal;
 * enum constants the machine does not mention cannot be moved to. {@link Builder#build()} checks
 * the definition once (terminal states have no outgoing edges, every rule's target has an edge
 * into it, no self-edges, one rule per event type) and the machine is immutable afterwards.
 *
 * @param <S> the state enum
 */
public final class StateMachine<S extends Enum<S>> {

    private final String entityType;
    private final Class<S> stateType;
    private final @Nullable S initial;
    private final Map<S, Set<S>> targets;
    private final Map<S, Set<S>> sources;
    private final Set<S> terminal;
    private final Set<S> declared;
    private final Map<String, TransitionRule<S>> rules;
    private final @Nullable EntityIdResolver defaultEntityId;

    private StateMachine(Builder<S> b) {
        this.entityType = b.entityType;
        this.stateType = b.stateType;
        this.initial = b.initial;
        Map<S, Set<S>> t = new EnumMap<>(stateType);
        Map<S, Set<S>> s = new EnumMap<>(stateType);
        for (S state : stateType.getEnumConstants()) {
            t.put(state, EnumSet.noneOf(stateType));
            s.put(state, EnumSet.noneOf(stateType));
        }
        b.edges.forEach((from, tos) -> tos.forEach(to -> {
            Objects.requireNonNull(t.get(from)).add(to); // both maps have every constant (above)
            Objects.requireNonNull(s.get(to)).add(from);
        }));
        t.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        s.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        this.targets = Collections.unmodifiableMap(t);
        this.sources = Collections.unmodifiableMap(s);
        this.terminal = Collections.unmodifiableSet(EnumSet.copyOf(b.terminal.isEmpty() ? EnumSet.noneOf(stateType) : b.terminal));
        EnumSet<S> d = EnumSet.noneOf(stateType);
        d.addAll(b.terminal);
        b.edges.forEach((from, tos) -> {
            d.add(from);
            d.addAll(tos);
        });
        if (initial != null) {
            d.add(initial);
        }
        this.declared = Collections.unmodifiableSet(d);
        this.rules = Collections.unmodifiableMap(new LinkedHashMap<>(b.rules));
        this.defaultEntityId = b.defaultEntityId;
    }

    /**
     * Starts a machine for entities of {@code entityType} ({@code order}, {@code subscription}),
     * the name stores file them under.
     */
    public static <S extends Enum<S>> Builder<S> builder(String entityType, Class<S> stateType) {
        return new Builder<>(entityType, stateType);
    }

    /** The entity type the machine's entities are stored under. */
    public String entityType() {
        return entityType;
    }

    /** The state enum. */
    public Class<S> stateType() {
        return stateType;
    }

    /** The state new entities start in, if declared. */
    public Optional<S> initial() {
        return Optional.ofNullable(initial);
    }

    /** Whether the edge {@code from → to} is declared. */
    public boolean allowed(S from, S to) {
        return targetsOf(from).contains(to);
    }

    /** The states {@code to} can be reached from in one step; empty when no edge ends there. */
    public Set<S> sourcesOf(S to) {
        return Objects.requireNonNull(sources.get(to)); // every state is a key
    }

    /** The states reachable from {@code from} in one step; empty for terminal states. */
    public Set<S> targetsOf(S from) {
        return Objects.requireNonNull(targets.get(from)); // every state is a key
    }

    /** Whether {@code to} can be reached from {@code from} along declared edges, in one step or more. */
    public boolean canReach(S from, S to) {
        EnumSet<S> seen = EnumSet.noneOf(stateType);
        Deque<S> todo = new ArrayDeque<>(targets.get(from));
        while (!todo.isEmpty()) {
            S next = todo.poll();
            if (next == to) {
                return true;
            }
            if (seen.add(next)) {
                todo.addAll(targets.get(next));
            }
        }
        return false;
    }

    /** Whether {@code state} is terminal (declared so; nothing leaves it). */
    public boolean isTerminal(S state) {
        return terminal.contains(state);
    }

    /** The declared terminal states. */
    public Set<S> terminalStates() {
        return terminal;
    }

    /** The declared states that are not declared terminal. */
    public Set<S> nonTerminalStates() {
        EnumSet<S> out = EnumSet.noneOf(stateType);
        out.addAll(declared);
        out.removeAll(terminal);
        return Collections.unmodifiableSet(out);
    }

    /**
     * The non-terminal states that have an edge out: where an entity waits for something to
     * happen. The stuck-entities report looks at these; a non-terminal state without an edge out
     * (the orders example's {@code ready_for_handover} and {@code released}) is an end of the
     * machine's part of the story, not a place to get stuck.
     */
    public Set<S> waitingStates() {
        EnumSet<S> out = EnumSet.noneOf(stateType);
        for (S s : nonTerminalStates()) {
            if (!targetsOf(s).isEmpty()) {
                out.add(s);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** The states the machine mentions: initial, edge ends, terminal. */
    public Set<S> declaredStates() {
        return declared;
    }

    /** Whether the machine mentions {@code state}. */
    public boolean isDeclared(S state) {
        return declared.contains(state);
    }

    /** The rules, in declaration order. */
    public List<TransitionRule<S>> rules() {
        return List.copyOf(rules.values());
    }

    /** The rule for {@code eventType}, if any. */
    public Optional<TransitionRule<S>> rule(String eventType) {
        return Optional.ofNullable(rules.get(eventType));
    }

    /**
     * The state an event of {@code eventType} moves an entity to, when its rule has a fixed
     * target; empty for types without a rule and for rules whose target depends on the payload.
     */
    public Optional<S> targetFor(String eventType) {
        return rule(eventType).flatMap(TransitionRule::fixedTargetState);
    }

    /** The entity id resolver of {@code rule}: its own, or the machine's default. */
    public EntityIdResolver entityIdResolver(TransitionRule<S> rule) {
        EntityIdResolver r = rule.entityId() != null ? rule.entityId() : defaultEntityId;
        // build() guarantees one of the two exists.
        return Objects.requireNonNull(r, "entity id resolver");
    }

    /**
     * The source states for a transition to {@code to}, checked.
     *
     * @throws UndeclaredTransitionException when no declared edge ends in {@code to}
     */
    public Set<S> requireSourcesOf(S to) {
        Set<S> from = sourcesOf(Objects.requireNonNull(to, "to"));
        if (from.isEmpty()) {
            throw new UndeclaredTransitionException("the " + entityType + " state machine declares no edge into '"
                    + StateNames.name(to) + "'" + (isDeclared(to) ? "" : " (the state is not declared at all)")
                    + "; declared states: " + names(declared) + ". Add an edge with allow(from, "
                    + StateNames.name(to) + ") or move to a declared state");
        }
        return from;
    }

    private static String names(Set<? extends Enum<?>> states) {
        return states.stream().map(StateNames::name).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StateMachine[").append(entityType).append(": ");
        sb.append(targets.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> StateNames.name(e.getKey()) + " -> " + names(e.getValue()))
                .collect(Collectors.joining("; ")));
        return sb.append("; terminal ").append(names(terminal)).append(']').toString();
    }

    /**
     * Builder for {@link StateMachine}; {@link #build()} validates the definition and fails with a
     * {@link HookwiseConfigurationException} (or an {@link UnknownStateException} for a misspelt
     * state name) that says what to change.
     *
     * @param <S> the state enum
     */
    public static final class Builder<S extends Enum<S>> {
        /** Longest entity type a store must hold. */
        public static final int MAX_ENTITY_TYPE_LENGTH = 64;

        private final String entityType;
        private final Class<S> stateType;
        private @Nullable S initial;
        private final Map<S, EnumSet<S>> edges;
        private final EnumSet<S> terminal;
        private final Map<String, TransitionRule<S>> rules = new LinkedHashMap<>();
        private @Nullable EntityIdResolver defaultEntityId;
        private EarlyEventPolicy defaultIfEarly = EarlyEventPolicy.RETRY_LATER;

        private Builder(String entityType, Class<S> stateType) {
            Objects.requireNonNull(entityType, "entityType");
            Objects.requireNonNull(stateType, "stateType");
            if (entityType.isBlank() || entityType.length() > MAX_ENTITY_TYPE_LENGTH || !entityType.equals(entityType.trim())) {
                throw new HookwiseConfigurationException("entityType must be 1 to " + MAX_ENTITY_TYPE_LENGTH
                        + " characters without surrounding spaces, but was '" + entityType + "'");
            }
            for (S s : stateType.getEnumConstants()) {
                if (StateNames.name(s).length() > StateNames.MAX_LENGTH) {
                    throw new HookwiseConfigurationException("state " + s + " of " + stateType.getSimpleName()
                            + " is longer than " + StateNames.MAX_LENGTH + " characters; stores cannot hold it");
                }
            }
            this.entityType = entityType;
            this.stateType = stateType;
            this.edges = new EnumMap<>(stateType);
            this.terminal = EnumSet.noneOf(stateType);
        }

        /** The state {@link StateTransitions#create} puts new entities in. */
        public Builder<S> initial(S state) {
            this.initial = Objects.requireNonNull(state, "state");
            return this;
        }

        /** Allows {@code from → to} for each of {@code to}. */
        @SafeVarargs
        public final Builder<S> allow(S from, S... to) {
            Objects.requireNonNull(from, "from");
            if (to.length == 0) {
                throw new HookwiseConfigurationException("allow(" + StateNames.name(from)
                        + ") names no target state; use terminal(...) for a state nothing leaves");
            }
            for (S t : to) {
                Objects.requireNonNull(t, "to");
                if (t == from) {
                    throw new HookwiseConfigurationException("self-edge " + StateNames.name(from) + " -> "
                            + StateNames.name(t) + " is not allowed: a transition to the current state changes nothing");
                }
                edges.computeIfAbsent(from, k -> EnumSet.noneOf(stateType)).add(t);
            }
            return this;
        }

        /**
         * Allows edges given by state names, as in a transition table kept in configuration.
         *
         * @throws UnknownStateException when a name is not a state of the enum
         */
        public Builder<S> allow(String from, String... to) {
            S f = StateNames.parse(stateType, from);
            EnumSet<S> targets = EnumSet.noneOf(stateType);
            for (String t : to) {
                targets.add(StateNames.parse(stateType, t));
            }
            @SuppressWarnings("unchecked")
            S[] array = targets.toArray((S[]) java.lang.reflect.Array.newInstance(stateType, 0));
            return allow(f, array);
        }

        /** Declares states nothing leaves. */
        @SafeVarargs
        public final Builder<S> terminal(S... states) {
            for (S s : states) {
                terminal.add(Objects.requireNonNull(s, "state"));
            }
            return this;
        }

        /** The entity id resolver of rules that declare none. */
        public Builder<S> entityId(EntityIdResolver resolver) {
            this.defaultEntityId = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** The early-event policy of rules added after this call with {@link #on(String, Enum)} (default RETRY_LATER). */
        public Builder<S> ifEarly(EarlyEventPolicy policy) {
            this.defaultIfEarly = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** On {@code eventType}, move the entity the default resolver finds to {@code target}. */
        public Builder<S> on(String eventType, S target) {
            return rule(TransitionRule.on(eventType, target).ifEarly(defaultIfEarly));
        }

        /** On {@code eventType}, move the entity {@code entityId} finds to {@code target}. */
        public Builder<S> on(String eventType, S target, EntityIdResolver entityId) {
            return rule(TransitionRule.on(eventType, target).entityId(entityId).ifEarly(defaultIfEarly));
        }

        /** On {@code eventType}, move the entity to {@code target}; an early event is handled per {@code ifEarly}. */
        public Builder<S> on(String eventType, S target, EarlyEventPolicy ifEarly) {
            return rule(TransitionRule.on(eventType, target).ifEarly(ifEarly));
        }

        /** Adds a rule built with {@link TransitionRule}. */
        public Builder<S> rule(TransitionRule<S> rule) {
            Objects.requireNonNull(rule, "rule");
            if (rule.stateType() != stateType) {
                throw new HookwiseConfigurationException("rule for " + rule.eventType() + " is over "
                        + rule.stateType().getSimpleName() + ", but this machine is over " + stateType.getSimpleName());
            }
            if (rules.putIfAbsent(rule.eventType(), rule) != null) {
                throw new HookwiseConfigurationException("two rules for " + rule.eventType() + " in the " + entityType
                        + " state machine; use one rule with a target resolver for targets that depend on the payload");
            }
            return this;
        }

        /** Validates the definition and freezes it. */
        public StateMachine<S> build() {
            for (S t : terminal) {
                Set<S> out = edges.getOrDefault(t, EnumSet.noneOf(stateType));
                if (!out.isEmpty()) {
                    throw new HookwiseConfigurationException("terminal state " + StateNames.name(t) + " has outgoing edges "
                            + names(out) + "; remove them or do not declare it terminal");
                }
            }
            if (edges.isEmpty() && initial == null && terminal.isEmpty()) {
                throw new HookwiseConfigurationException("the " + entityType + " state machine declares no states");
            }
            StateMachine<S> machine = new StateMachine<>(this);
            for (TransitionRule<S> rule : rules.values()) {
                if (rule.entityId() == null && defaultEntityId == null) {
                    throw new HookwiseConfigurationException("rule for " + rule.eventType() + " has no entity id resolver:"
                            + " call entityId(EntityIdResolver.metadata(\"order_id\")) on the builder or on the rule");
                }
                S target = rule.fixedTarget();
                if (target != null && machine.sourcesOf(target).isEmpty()) {
                    throw new HookwiseConfigurationException("rule for " + rule.eventType() + " moves to '"
                            + StateNames.name(target) + "', but no declared edge ends there; add allow(from, "
                            + StateNames.name(target) + ")");
                }
            }
            return machine;
        }
    }
}
