package dev.hookwise.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.core.RetryLaterException;
import dev.hookwise.core.TransactionalWebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.spi.state.TransactionalStateStore;
import dev.hookwise.core.spi.state.TransitionRecord;
import dev.hookwise.core.spi.state.TransitionResult.Status;
import dev.hookwise.core.spi.state.TransitionResult;
import dev.hookwise.core.state.Shop.St;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StateTransitionsTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    private InMemoryStateStore store;
    private StateTransitions<St> orders;
    private final List<TransitionResult<St>> heard = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = InMemoryStateStore.create(Clock.fixed(NOW, ZoneOffset.UTC));
        orders = StateTransitions.builder(Shop.machine(), store)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .listener((ctx, r) -> heard.add(r))
                .build();
    }

    @Test
    void movesTheOrderNamedInMetadata() {
        orders.create("ord_1");

        orders.handle(Shop.context("evt_1", "payment_intent.created", 1, "ord_1"));
        orders.handle(Shop.context("evt_2", "payment_intent.succeeded", 2, "ord_1"));

        assertThat(orders.find("ord_1").orElseThrow().state()).isEqualTo(St.PAID);
        assertThat(orders.history("ord_1")).extracting(TransitionRecord::eventId).containsExactly("evt_1", "evt_2");
        assertThat(orders.counts()).containsEntry(Status.APPLIED, 2L).containsEntry(Status.INVALID_TRANSITION, 0L);
        assertThat(heard).extracting(TransitionResult::status).containsExactly(Status.APPLIED, Status.APPLIED);
    }

    @Test
    void duplicateAndStaleEventsAreAcknowledged() {
        orders.create("ord_1");
        orders.handle(Shop.context("evt_1", "payment_intent.created", 1, "ord_1"));
        orders.handle(Shop.context("evt_3", "payment_intent.canceled", 3, "ord_1"));

        assertThatCode(() -> orders.handle(Shop.context("evt_3", "payment_intent.canceled", 3, "ord_1")))
                .doesNotThrowAnyException();
        // Older than the cancellation, and cancelled is terminal: stale, acknowledged.
        assertThatCode(() -> orders.handle(Shop.context("evt_2", "payment_intent.succeeded", 2, "ord_1")))
                .doesNotThrowAnyException();

        assertThat(orders.find("ord_1").orElseThrow().state()).isEqualTo(St.CANCELLED);
        assertThat(orders.counts()).containsEntry(Status.ALREADY_IN_TARGET, 1L).containsEntry(Status.STALE_EVENT, 1L);
    }

    @Test
    void earlyEventIsRetriedLaterWhenTheRuleSaysSo() {
        orders.create("ord_1");

        assertThatThrownBy(() -> orders.handle(Shop.context("evt_2", "payment_intent.succeeded", 2, "ord_1")))
                .isInstanceOf(RetryLaterException.class)
                .hasMessageContaining("order ord_1 is new, not yet in a state it can move to paid from");

        assertThat(orders.retriesRequested()).isEqualTo(1);
        assertThat(orders.history("ord_1")).singleElement()
                .satisfies(h -> assertThat(h.result()).isEqualTo(Status.INVALID_TRANSITION));
        assertThat(orders.find("ord_1").orElseThrow().state()).isEqualTo(St.NEW);
    }

    @Test
    void earlyEventIsRecordedAndAcknowledgedWhenTheRuleSaysSo() {
        orders.create("ord_1");

        assertThatCode(() -> orders.handle(Shop.context("evt_2", "payment_intent.payment_failed", 2, "ord_1")))
                .doesNotThrowAnyException();

        assertThat(orders.retriesRequested()).isZero();
        assertThat(orders.history("ord_1")).singleElement()
                .satisfies(h -> assertThat(h.result()).isEqualTo(Status.INVALID_TRANSITION));
    }

    @Test
    void eventThatCanNeverApplyIsAcknowledgedNotRetried() {
        orders.create("ord_1");
        orders.handle(Shop.context("evt_1", "payment_intent.canceled", 1, "ord_1"));

        assertThatCode(() -> orders.handle(Shop.context("evt_2", "payment_intent.succeeded", 2, "ord_1")))
                .doesNotThrowAnyException();

        assertThat(orders.retriesRequested()).isZero();
        assertThat(orders.counts()).containsEntry(Status.INVALID_TRANSITION, 1L);
    }

    @Test
    void missingEntityIsRetriedLaterOrAcknowledgedPerRule() {
        assertThatThrownBy(() -> orders.handle(Shop.context("evt_1", "payment_intent.created", 1, "ord_ghost")))
                .isInstanceOf(RetryLaterException.class).hasMessageContaining("does not exist (yet)");

        StateTransitions<St> lenient = StateTransitions.of(Shop.edges().entityId(EntityIdResolver.metadata("order_id"))
                .rule(TransitionRule.on("payment_intent.created", St.PAYING).ifMissing(EarlyEventPolicy.RECORD_AND_ACKNOWLEDGE))
                .build(), store);
        assertThatCode(() -> lenient.handle(Shop.context("evt_1", "payment_intent.created", 1, "ord_ghost")))
                .doesNotThrowAnyException();
        assertThat(store.history("order", "ord_ghost", St.class)).extracting(TransitionRecord::result)
                .containsExactly(Status.NOT_FOUND, Status.NOT_FOUND);
    }

    @Test
    void eventWithoutTheEntityIdFailsPermanentlyAndWritesNothing() {
        orders.create("ord_1");

        assertThatThrownBy(() -> orders.handle(Shop.context("evt_1", "payment_intent.created", 1, null)))
                .isInstanceOf(MissingEntityIdException.class)
                .isInstanceOf(PermanentWebhookFailure.class)
                .hasMessageContaining("event evt_1 (payment_intent.created) names no order: looked in data.object.metadata.order_id");

        assertThat(orders.history("ord_1")).isEmpty();
        assertThat(heard).isEmpty();
        assertThat(orders.counts().values()).containsOnly(0L);
    }

    @Test
    void overlongEntityIdFailsPermanently() {
        assertThatThrownBy(() -> orders.handle(Shop.context("evt_1", "payment_intent.created", 1, "o".repeat(300))))
                .isInstanceOf(PermanentWebhookFailure.class).hasMessageContaining("300 characters");
    }

    @Test
    void targetOutsideTheMachineIsATypedErrorAndWritesNothing() {
        StateTransitions<St> t = StateTransitions.of(Shop.edges().entityId(EntityIdResolver.metadata("order_id"))
                .rule(TransitionRule.on("order.archived", St.class, ctx -> Optional.of(St.ARCHIVED))).build(), store);
        t.create("ord_1");

        assertThatThrownBy(() -> t.handle(Shop.context("evt_1", "order.archived", 1, "ord_1")))
                .isInstanceOf(UndeclaredTransitionException.class).hasMessageContaining("'archived'");
        assertThatThrownBy(() -> t.transition("ord_1", St.ARCHIVED, "evt_x", Shop.T0, EventSource.WEBHOOK))
                .isInstanceOf(UndeclaredTransitionException.class);
        assertThatThrownBy(() -> t.create("ord_2", St.ARCHIVED)).isInstanceOf(UndeclaredTransitionException.class);
        assertThat(t.history("ord_1")).isEmpty();
        assertThat(t.find("ord_2")).isEmpty();
    }

    @Test
    void targetResolverFindingNothingMovesNothing() {
        StateTransitions<St> t = StateTransitions.of(Shop.edges().entityId(EntityIdResolver.metadata("order_id"))
                .rule(TransitionRule.on("charge.dispute.closed", St.class, ctx -> Optional.empty())).build(), store);
        t.create("ord_1");

        t.handle(Shop.context("evt_1", "charge.dispute.closed", 1, "ord_1"));

        assertThat(t.history("ord_1")).isEmpty();
    }

    @Test
    void eventTypeWithoutRuleIsIgnored() {
        orders.handle(Shop.context("evt_1", "customer.created", 1, "ord_1"));

        assertThat(heard).isEmpty();
    }

    @Test
    void failingListenerDoesNotChangeTheOutcome() {
        StateTransitions<St> t = StateTransitions.builder(Shop.machine(), store)
                .listener((ctx, r) -> { throw new IllegalStateException("metrics down"); })
                .build();
        t.create("ord_1");

        assertThatCode(() -> t.handle(Shop.context("evt_1", "payment_intent.created", 1, "ord_1"))).doesNotThrowAnyException();
        assertThat(t.find("ord_1").orElseThrow().state()).isEqualTo(St.PAYING);
    }

    @Test
    void stuckListsWaitingOrdersOlderThanTheThreshold() {
        InMemoryStateStore early = InMemoryStateStore.create(Clock.fixed(NOW.minus(Duration.ofHours(3)), ZoneOffset.UTC));
        StateTransitions<St> t = StateTransitions.builder(Shop.machine(), early).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        t.create("ord_waiting");
        t.create("ord_cancelled", St.CANCELLED);
        t.create("ord_shipped", St.SHIPPED);

        assertThat(t.stuck(Duration.ofHours(1), 10)).extracting(s -> s.entityId()).containsExactly("ord_waiting");
        assertThat(t.stuck(Duration.ofHours(4), 10)).isEmpty();
        assertThatThrownBy(() -> t.stuck(Duration.ofHours(-1), 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createNeedsAnInitialState() {
        StateTransitions<St> t = StateTransitions.of(StateMachine.builder("order", St.class)
                .allow(St.NEW, St.PAYING).build(), store);

        assertThatThrownBy(() -> t.create("ord_1")).isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("no initial state");
        assertThatThrownBy(() -> t.registerAll(HandlerRegistry.builder()))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("no rules");
    }

    /** Through the pipeline: an early event is answered 422 and succeeds once its prerequisite happened. */
    @Test
    void earlyEventIsAnswered422ByTheProcessorAndProcessedOnRedelivery() {
        WebhookProcessor processor = WebhookProcessor.builder()
                .signingSecrets("whsec_test_secret_0123456789")
                .handlers(orders.registerAll(HandlerRegistry.builder()).build())
                .clock(Clock.fixed(Shop.T0.plusSeconds(60), ZoneOffset.UTC))
                .build();
        orders.create("ord_1");

        var early = processor.processVerified(Shop.envelope("evt_2", "payment_intent.succeeded", 2, "ord_1"),
                EventSource.WEBHOOK);
        assertThat(early.outcome()).isEqualTo(Outcome.RETRY_LATER);
        assertThat(early.status()).isEqualTo(422);
        assertThat(processor.store().find("evt_2").orElseThrow().status()).isEqualTo(EventStatus.FAILED);

        assertThat(processor.processVerified(Shop.envelope("evt_1", "payment_intent.created", 1, "ord_1"),
                EventSource.WEBHOOK).outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(processor.processVerified(Shop.envelope("evt_2", "payment_intent.succeeded", 2, "ord_1"),
                EventSource.WEBHOOK).outcome()).isEqualTo(Outcome.PROCESSED);

        assertThat(orders.find("ord_1").orElseThrow().state()).isEqualTo(St.PAID);
        assertThat(orders.history("ord_1")).extracting(h -> h.eventId() + ":" + h.result())
                .containsExactly("evt_2:INVALID_TRANSITION", "evt_1:APPLIED", "evt_2:APPLIED");
    }

    @Test
    void eventWithoutEntityIdIsDeadInThePipeline() {
        WebhookProcessor processor = WebhookProcessor.builder()
                .signingSecrets("whsec_test_secret_0123456789")
                .handlers(orders.registerAll(HandlerRegistry.builder()).build())
                .clock(Clock.fixed(Shop.T0.plusSeconds(60), ZoneOffset.UTC))
                .build();

        var answer = processor.processVerified(Shop.envelope("evt_1", "payment_intent.created", 1, null), EventSource.WEBHOOK);

        assertThat(answer.outcome()).isEqualTo(Outcome.FAILED_PERMANENT);
        assertThat(processor.store().find("evt_1").orElseThrow().status()).isEqualTo(EventStatus.DEAD);
    }

    @Test
    void transactionalModeNeedsATransactionalStateStore() {
        assertThatThrownBy(() -> StateTransitions.builder(Shop.machine(), store).transactional(true).build())
                .isInstanceOf(HookwiseConfigurationException.class)
                .hasMessageContaining("InMemoryStateStore is not a TransactionalStateStore")
                .hasMessageContaining("JdbcStateStore on the event log's DataSource");
    }

    @Test
    void transactionalModeRegistersAHandlerThatMovesEntitiesInTheEventsTransaction() throws Exception {
        List<StoreTransaction> joined = new ArrayList<>();
        TransactionalStateStore joinable = new JoinableStore(store, joined);
        StateTransitions<St> inTransaction = StateTransitions.builder(Shop.machine(), joinable).transactional(true).build();
        inTransaction.create("ord_7");
        HandlerRegistry registry = inTransaction.registerAll(HandlerRegistry.builder()).build();
        StoreTransaction transaction = new StoreTransaction() {
            @Override
            public <T> T unwrap(Class<T> type) {
                throw new IllegalArgumentException("not needed");
            }
        };

        assertThat(inTransaction.isTransactional()).isTrue();
        assertThat(registry.hasTransactionalHandlers()).isTrue();
        List<dev.hookwise.core.WebhookHandler> handlers = registry.handlersFor("payment_intent.created");
        assertThat(handlers).hasSize(1).first().isInstanceOf(TransactionalWebhookHandler.class);
        ((TransactionalWebhookHandler) handlers.get(0)).handle(Shop.context("evt_7", "payment_intent.created", 1, "ord_7"),
                transaction);

        assertThat(joined).containsExactly(transaction);
        assertThat(inTransaction.find("ord_7").orElseThrow().state()).isEqualTo(St.PAYING);
        assertThat(inTransaction.counts()).containsEntry(Status.APPLIED, 1L);
        assertThat(orders.isTransactional()).isFalse();
        assertThat(orders.registerAll(HandlerRegistry.builder()).build().hasTransactionalHandlers()).isFalse();
    }

    /** A transactional state store over the in-memory one: its joined view is the store itself, and it notes each transaction. */
    private static final class JoinableStore implements TransactionalStateStore {
        private final InMemoryStateStore delegate;
        private final List<StoreTransaction> joined;

        JoinableStore(InMemoryStateStore delegate, List<StoreTransaction> joined) {
            this.delegate = delegate;
            this.joined = joined;
        }

        @Override
        public StateStore joining(StoreTransaction transaction) {
            joined.add(transaction);
            return delegate;
        }

        @Override
        public <S extends Enum<S>> boolean create(String entityType, String entityId, S initial) {
            return delegate.create(entityType, entityId, initial);
        }

        @Override
        public <S extends Enum<S>> TransitionResult<S> transition(String entityType, String entityId,
                java.util.Set<S> from, S to, String eventId, Instant eventCreated, EventSource source) {
            throw new AssertionError("in transactional mode the handler must move entities through the joined view");
        }

        @Override
        public <S extends Enum<S>> Optional<dev.hookwise.core.spi.state.EntityState<S>> find(String entityType, String entityId,
                Class<S> stateType) {
            return delegate.find(entityType, entityId, stateType);
        }

        @Override
        public <S extends Enum<S>> List<TransitionRecord<S>> history(String entityType, String entityId, Class<S> stateType) {
            return delegate.history(entityType, entityId, stateType);
        }

        @Override
        public <S extends Enum<S>> List<dev.hookwise.core.spi.state.EntityState<S>> findStuck(String entityType,
                Class<S> stateType, java.util.Set<S> states, Instant changedBefore, int limit) {
            return delegate.findStuck(entityType, stateType, states, changedBefore, limit);
        }

        @Override
        public int purgeHistory(Instant cutoff) {
            return delegate.purgeHistory(cutoff);
        }
    }

    @Test
    void contextFromShopHelperIsWellFormed() {
        EventContext ctx = Shop.context("evt_9", "payment_intent.created", 9, "ord_9");
        assertThat(ctx.created()).isEqualTo(Shop.T0.plusSeconds(9));
    }
}
