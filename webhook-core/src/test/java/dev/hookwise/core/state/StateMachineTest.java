package dev.hookwise.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.state.Shop.St;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateMachineTest {

    @Test
    void answersEdgeQueries() {
        StateMachine<St> m = Shop.machine();

        assertThat(m.allowed(St.NEW, St.PAYING)).isTrue();
        assertThat(m.allowed(St.NEW, St.PAID)).isFalse();
        assertThat(m.sourcesOf(St.CANCELLED)).containsExactlyInAnyOrder(St.NEW, St.PAYING, St.FAILED);
        assertThat(m.sourcesOf(St.NEW)).isEmpty();
        assertThat(m.targetsOf(St.CANCELLED)).isEmpty();
        assertThat(m.canReach(St.NEW, St.SHIPPED)).isTrue();
        assertThat(m.canReach(St.FAILED, St.PAID)).isTrue();
        assertThat(m.canReach(St.PAID, St.PAYING)).isFalse();
        assertThat(m.canReach(St.CANCELLED, St.PAID)).isFalse();
        assertThat(m.isTerminal(St.CANCELLED)).isTrue();
        assertThat(m.declaredStates()).doesNotContain(St.ARCHIVED);
        assertThat(m.nonTerminalStates()).containsExactlyInAnyOrder(St.NEW, St.PAYING, St.PAID, St.FAILED, St.SHIPPED);
        assertThat(m.waitingStates()).containsExactlyInAnyOrder(St.NEW, St.PAYING, St.PAID, St.FAILED);
        assertThat(m.initial()).contains(St.NEW);
        assertThat(m.rule("payment_intent.succeeded")).hasValueSatisfying(r -> {
            assertThat(r.fixedTarget()).isEqualTo(St.PAID);
            assertThat(r.ifEarly()).isEqualTo(EarlyEventPolicy.RETRY_LATER);
        });
        assertThat(m.rule("payment_intent.payment_failed")).get()
                .extracting(TransitionRule::ifEarly).isEqualTo(EarlyEventPolicy.RECORD_AND_ACKNOWLEDGE);
        assertThat(m.rule("charge.refunded")).isEmpty();
        assertThat(m.targetFor("payment_intent.canceled")).contains(St.CANCELLED);
        assertThat(m.targetFor("charge.refunded")).isEmpty();
        assertThat(m.toString()).contains("new -> [paying, cancelled]").contains("terminal [cancelled]");
    }

    @Test
    void readsATransitionTableGivenByName() {
        StateMachine<St> m = StateMachine.builder("order", St.class)
                .allow("new", "paying", "CANCELLED")
                .allow("paying", "paid")
                .terminal(St.CANCELLED)
                .build();

        assertThat(m.allowed(St.NEW, St.CANCELLED)).isTrue();
        assertThat(m.allowed(St.PAYING, St.PAID)).isTrue();
    }

    @Test
    void unknownStateNameInTheTableIsATypedError() {
        StateMachine.Builder<St> b = StateMachine.builder("order", St.class);

        assertThatThrownBy(() -> b.allow("new", "payed"))
                .isInstanceOf(UnknownStateException.class)
                .hasMessageContaining("'payed' is not a state of St")
                .hasMessageContaining("known states: new, paying, paid, failed, cancelled, shipped, archived")
                .satisfies(e -> assertThat(((UnknownStateException) e).stateName()).isEqualTo("payed"));
        assertThatThrownBy(() -> StateNames.parse(St.class, "")).isInstanceOf(UnknownStateException.class);
    }

    @Test
    void ruleMovingToAStateWithoutAnEdgeIntoItFailsTheBuild() {
        assertThatThrownBy(() -> Shop.edges().entityId(EntityIdResolver.objectId()).on("x.archived", St.ARCHIVED).build())
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("moves to 'archived', but no declared edge ends there");
    }

    @Test
    void transitionToAnUndeclaredStateIsATypedError() {
        StateMachine<St> m = Shop.machine();

        assertThatThrownBy(() -> m.requireSourcesOf(St.ARCHIVED))
                .isInstanceOf(UndeclaredTransitionException.class)
                .hasMessageContaining("no edge into 'archived' (the state is not declared at all)")
                .satisfies(e -> assertThat(((UndeclaredTransitionException) e).reason()).isEqualTo("undeclared_transition"));
        assertThatThrownBy(() -> m.requireSourcesOf(St.NEW)).isInstanceOf(UndeclaredTransitionException.class);
    }

    @Test
    void rejectsDefinitionMistakesAtBuildTime() {
        assertThatThrownBy(() -> StateMachine.builder("order", St.class).allow(St.NEW, St.NEW))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("self-edge");
        assertThatThrownBy(() -> StateMachine.builder("order", St.class).allow(St.NEW))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("names no target");
        assertThatThrownBy(() -> Shop.edges().terminal(St.PAID).build())
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("terminal state paid has outgoing edges [shipped]");
        assertThatThrownBy(() -> Shop.edges().on("payment_intent.succeeded", St.PAID).build())
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("no entity id resolver");
        assertThatThrownBy(() -> Shop.edges().entityId(EntityIdResolver.objectId())
                .on("payment_intent.succeeded", St.PAID).on("payment_intent.succeeded", St.FAILED))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("two rules");
        assertThatThrownBy(() -> Shop.edges().on("payment_intent.*", St.PAID))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("exact event type");
        assertThatThrownBy(() -> StateMachine.builder(" ", St.class))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("entityType");
        assertThatThrownBy(() -> StateMachine.builder("order", St.class).build())
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("declares no states");
    }

    @Test
    void ruleWithPayloadDependentTargetIsAccepted() {
        StateMachine<St> m = Shop.edges().entityId(EntityIdResolver.objectId())
                .rule(TransitionRule.on("charge.dispute.closed", St.class, ctx -> Optional.of(St.SHIPPED))
                        .ifEarly(EarlyEventPolicy.RECORD_AND_ACKNOWLEDGE).ifMissing(EarlyEventPolicy.RECORD_AND_ACKNOWLEDGE))
                .build();

        assertThat(m.rules()).singleElement().satisfies(r -> {
            assertThat(r.fixedTargetState()).isEmpty();
            assertThat(r.ifMissing()).isEqualTo(EarlyEventPolicy.RECORD_AND_ACKNOWLEDGE);
        });
        assertThat(EnumSet.copyOf(m.terminalStates())).containsExactly(St.CANCELLED);
    }

    @Test
    void statesAreNamedInLowerCase() {
        assertThat(StateNames.name(St.PAYING)).isEqualTo("paying");
        assertThat(StateNames.parse(St.class, "Paying")).isEqualTo(St.PAYING);
    }
}
