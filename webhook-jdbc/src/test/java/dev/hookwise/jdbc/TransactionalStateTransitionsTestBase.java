package dev.hookwise.jdbc;

import static dev.hookwise.testkit.orders.OrderState.PAID;
import static dev.hookwise.testkit.orders.OrderState.PENDING;
import static dev.hookwise.testkit.orders.OrderState.PENDING_PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.TransactionalWebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookRequest;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.state.StateStore;
import dev.hookwise.core.spi.state.TransitionRecord;
import dev.hookwise.core.spi.state.TransitionResult.Status;
import dev.hookwise.core.spi.state.TransitionResult;
import dev.hookwise.core.state.StateTransitions;
import dev.hookwise.jdbc.state.JdbcStateStore;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import dev.hookwise.testkit.orders.OrderMachine;
import dev.hookwise.testkit.orders.OrderState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * State transitions in the event's transaction ({@code StateTransitions.Builder.transactional},
 * {@link JdbcStateStore#joining}) on one database per subclass: an order moves together with its
 * event's completion and a ledger row written by another transactional handler of the event, or not
 * at all; an early event leaves no history row; a duplicate {@code create} inside the transaction
 * leaves it usable (PostgreSQL would abort it without the savepoint). Each test has its own event
 * log, state tables and ledger, dropped after the class.
 */
abstract class TransactionalStateTransitionsTestBase {

    static final String SECRET = "whsec_transactional_state_transitions";

    private final String run = UUID.randomUUID().toString().substring(0, 6);

    /** The class's database. */
    protected abstract DatabaseFixture db();

    @Test
    void theOrderMovesTogetherWithItsEventAndTheLedgerRowBesideIt() throws Exception {
        Shop shop = shop("ledger");
        String order = "ord_" + run;
        shop.orders.create(order);
        TestEvent created = shop.event("payment_intent.created", order, 1);
        TestEvent succeeded = shop.event("payment_intent.succeeded", order, 2);
        assertThat(shop.deliver(created)).isEqualTo(Outcome.PROCESSED);
        shop.failing.add(succeeded.id());

        assertThat(shop.deliver(succeeded)).isEqualTo(Outcome.FAILED_TRANSIENT);

        assertThat(shop.orders.find(order).orElseThrow().state()).as("the move was rolled back with the ledger row")
                .isEqualTo(PENDING_PAYMENT);
        assertThat(shop.orders.history(order)).extracting(TransitionRecord::eventId).containsExactly(created.id());
        assertThat(shop.ledgerRows(succeeded.id())).isZero();
        assertThat(shop.store.find(succeeded.id()).orElseThrow().status()).isEqualTo(EventStatus.FAILED);

        shop.failing.remove(succeeded.id());
        shop.clock.advance(Duration.ofHours(1));
        assertThat(shop.deliver(succeeded)).isEqualTo(Outcome.PROCESSED);

        assertThat(shop.orders.find(order).orElseThrow().state()).isEqualTo(PAID);
        assertThat(shop.orders.history(order)).extracting(TransitionRecord::eventId, TransitionRecord::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(created.id(), Status.APPLIED),
                        org.assertj.core.groups.Tuple.tuple(succeeded.id(), Status.APPLIED));
        assertThat(shop.ledgerRows(succeeded.id())).isEqualTo(1);
        assertThat(shop.store.find(succeeded.id()).orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
    }

    @Test
    void anEarlyEventLeavesNoHistoryRowAndIsAppliedWhenDeliveredAgain() throws Exception {
        Shop shop = shop("early");
        String order = "ord_" + run + "e";
        shop.orders.create(order);
        TestEvent created = shop.event("payment_intent.created", order, 1);
        TestEvent succeeded = shop.event("payment_intent.succeeded", order, 2);

        assertThat(shop.deliver(succeeded)).isEqualTo(Outcome.RETRY_LATER);
        assertThat(shop.orders.history(order)).as("the rejected attempt rolled back with its event").isEmpty();
        assertThat(shop.orders.find(order).orElseThrow().state()).isEqualTo(PENDING);

        assertThat(shop.deliver(created)).isEqualTo(Outcome.PROCESSED);
        shop.clock.advance(Duration.ofHours(1));
        assertThat(shop.deliver(succeeded)).isEqualTo(Outcome.PROCESSED);
        assertThat(shop.deliver(created)).isEqualTo(Outcome.DUPLICATE);

        assertThat(shop.orders.find(order).orElseThrow().state()).isEqualTo(PAID);
        assertThat(shop.orders.history(order)).extracting(TransitionRecord::eventId)
                .containsExactly(created.id(), succeeded.id());
    }

    @Test
    void aDuplicateCreateInsideTheTransactionLeavesItUsable() throws Exception {
        Shop shop = shop("create");
        String order = "ord_" + run + "c";
        shop.orders.create(order);
        TransactionalWebhookHandler createsThenMoves = (context, transaction) -> {
            StateStore joined = shop.states.joining(transaction);
            assertThat(joined.create(OrderMachine.ENTITY_TYPE, order, PENDING)).as("the order exists").isFalse();
            TransitionResult<OrderState> moved = joined.transition(OrderMachine.ENTITY_TYPE, order, EnumSet.of(PENDING),
                    PENDING_PAYMENT, context.eventId(), context.created(), EventSource.WEBHOOK);
            assertThat(moved.status()).isEqualTo(Status.APPLIED);
        };
        WebhookProcessor processor = shop.processor(HandlerRegistry.builder().on("payment_intent.created", createsThenMoves).build());

        TestEvent created = shop.event("payment_intent.created", order, 1);
        assertThat(shop.deliver(processor, created)).isEqualTo(Outcome.PROCESSED);

        assertThat(shop.orders.find(order).orElseThrow().state()).isEqualTo(PENDING_PAYMENT);
    }

    private Shop shop(String label) throws SQLException {
        String prefix = db().newPrefix(label + run);
        db().table(label + run + "_entity_state");
        db().table(label + run + "_state_history");
        String ledger = db().table(label + run + "_ledger");
        try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + ledger + " (event_id VARCHAR(100) NOT NULL)");
        }
        return new Shop(db(), prefix, ledger);
    }

    /** The event log, the order states and a ledger on one database; transitions in the event's transaction. */
    private static final class Shop {
        final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final DatabaseFixture db;
        final String ledger;
        final JdbcIdempotencyStore store;
        final JdbcStateStore states;
        final StateTransitions<OrderState> orders;
        final WebhookProcessor processor;
        private final StripeEventFactory events = StripeEventFactory.create(clock, 7);

        Shop(DatabaseFixture db, String prefix, String ledger) {
            this.db = db;
            this.ledger = ledger;
            this.store = JdbcIdempotencyStore.builder(db.dataSource()).tablePrefix(prefix).createSchema(true).clock(clock).build();
            this.states = JdbcStateStore.builder(db.dataSource()).tablePrefix(prefix).createSchema(true).clock(clock).build();
            this.orders = StateTransitions.builder(OrderMachine.create(), states).clock(clock).transactional(true).build();
            HandlerRegistry.Builder handlers = orders.registerAll(HandlerRegistry.builder());
            handlers.on("payment_intent.succeeded", JdbcTransactional.handler((context, connection) -> {
                try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + ledger + " (event_id) VALUES (?)")) {
                    ps.setString(1, context.eventId());
                    ps.executeUpdate();
                }
                if (failing.contains(context.eventId())) {
                    throw new IllegalStateException("the ledger refused " + context.eventId());
                }
            }));
            this.processor = processor(handlers.build());
        }

        WebhookProcessor processor(HandlerRegistry handlers) {
            return WebhookProcessor.builder()
                    .signingSecrets(SECRET)
                    .store(store)
                    .handlers(handlers)
                    .retryPolicy(RetryPolicy.builder().maxAttempts(1).build())
                    .clock(clock)
                    .build();
        }

        TestEvent event(String type, String order, int second) {
            return events.event(type).created(clock.instant().minusSeconds(60).plusSeconds(second))
                    .metadata(OrderMachine.ORDER_ID_KEY, order).build();
        }

        Outcome deliver(TestEvent event) {
            return deliver(processor, event);
        }

        Outcome deliver(WebhookProcessor to, TestEvent event) {
            String signature = WebhookSigner.forSecret(SECRET).sign(event.bytes(), clock.instant());
            return to.process(WebhookRequest.of(event.bytes(), signature)).outcome();
        }

        int ledgerRows(String eventId) throws SQLException {
            try (Connection c = db.dataSource().getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + ledger + " WHERE event_id = ?")) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        }
    }
}
