package dev.hookwise.testkit.contract;

import static dev.hookwise.testkit.orders.OrderState.CANCELLED;
import static dev.hookwise.testkit.orders.OrderState.DISPUTED;
import static dev.hookwise.testkit.orders.OrderState.PAID;
import static dev.hookwise.testkit.orders.OrderState.PAYMENT_FAILED;
import static dev.hookwise.testkit.orders.OrderState.PENDING;
import static dev.hookwise.testkit.orders.OrderState.PENDING_PAYMENT;
import static dev.hookwise.testkit.orders.OrderState.REFUNDED;
import static dev.hookwise.testkit.orders.OrderState.RELEASED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.state.EntityState;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.spi.state.TransitionRecord;
import dev.hookwise.core.spi.state.TransitionResult.Status;
import dev.hookwise.core.spi.state.TransitionResult;
import dev.hookwise.core.state.StateMachine;
import dev.hookwise.core.state.StateTransitions;
import dev.hookwise.core.state.UnknownStateException;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.orders.OrderDelivery;
import dev.hookwise.testkit.orders.OrderEvent;
import dev.hookwise.testkit.orders.OrderMachine;
import dev.hookwise.testkit.orders.OrderScenario;
import dev.hookwise.testkit.orders.OrderState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link StateStore} contract as tests, over the orders example ({@link OrderMachine}).
 * Extend it, return a store that reads time from the given clock, and every test below runs
 * against your implementation, including 16 threads racing conflicting transitions over 1,000
 * orders and every delivery order of the example's event stories.
 *
 * <pre>{@code
 * class MyStateStoreTest extends StateStoreContract {
 *     @Override
 *     protected StateStore createStore(MutableClock clock) {
 *         return new MyStateStore(dataSource, clock);
 *     }
 * }
 * }</pre>
 *
 * <p>Each test instance files its entities under its own entity type ({@code order-<random>}), so
 * a store whose tables are shared by all tests of a class works too.
 */
public abstract class StateStoreContract {

    protected static final Instant START = Instant.parse("2026-03-01T12:00:00.123Z");
    /** Stripe's {@code created} of the example events: whole seconds. */
    protected static final Instant T0 = Instant.parse("2026-03-01T11:00:00Z");

    protected MutableClock clock;
    protected StateStore store;
    protected StateMachine<OrderState> machine;
    protected StateTransitions<OrderState> orders;
    protected String type;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** A state enum that is not {@link OrderState}: an older or newer application's view of the same table. */
    public enum LegacyOrderState {
        /** Known to both. */
        PENDING,
        /** Unknown to {@link OrderState}. */
        ARCHIVED
    }

    /** A fresh store whose timestamps follow {@code clock}. */
    protected abstract StateStore createStore(MutableClock clock);

    /** Threads of the concurrency tests (16 by default); the store must serve that many at once. */
    protected int concurrency() {
        return 16;
    }

    /** Orders of the conflicting-transitions test (1,000 by default). */
    protected int conflictOrders() {
        return 1000;
    }

    @BeforeEach
    void setUpStore() {
        clock = MutableClock.at(START);
        store = createStore(clock);
        type = "order-" + run;
        machine = OrderMachine.create(type);
        orders = StateTransitions.builder(machine, store).clock(clock).build();
    }

    protected String id(String name) {
        return "ord_" + name + "_" + run;
    }

    private TransitionResult<OrderState> move(String order, OrderState to, String eventId, long second) {
        return move(order, to, eventId, second, EventSource.WEBHOOK);
    }

    private TransitionResult<OrderState> move(String order, OrderState to, String eventId, long second,
            EventSource source) {
        return store.transition(type, order, machine.sourcesOf(to), to, eventId, T0.plusSeconds(second), source);
    }

    // --- creation and reading -------------------------------------------------------------

    @Test
    void createsEntityInInitialStateOnce() {
        assertThat(store.create(type, id("new"), PENDING)).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.create(type, id("new"), PAID)).isFalse();

