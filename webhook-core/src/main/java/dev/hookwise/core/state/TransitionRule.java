package dev.hookwise.core.state;

import dev.hookwise.core.EventContext;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One rule of a {@link StateMachine}: an event type moves the entity the event names to a target
 * state. Most rules are declared with {@link StateMachine.Builder#on(String, Enum)}; build one
 * directly for a target that depends on the payload or a rule-specific id resolver.
 *
 * <pre>{@code
 * TransitionRule.on("charge.dispute.closed", OrderState.class,
 *                 ctx -> switch (status(ctx)) { case "won" -> Optional.of(RELEASED);
 *                                              case "lost" -> Optional.of(REFUNDED);
 *                                              default -> Optional.empty(); })
 *         .ifEarly(EarlyEventPolicy.RECORD_AND_ACKNOWLEDGE);
 * }</pre>
 *
 * @param eventType the exact event type, e.g. {@code payment_intent.succeeded}
 * @param stateType the state enum
 * @param fixedTarget the target, when it does not depend on the payload; checked when the machine is built
 * @param target finds the target in the event; empty means "this event moves nothing"
 * @param entityId finds the entity id; null to use the machine's default resolver
 * @param ifEarly what to do when the target cannot be reached yet from the entity's state
 * @param ifMissing what to do when the entity does not exist (yet)
 * @param <S> the state enum
 */
public record TransitionRule<S extends Enum<S>>(
        String eventType,
        Class<S> stateType,
        @Nullable S fixedTarget,
        TargetResolver<S> target,
        @Nullable EntityIdResolver entityId,
        EarlyEventPolicy ifEarly,
        EarlyEventPolicy ifMissing) {

    /** Finds the target state in an event. */
    @FunctionalInterface
    public interface TargetResolver<S extends Enum<S>> {
        /** The state the event moves the entity to; empty when this event moves nothing. */
        Optional<S> target(EventContext context);
    }

    public TransitionRule {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(stateType, "stateType");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(ifEarly, "ifEarly");
        Objects.requireNonNull(ifMissing, "ifMissing");
        if (eventType.isBlank() || eventType.contains("*") || !eventType.equals(eventType.trim())) {
            throw new dev.hookwise.core.HookwiseConfigurationException("a transition rule needs an exact event type"
                    + " such as payment_intent.succeeded, but was '" + eventType + "'");
        }
    }

    /** A rule moving the entity to {@code target}; early and missing entities are retried later. */
    public static <S extends Enum<S>> TransitionRule<S> on(String eventType, S target) {
        Objects.requireNonNull(target, "target");
        Optional<S> fixed = Optional.of(target);
        return new TransitionRule<>(eventType, target.getDeclaringClass(), target, ctx -> fixed, null,
                EarlyEventPolicy.RETRY_LATER, EarlyEventPolicy.RETRY_LATER);
    }

    /** A rule whose target depends on the event; early and missing entities are retried later. */
    public static <S extends Enum<S>> TransitionRule<S> on(String eventType, Class<S> stateType, TargetResolver<S> target) {
        return new TransitionRule<>(eventType, stateType, null, target, null,
                EarlyEventPolicy.RETRY_LATER, EarlyEventPolicy.RETRY_LATER);
    }

    /** This rule with its own entity id resolver. */
    public TransitionRule<S> entityId(EntityIdResolver resolver) {
        return new TransitionRule<>(eventType, stateType, fixedTarget, target, Objects.requireNonNull(resolver, "resolver"),
                ifEarly, ifMissing);
    }

    /** This rule with another policy for events that come before their prerequisite. */
    public TransitionRule<S> ifEarly(EarlyEventPolicy policy) {
        return new TransitionRule<>(eventType, stateType, fixedTarget, target, entityId,
                Objects.requireNonNull(policy, "policy"), ifMissing);
    }

    /** This rule with another policy for events naming an entity the store does not have (yet). */
    public TransitionRule<S> ifMissing(EarlyEventPolicy policy) {
        return new TransitionRule<>(eventType, stateType, fixedTarget, target, entityId, ifEarly,
                Objects.requireNonNull(policy, "policy"));
    }

    /** The fixed target, if the rule has one. */
    public Optional<S> fixedTargetState() {
        return Optional.ofNullable(fixedTarget);
    }
}
