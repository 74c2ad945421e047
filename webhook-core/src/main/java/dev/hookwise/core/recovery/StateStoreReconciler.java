package dev.hookwise.core.recovery;

import com.stripe.StripeClient;
import com.stripe.model.StripeObject;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.HookwiseException;
import dev.hookwise.core.internal.StripeObjectFetcher;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.Reconciler;
import dev.hookwise.core.spi.ReconciliationReport.Action;
import dev.hookwise.core.spi.ReconciliationReport;
import dev.hookwise.core.spi.state.EntityState;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.spi.state.TransitionResult;
import dev.hookwise.core.state.StateMachine;
import dev.hookwise.core.state.StateNames;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles entities of one {@link StateMachine} against Stripe: for every entity in a
 * non-terminal state, and every entity whose state changed in the window, it fetches the Stripe
 * object the entity belongs to, asks a user-supplied mapping which local state that object implies,
 * and when the two differ moves the entity along the declared edge with source
 * {@link EventSource#RECONCILIATION} (the history records it). Drift with no declared edge is
 * reported, not forced.
 *
 * <pre>{@code
 * StateStoreReconciler<OrderState> orders = StateStoreReconciler.builder(ORDERS, stateStore, stripe)
 *         .locator(order -> orderRepository.paymentIntentOf(order.entityId()).map(StripeObjectRef::paymentIntent))
 *         .expectedState((object, current) -> switch (((PaymentIntent) object).getStatus()) {
 *             case "succeeded" -> Optional.of(OrderState.PAID);
 *             case "canceled" -> Optional.of(OrderState.CANCELLED);
 *             default -> Optional.empty();   // no opinion
 *         })
 *         .build();
 * }</pre>
 *
 * @param <S> the state enum
 */
public final class StateStoreReconciler<S extends Enum<S>> implements Reconciler {
    private static final Logger log = LoggerFactory.getLogger(StateStoreReconciler.class);

    private final StateMachine<S> machine;
    private final StateStore store;
    private final StripeObjectFetcher fetcher;
    private final Function<EntityState<S>, Optional<StripeObjectRef>> locator;
    private final BiFunction<StripeObject, S, Optional<S>> expectedState;
    private final StripeApiRetry retry;
    private final Clock clock;
    private final int limit;
    private final String name;

    private StateStoreReconciler(Builder<S> b) {
        this.machine = b.machine;
        this.store = b.store;
        this.fetcher = new StripeObjectFetcher(b.client);
        this.locator = Objects.requireNonNull(b.locator, "locator"); // build() checked both
        this.expectedState = Objects.requireNonNull(b.expectedState, "expectedState");
        this.retry = b.retry;
        this.clock = b.clock;
        this.limit = b.limit;
        this.name = b.name != null ? b.name : machine.entityType();
    }

    public static <S extends Enum<S>> Builder<S> builder(StateMachine<S> machine, StateStore store, StripeClient client) {
        return new Builder<>(machine, store, client);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ReconciliationReport reconcile(Instant from, Instant to) {
        Instant now = clock.instant();
        Map<String, EntityState<S>> entities = new LinkedHashMap<>();
        Instant everything = now.plusSeconds(1);
        for (EntityState<S> e : store.findStuck(machine.entityType(), machine.stateType(), machine.nonTerminalStates(),
                everything, limit)) {
            entities.put(e.entityId(), e);
        }
        if (!machine.terminalStates().isEmpty()) {
            for (EntityState<S> e : store.findStuck(machine.entityType(), machine.stateType(), machine.terminalStates(),
                    to, limit)) {
                if (!e.updatedAt().isBefore(from)) {
                    entities.putIfAbsent(e.entityId(), e);
                }
            }
        }
        int checked = 0;
        int drift = 0;
        int corrected = 0;
        List<ReconciliationReport.Item> items = new ArrayList<>();
        for (EntityState<S> entity : entities.values()) {
            ReconciliationReport.Item item = reconcileOne(entity, now);
            checked++;
            if (item == null) {
                continue;
            }
            items.add(item);
            if (item.action() != Action.FAILED) {
                drift++;
            }
            if (item.action() == Action.CORRECTED) {
                corrected++;
            }
        }
        log.info("reconciliation {}: checked {}, drift {}, corrected {}, failed {}", name, checked, drift, corrected,
                items.stream().filter(i -> i.action() == Action.FAILED).count());
        return new ReconciliationReport(name, from, to, checked, drift, corrected, items, clock.instant());
    }

    /** Null when the entity matches Stripe (or the mapping has no opinion). */
    private ReconciliationReport.@Nullable Item reconcileOne(EntityState<S> entity, Instant now) {
        String local = StateNames.name(entity.state());
        Optional<StripeObjectRef> ref;
        try {
            ref = locator.apply(entity);
        } catch (RuntimeException e) {
            return item(entity, local, null, Action.FAILED, "locator failed: " + e.getClass().getSimpleName());
        }
        if (ref.isEmpty()) {
            return null;
        }
        StripeObject object;
        try {
            object = retry.call(() -> fetcher.fetch(ref.get().objectType(), ref.get().id()));
        } catch (HookwiseException e) {
            return item(entity, local, null, Action.FAILED, Objects.requireNonNullElse(e.getMessage(), e.toString()));
        }
        Optional<S> expected;
        try {
            expected = expectedState.apply(object, entity.state());
        } catch (RuntimeException e) {
            return item(entity, local, null, Action.FAILED, "expected-state mapping failed: " + e.getClass().getSimpleName());
        }
        if (expected.isEmpty() || expected.get() == entity.state()) {
            return null;
        }
        S target = expected.get();
        String expectedName = StateNames.name(target);
        if (!machine.allowed(entity.state(), target)) {
            return item(entity, local, expectedName, Action.DETECTED,
                    "no declared edge " + local + " -> " + expectedName + "; correct it by hand");
        }
        String eventId = "recon_" + ref.get().id() + "_" + now.getEpochSecond();
        TransitionResult<S> result = store.transition(machine.entityType(), entity.entityId(), Set.of(entity.state()),
                target, eventId, now, EventSource.RECONCILIATION);
        if (result.status() == TransitionResult.Status.APPLIED || result.status() == TransitionResult.Status.ALREADY_IN_TARGET) {
            return item(entity, local, expectedName, Action.CORRECTED, "moved " + local + " -> " + expectedName
                    + " to match " + ref.get().objectType() + " " + ref.get().id());
        }
        return item(entity, local, expectedName, Action.DETECTED, "correction refused by the store: " + result.status());
    }

    private ReconciliationReport.Item item(EntityState<S> e, String local, @Nullable String expected, Action action,
            String detail) {
        return new ReconciliationReport.Item(e.entityType(), e.entityId(), local, expected, action, detail);
    }

    /** Builder for {@link StateStoreReconciler}. */
    public static final class Builder<S extends Enum<S>> {
        private final StateMachine<S> machine;
        private final StateStore store;
        private final StripeClient client;
        private @Nullable Function<EntityState<S>, Optional<StripeObjectRef>> locator;
        private @Nullable BiFunction<StripeObject, S, Optional<S>> expectedState;
        private StripeApiRetry retry = StripeApiRetry.defaults();
        private Clock clock = Clock.systemUTC();
        private int limit = 10_000;
        private @Nullable String name;

        private Builder(StateMachine<S> machine, StateStore store, StripeClient client) {
            this.machine = Objects.requireNonNull(machine, "machine");
            this.store = Objects.requireNonNull(store, "store");
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Which Stripe object an entity belongs to; empty to skip the entity. */
        public Builder<S> locator(Function<EntityState<S>, Optional<StripeObjectRef>> value) {
            this.locator = Objects.requireNonNull(value, "locator");
            return this;
        }

        /** The local state a Stripe object implies, given the current one; empty for "no opinion". */
        public Builder<S> expectedState(BiFunction<StripeObject, S, Optional<S>> value) {
            this.expectedState = Objects.requireNonNull(value, "expectedState");
            return this;
        }

        public Builder<S> retry(StripeApiRetry value) {
            this.retry = Objects.requireNonNull(value, "retry");
            return this;
        }

        public Builder<S> clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Most entities checked per run. */
        public Builder<S> limit(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("reconciliation limit must be >= 1, but was " + value);
            }
            this.limit = value;
            return this;
        }

        /** The name in reports (default: the machine's entity type). */
        public Builder<S> name(String value) {
            this.name = Objects.requireNonNull(value, "name");
            return this;
        }

        public StateStoreReconciler<S> build() {
            if (locator == null || expectedState == null) {
                throw new HookwiseConfigurationException("a StateStoreReconciler needs locator(...) to find each entity's"
                        + " Stripe object and expectedState(...) to map that object to a local state");
            }
            return new StateStoreReconciler<>(this);
        }
    }
}