        EntityState<OrderState> row = store.find(type, id("new"), OrderState.class).orElseThrow();
        assertThat(row.state()).isEqualTo(PENDING);
        assertThat(row.previousState()).isNull();
        assertThat(row.version()).isZero();
        assertThat(row.lastEventId()).isNull();
        assertThat(row.lastEventCreated()).isNull();
        assertThat(row.createdAt()).isEqualTo(START);
        assertThat(row.updatedAt()).isEqualTo(START);
        assertThat(store.history(type, id("new"), OrderState.class)).isEmpty();
    }

    @Test
    void findOfUnknownEntityIsEmptyAndTypesAreSeparate() {
        store.create(type, id("typed"), PENDING);

        assertThat(store.find(type, id("nothing"), OrderState.class)).isEmpty();
        assertThat(store.find(type + "-other", id("typed"), OrderState.class)).isEmpty();
    }

    // --- single transitions ---------------------------------------------------------------

    @Test
    void appliesAllowedTransitionAndRemembersTheEvent() {
        store.create(type, id("apply"), PENDING);
        clock.advance(Duration.ofSeconds(5));

        TransitionResult<OrderState> r = move(id("apply"), PENDING_PAYMENT, "evt_created", 1);

        assertThat(r.status()).isEqualTo(Status.APPLIED);
        assertThat(r.previous()).isEqualTo(PENDING);
        assertThat(r.current()).isEqualTo(PENDING_PAYMENT);
        assertThat(r.requested()).isEqualTo(PENDING_PAYMENT);
        assertThat(r.version()).isEqualTo(1);
        EntityState<OrderState> row = store.find(type, id("apply"), OrderState.class).orElseThrow();
        assertThat(row.state()).isEqualTo(PENDING_PAYMENT);
        assertThat(row.previousState()).isEqualTo(PENDING);
        assertThat(row.version()).isEqualTo(1);
        assertThat(row.lastEventId()).isEqualTo("evt_created");
        assertThat(row.lastEventCreated()).isEqualTo(T0.plusSeconds(1));
        assertThat(row.createdAt()).isEqualTo(START);
        assertThat(row.updatedAt()).isEqualTo(START.plusSeconds(5));
    }

    @Test
    void appliesFromAnyOfSeveralSourceStates() {
        store.create(type, id("multi"), PENDING);
        move(id("multi"), PENDING_PAYMENT, "evt_1", 1);
        move(id("multi"), PAYMENT_FAILED, "evt_2", 2);

        TransitionResult<OrderState> r = move(id("multi"), CANCELLED, "evt_3", 3);

        assertThat(r.status()).isEqualTo(Status.APPLIED);
        assertThat(r.previous()).isEqualTo(PAYMENT_FAILED);
        assertThat(r.version()).isEqualTo(3);
    }

    @Test
    void duplicateEventIsAlreadyInTargetAndChangesNothing() {
        store.create(type, id("dup"), PENDING);
        move(id("dup"), PENDING_PAYMENT, "evt_created", 1);

        TransitionResult<OrderState> again = move(id("dup"), PENDING_PAYMENT, "evt_created", 1);

        assertThat(again.status()).isEqualTo(Status.ALREADY_IN_TARGET);
        assertThat(again.previous()).isEqualTo(PENDING_PAYMENT);
        assertThat(again.current()).isEqualTo(PENDING_PAYMENT);
        assertThat(again.version()).isEqualTo(1);
        assertThat(store.find(type, id("dup"), OrderState.class).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void invalidTransitionChangesNothing() {
        store.create(type, id("invalid"), PENDING);

        TransitionResult<OrderState> r = move(id("invalid"), PAID, "evt_paid", 2);

        assertThat(r.status()).isEqualTo(Status.INVALID_TRANSITION);
        assertThat(r.previous()).isEqualTo(PENDING);
        assertThat(r.current()).isEqualTo(PENDING);
        assertThat(r.version()).isZero();
        EntityState<OrderState> row = store.find(type, id("invalid"), OrderState.class).orElseThrow();
        assertThat(row.state()).isEqualTo(PENDING);
        assertThat(row.lastEventId()).isNull();
    }

    @Test
    void terminalStateIsNeverLeft() {
        store.create(type, id("terminal"), PENDING);
        move(id("terminal"), CANCELLED, "evt_cancel", 1);

        assertThat(move(id("terminal"), PENDING_PAYMENT, "evt_created", 5).status()).isEqualTo(Status.INVALID_TRANSITION);
        assertThat(move(id("terminal"), PAID, "evt_paid", 6).status()).isEqualTo(Status.INVALID_TRANSITION);
        assertThat(store.find(type, id("terminal"), OrderState.class).orElseThrow().state()).isEqualTo(CANCELLED);
    }

    @Test
    void unknownEntityIsNotFoundAndTheAttemptIsRecorded() {
        TransitionResult<OrderState> r = move(id("ghost"), PAID, "evt_paid", 2);

        assertThat(r.status()).isEqualTo(Status.NOT_FOUND);
        assertThat(r.previous()).isNull();
        assertThat(r.current()).isNull();
        assertThat(store.find(type, id("ghost"), OrderState.class)).isEmpty();
        List<TransitionRecord<OrderState>> history = store.history(type, id("ghost"), OrderState.class);
        assertThat(history).singleElement().satisfies(h -> {
            assertThat(h.result()).isEqualTo(Status.NOT_FOUND);
            assertThat(h.fromState()).isNull();
            assertThat(h.toState()).isEqualTo(PAID);
        });
    }

    @Test
    void entityCreatedAfterANotFoundAttemptKeepsThatHistory() {
        move(id("late-create"), PENDING_PAYMENT, "evt_created", 1);
        store.create(type, id("late-create"), PENDING);

        assertThat(move(id("late-create"), PENDING_PAYMENT, "evt_created", 1).status()).isEqualTo(Status.APPLIED);
        assertThat(store.history(type, id("late-create"), OrderState.class)).extracting(TransitionRecord::result)
                .containsExactly(Status.NOT_FOUND, Status.APPLIED);
    }

    // --- out of order ---------------------------------------------------------------------

    @Test
    void staleEventNeverMovesAnEntityBackwards() {
        store.create(type, id("stale"), PENDING);
        move(id("stale"), PENDING_PAYMENT, "evt_created", 1);
        move(id("stale"), PAYMENT_FAILED, "evt_failed", 10);

        // payment_failed -> pending_payment is a declared edge, but this event is older than the failure.
        TransitionResult<OrderState> late = move(id("stale"), PENDING_PAYMENT, "evt_processing", 5);

        assertThat(late.status()).isEqualTo(Status.STALE_EVENT);
        assertThat(late.current()).isEqualTo(PAYMENT_FAILED);
        EntityState<OrderState> row = store.find(type, id("stale"), OrderState.class).orElseThrow();
        assertThat(row.state()).isEqualTo(PAYMENT_FAILED);
        assertThat(row.lastEventId()).isEqualTo("evt_failed");
        assertThat(row.version()).isEqualTo(2);
    }

    @Test
    void oldEventAgainstAnEntityThatMovedOnIsStaleNotInvalid() {
        store.create(type, id("moved-on"), PENDING);
        move(id("moved-on"), PENDING_PAYMENT, "evt_created", 1);
        move(id("moved-on"), PAID, "evt_paid", 3);

        assertThat(move(id("moved-on"), PAYMENT_FAILED, "evt_failed", 2).status()).isEqualTo(Status.STALE_EVENT);
    }

    @Test
    void eventOfTheSameSecondAsTheLastOneIsNotStale() {
        store.create(type, id("same-second"), PENDING);
        move(id("same-second"), PENDING_PAYMENT, "evt_created", 1);

        assertThat(move(id("same-second"), PAID, "evt_paid", 1).status()).isEqualTo(Status.APPLIED);
    }

    @Test
    void newerEventFindingTheTargetMakesOlderEventsStale() {
        store.create(type, id("confirm"), PENDING);
        move(id("confirm"), PENDING_PAYMENT, "evt_created", 1);

        TransitionResult<OrderState> processing = move(id("confirm"), PENDING_PAYMENT, "evt_processing", 3);
        TransitionResult<OrderState> lateFailure = move(id("confirm"), PAYMENT_FAILED, "evt_failed", 2);

        assertThat(processing.status()).isEqualTo(Status.ALREADY_IN_TARGET);
        assertThat(lateFailure.status()).isEqualTo(Status.STALE_EVENT);
        EntityState<OrderState> row = store.find(type, id("confirm"), OrderState.class).orElseThrow();
        assertThat(row.state()).isEqualTo(PENDING_PAYMENT);
        assertThat(row.version()).isEqualTo(1);
        assertThat(row.lastEventId()).isEqualTo("evt_processing");
        assertThat(row.lastEventCreated()).isEqualTo(T0.plusSeconds(3));
        assertThat(row.updatedAt()).isEqualTo(START);
    }

    @Test
    void olderEventFindingTheTargetLeavesTheLastEventAlone() {
        store.create(type, id("older-dup"), PENDING);
        move(id("older-dup"), PENDING_PAYMENT, "evt_processing", 3);

        assertThat(move(id("older-dup"), PENDING_PAYMENT, "evt_created", 1).status()).isEqualTo(Status.ALREADY_IN_TARGET);
        assertThat(store.find(type, id("older-dup"), OrderState.class).orElseThrow().lastEventId())
                .isEqualTo("evt_processing");
    }

    @Test
    void everyDeliveryOrderOfAConvergentStoryEndsInTheInOrderState() {
        int checked = 0;
        for (OrderScenario scenario : OrderScenario.convergent()) {
            List<List<OrderEvent>> orders = scenario.permutations();
            for (int p = 0; p < orders.size(); p++) {
                String order = id(scenario.name() + "-" + p);
                this.orders.create(order);
                OrderDelivery.Result result = OrderDelivery.deliver(this.orders, order, orders.get(p), T0,
                        "evt_" + run + "_" + scenario.name() + "_" + p + "_");
                assertThat(result.finalState()).as("%s delivered as %s", scenario.name(), orders.get(p))
                        .contains(scenario.inOrderFinal());
                assertThat(result.stillRetrying()).as("%s delivered as %s", scenario.name(), orders.get(p)).isEmpty();
                assertOneAppliedRowPerChange(order);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(2 + 24 + 2 + 2 + 6 + 6 + 24 + 24);
    }

    @Test
    void failureAndRetryInOneSecondCannotConvergeAndTheStoreSaysWhy() {
        OrderScenario scenario = OrderScenario.nonConvergent().get(0);
        Map<OrderState, List<List<OrderEvent>>> byFinal = deliverEveryOrder(scenario);

        assertThat(byFinal.keySet()).containsExactlyInAnyOrder(PAID, PAYMENT_FAILED);
        assertThat(byFinal.get(PAID)).contains(scenario.events());
        // When processing@2 is seen before payment_failed@2, the failure wins and succeeded stays early.
        String order = id("one-second-witness");
        this.orders.create(order);
        List<OrderEvent> witness = List.of(OrderEvent.created(1), OrderEvent.processing(2), OrderEvent.failed(2),
                OrderEvent.succeeded(3));
        OrderDelivery.Result r = OrderDelivery.deliver(orders, order, witness, T0, "evt_" + run + "_w_");
        assertThat(r.finalState()).contains(PAYMENT_FAILED);
        assertThat(r.stillRetrying()).containsExactly(OrderEvent.succeeded(3));
        List<TransitionRecord<OrderState>> history = orders.history(order);
        assertThat(history).extracting(h -> h.toState() + ":" + h.result()).containsExactly(
                "PENDING_PAYMENT:APPLIED", "PENDING_PAYMENT:ALREADY_IN_TARGET", "PAYMENT_FAILED:APPLIED",
                "PAID:INVALID_TRANSITION", "PAID:INVALID_TRANSITION");
        clock.advance(Duration.ofHours(2));
        assertThat(orders.stuck(Duration.ofHours(1), 10_000)).extracting(EntityState::entityId).contains(order);
    }

    @Test
    void disputeSeenBeforeAnOlderRefundCannotConvergeAndTheStoreSaysWhy() {
        OrderScenario scenario = OrderScenario.nonConvergent().get(1);
        Map<OrderState, List<List<OrderEvent>>> byFinal = deliverEveryOrder(scenario);

        assertThat(byFinal.keySet()).containsExactlyInAnyOrder(REFUNDED, DISPUTED);
        assertThat(byFinal.get(REFUNDED)).contains(scenario.events());
        String order = id("dispute-witness");
        this.orders.create(order);
        List<OrderEvent> witness = List.of(OrderEvent.created(1), OrderEvent.succeeded(2), OrderEvent.disputeCreated(4),
                OrderEvent.refunded(3));
        OrderDelivery.Result r = OrderDelivery.deliver(orders, order, witness, T0, "evt_" + run + "_d_");
        assertThat(r.finalState()).contains(DISPUTED);
        assertThat(r.stillRetrying()).isEmpty();
        assertThat(orders.history(order)).last().satisfies(h -> {
            assertThat(h.toState()).isEqualTo(REFUNDED);
            assertThat(h.result()).isEqualTo(Status.STALE_EVENT);
        });
    }

    private Map<OrderState, List<List<OrderEvent>>> deliverEveryOrder(OrderScenario scenario) {
        Map<OrderState, List<List<OrderEvent>>> byFinal = new java.util.EnumMap<>(OrderState.class);
        List<List<OrderEvent>> permutations = scenario.permutations();
        for (int p = 0; p < permutations.size(); p++) {
            String order = id(scenario.name() + "-" + p);
            orders.create(order);
            OrderDelivery.Result r = OrderDelivery.deliver(orders, order, permutations.get(p), T0,
                    "evt_" + run + "_" + scenario.name() + "_" + p + "_");
            byFinal.computeIfAbsent(r.finalState().orElseThrow(), k -> new ArrayList<>()).add(permutations.get(p));
            assertOneAppliedRowPerChange(order);
        }
        return byFinal;
    }

    private void assertOneAppliedRowPerChange(String order) {
        EntityState<OrderState> row = orders.find(order).orElseThrow();
        assertThat(orders.history(order)).filteredOn(TransitionRecord::applied).hasSize((int) row.version());
    }

    // --- history --------------------------------------------------------------------------

    @Test
    void historyRecordsEveryAttemptWithResultEventAndSource() {
        String order = id("history");
        store.create(type, order, PENDING);
        move(order, PENDING_PAYMENT, "evt_a", 1, EventSource.WEBHOOK);
        clock.advance(Duration.ofSeconds(1));
        move(order, PAID, "evt_b", 3, EventSource.REPLAY);
        clock.advance(Duration.ofSeconds(1));
        move(order, PAYMENT_FAILED, "evt_c", 2, EventSource.RECOVERY);
        clock.advance(Duration.ofSeconds(1));
        move(order, PAID, "evt_b", 3, EventSource.RECONCILIATION);
        move(order, RELEASED, "evt_d", 9, EventSource.WEBHOOK);

        List<TransitionRecord<OrderState>> history = store.history(type, order, OrderState.class);

        assertThat(history).extracting(TransitionRecord::eventId).containsExactly("evt_a", "evt_b", "evt_c", "evt_b", "evt_d");
        assertThat(history).extracting(TransitionRecord::result).containsExactly(Status.APPLIED, Status.APPLIED,
                Status.STALE_EVENT, Status.ALREADY_IN_TARGET, Status.INVALID_TRANSITION);
        assertThat(history).extracting(TransitionRecord::fromState).containsExactly(PENDING, PENDING_PAYMENT, PAID, PAID, PAID);
        assertThat(history).extracting(TransitionRecord::toState)
                .containsExactly(PENDING_PAYMENT, PAID, PAYMENT_FAILED, PAID, RELEASED);
        assertThat(history).extracting(TransitionRecord::eventCreated).containsExactly(T0.plusSeconds(1),
                T0.plusSeconds(3), T0.plusSeconds(2), T0.plusSeconds(3), T0.plusSeconds(9));
        assertThat(history).extracting(TransitionRecord::source).containsExactly(EventSource.WEBHOOK,
                EventSource.REPLAY, EventSource.RECOVERY, EventSource.RECONCILIATION, EventSource.WEBHOOK);
        assertThat(history).extracting(TransitionRecord::recordedAt).containsExactly(START, START.plusSeconds(1),
                START.plusSeconds(2), START.plusSeconds(3), START.plusSeconds(3));
        assertThat(history).allSatisfy(h -> {
            assertThat(h.entityType()).isEqualTo(type);
            assertThat(h.entityId()).isEqualTo(order);
        });
        assertThat(history).extracting(TransitionRecord::sequence).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void historyIsPerEntity() {
        store.create(type, id("h1"), PENDING);
        store.create(type, id("h2"), PENDING);
        move(id("h1"), PENDING_PAYMENT, "evt_1", 1);
        move(id("h2"), CANCELLED, "evt_2", 1);
        move(id("h1"), PAID, "evt_3", 2);

        assertThat(store.history(type, id("h1"), OrderState.class)).extracting(TransitionRecord::eventId)
                .containsExactly("evt_1", "evt_3");
        assertThat(store.history(type, id("h2"), OrderState.class)).extracting(TransitionRecord::eventId)
                .containsExactly("evt_2");
        assertThat(store.history(type, id("h3"), OrderState.class)).isEmpty();
    }

    @Test
    void purgeHistoryDeletesOnlyOlderRowsAndKeepsEntities() {
        store.create(type, id("purge"), PENDING);
        move(id("purge"), PENDING_PAYMENT, "evt_old", 1);
        clock.advance(Duration.ofDays(91));
        move(id("purge"), PAID, "evt_new", 2);

        int purged = store.purgeHistory(START.plus(Duration.ofDays(1)));

        assertThat(purged).isGreaterThanOrEqualTo(1);
        assertThat(store.history(type, id("purge"), OrderState.class)).extracting(TransitionRecord::eventId)
                .containsExactly("evt_new");
        assertThat(store.find(type, id("purge"), OrderState.class).orElseThrow().state()).isEqualTo(PAID);
    }

    // --- stuck entities -------------------------------------------------------------------

    @Test
    void stuckQueryListsWaitingEntitiesUnchangedSinceTheThresholdLongestFirst() {
        store.create(type, id("stuck-pending"), PENDING);
        clock.advance(Duration.ofMinutes(10));
        store.create(type, id("stuck-paying"), PENDING);
        move(id("stuck-paying"), PENDING_PAYMENT, "evt_1", 1);
        store.create(type, id("done"), PENDING);
        move(id("done"), CANCELLED, "evt_2", 1);
        clock.advance(Duration.ofMinutes(50));
        store.create(type, id("fresh"), PENDING);
        clock.advance(Duration.ofMinutes(30));

        List<EntityState<OrderState>> stuck = orders.stuck(Duration.ofHours(1), 100);

        assertThat(stuck).extracting(EntityState::entityId).containsExactly(id("stuck-pending"), id("stuck-paying"));
        assertThat(stuck.get(1).state()).isEqualTo(PENDING_PAYMENT);
        assertThat(orders.stuck(Duration.ofHours(1), 1)).extracting(EntityState::entityId)
                .containsExactly(id("stuck-pending"));
        assertThat(store.findStuck(type, OrderState.class, EnumSet.of(CANCELLED), START.plus(Duration.ofDays(1)), 10))
                .extracting(EntityState::entityId).containsExactly(id("done"));
        assertThat(store.findStuck(type + "-other", OrderState.class, machine.waitingStates(),
                START.plus(Duration.ofDays(1)), 10)).isEmpty();
    }

    @Test
    void transitionRestartsTheStuckClock() {
        store.create(type, id("restart"), PENDING);
        clock.advance(Duration.ofHours(2));
        move(id("restart"), PENDING_PAYMENT, "evt_1", 1);

        assertThat(orders.stuck(Duration.ofHours(1), 10)).isEmpty();
        clock.advance(Duration.ofHours(1).plusMillis(1));
        assertThat(orders.stuck(Duration.ofHours(1), 10)).extracting(EntityState::entityId).containsExactly(id("restart"));
    }

    // --- bad input ------------------------------------------------------------------------

    @Test
    void unknownStoredStateIsATypedErrorAndNothingIsWritten() {
        String order = id("legacy");
        store.create(type, order, LegacyOrderState.ARCHIVED);

        assertThatThrownBy(() -> move(order, CANCELLED, "evt_cancel", 1))
                .isInstanceOf(UnknownStateException.class)
                .hasMessageContaining("'archived' is not a state of OrderState")
                .satisfies(e -> assertThat(((UnknownStateException) e).reason()).isEqualTo("unknown_state"));
        assertThatThrownBy(() -> store.find(type, order, OrderState.class)).isInstanceOf(UnknownStateException.class);

        EntityState<LegacyOrderState> row = store.find(type, order, LegacyOrderState.class).orElseThrow();
        assertThat(row.state()).isEqualTo(LegacyOrderState.ARCHIVED);
        assertThat(row.version()).isZero();
        assertThat(row.lastEventId()).isNull();
        assertThat(store.history(type, order, LegacyOrderState.class)).isEmpty();
    }

    @Test
    void unknownStateInHistoryIsATypedError() {
        String order = id("legacy-history");
        store.create(type, order, LegacyOrderState.PENDING);
        store.transition(type, order, EnumSet.of(LegacyOrderState.PENDING), LegacyOrderState.ARCHIVED, "evt_archive",
                T0, EventSource.WEBHOOK);

        assertThatThrownBy(() -> store.history(type, order, OrderState.class)).isInstanceOf(UnknownStateException.class);
        assertThat(store.history(type, order, LegacyOrderState.class)).singleElement()
                .satisfies(h -> assertThat(h.toState()).isEqualTo(LegacyOrderState.ARCHIVED));
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        String order = id("bad-args");
        store.create(type, order, PENDING);
        Set<OrderState> fromPending = EnumSet.of(PENDING);

        assertThatThrownBy(() -> store.transition(type, order, EnumSet.noneOf(OrderState.class), PAID, "evt_x", T0,
                EventSource.WEBHOOK)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from is empty");
        assertThatThrownBy(() -> store.transition(type, order, EnumSet.of(PENDING, PENDING_PAYMENT), PENDING_PAYMENT,
                "evt_x", T0, EventSource.WEBHOOK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.transition(type, " ", fromPending, PENDING_PAYMENT, "evt_x", T0,
                EventSource.WEBHOOK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.transition(type, "o".repeat(256), fromPending, PENDING_PAYMENT, "evt_x", T0,
                EventSource.WEBHOOK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.transition(type, order, fromPending, PENDING_PAYMENT, "e".repeat(256), T0,
                EventSource.WEBHOOK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create("t".repeat(65), order, PENDING)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.findStuck(type, OrderState.class, fromPending, START, 0))
                .isInstanceOf(IllegalArgumentException.class);

        EntityState<OrderState> row = store.find(type, order, OrderState.class).orElseThrow();
        assertThat(row.state()).isEqualTo(PENDING);
        assertThat(row.version()).isZero();
        assertThat(store.history(type, order, OrderState.class)).isEmpty();
    }

    @Test
    void longestAllowedIdsAndUnicodeAreKept() {
        String order = "ö" + "o".repeat(254);
        String event = "é" + "e".repeat(254);
        store.create(type, order, PENDING);

        assertThat(store.transition(type, order, EnumSet.of(PENDING), PENDING_PAYMENT, event, T0, EventSource.WEBHOOK)
                .status()).isEqualTo(Status.APPLIED);
        assertThat(store.find(type, order, OrderState.class).orElseThrow().lastEventId()).isEqualTo(event);
        assertThat(store.history(type, order, OrderState.class)).singleElement()
                .satisfies(h -> assertThat(h.eventId()).isEqualTo(event));
    }

    // --- concurrency ----------------------------------------------------------------------

    @Test
    void concurrentIdenticalTransitionsApplyOnce() throws Exception {
        String order = id("same-race");
        store.create(type, order, PENDING);
        move(order, PENDING_PAYMENT, "evt_created", 1);

        List<TransitionResult<OrderState>> results = race(concurrency(),
                i -> move(order, PAID, "evt_paid_" + i, 2));

        assertThat(results).filteredOn(TransitionResult::applied).hasSize(1);
        assertThat(results).filteredOn(r -> !r.applied())
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.ALREADY_IN_TARGET));
        assertThat(store.find(type, order, OrderState.class).orElseThrow().version()).isEqualTo(2);
        assertThat(store.history(type, order, OrderState.class)).hasSize(1 + concurrency())
                .filteredOn(TransitionRecord::applied).hasSize(2);
    }

    /**
     * Half the threads pay every order, the other half cancel it, each thread in its own seeded
     * order: every order ends paid or cancelled, moved exactly once, and its history shows exactly
     * one applied change and every losing attempt.
     */
    @Test
    void conflictingTransitionsOnManyOrdersEachApplyExactlyOnce() throws Exception {
        int threads = concurrency();
        int count = conflictOrders();
        List<String> ids = new ArrayList<>();
        for (int o = 0; o < count; o++) {
            String order = id("conflict-" + o);
            ids.add(order);
            store.create(type, order, PENDING);
            assertThat(move(order, PENDING_PAYMENT, "evt_created_" + o, 1).applied()).isTrue();
        }

        List<List<TransitionResult<OrderState>>> perThread = race(threads, t -> {
            List<String> mine = new ArrayList<>(ids);
            Collections.shuffle(mine, new Random(1000L + t));
            OrderState to = t % 2 == 0 ? PAID : CANCELLED;
            List<TransitionResult<OrderState>> results = new ArrayList<>(count);
            for (String order : mine) {
                results.add(move(order, to, "evt_" + to + "_" + t + "_" + order, 2));
            }
            return results;
        });

        List<TransitionResult<OrderState>> all = perThread.stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(threads * count);
        Map<String, List<TransitionResult<OrderState>>> byOrder = all.stream()
                .collect(Collectors.groupingBy(TransitionResult::entityId));
        assertThat(byOrder).hasSize(count);
        for (String order : ids) {
            List<TransitionResult<OrderState>> results = Objects.requireNonNull(byOrder.get(order), order);
            List<TransitionResult<OrderState>> applied = results.stream().filter(TransitionResult::applied).toList();
            assertThat(applied).as("applied transitions of %s", order).hasSize(1);
            OrderState winner = applied.get(0).current();
            assertThat(winner).isIn(PAID, CANCELLED);
            for (TransitionResult<OrderState> r : results) {
                if (!r.applied()) {
                    assertThat(r.status()).as("loser of %s", order)
                            .isEqualTo(r.requested() == winner ? Status.ALREADY_IN_TARGET : Status.INVALID_TRANSITION);
                }
            }
            EntityState<OrderState> row = store.find(type, order, OrderState.class).orElseThrow();
            assertThat(row.state()).isEqualTo(winner);
            assertThat(row.version()).isEqualTo(2);
            List<TransitionRecord<OrderState>> history = store.history(type, order, OrderState.class);
            assertThat(history).hasSize(1 + threads);
            assertThat(history).filteredOn(TransitionRecord::applied).hasSize(2)
                    .extracting(TransitionRecord::toState).containsExactly(PENDING_PAYMENT, winner);
            assertThat(history.get(history.size() - 1).sequence()).isGreaterThan(history.get(0).sequence());
            assertThat(row.lastEventId()).isEqualTo(history.stream().filter(h -> h.applied() && h.toState() == winner)
                    .findFirst().orElseThrow().eventId());
        }
        assertThat(all.stream().filter(TransitionResult::applied).count()).isEqualTo(count);
    }

    /** Runs {@code task} on {@code threads} threads released together; returns results in thread order. */
    protected <T> List<T> race(int threads, Race.Task<T> task) throws Exception {
        return Race.run(threads, task);
    }
}
