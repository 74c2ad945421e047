package dev.hookwise.samples.springorders;

import static dev.hookwise.samples.springorders.OrderStatus.CANCELLED;
import static dev.hookwise.samples.springorders.OrderStatus.DISPUTED;
import static dev.hookwise.samples.springorders.OrderStatus.PAID;
import static dev.hookwise.samples.springorders.OrderStatus.PAYMENT_FAILED;
import static dev.hookwise.samples.springorders.OrderStatus.PENDING;
import static dev.hookwise.samples.springorders.OrderStatus.PENDING_PAYMENT;
import static dev.hookwise.samples.springorders.OrderStatus.READY_FOR_HANDOVER;
import static dev.hookwise.samples.springorders.OrderStatus.REFUNDED;
import static dev.hookwise.samples.springorders.OrderStatus.RELEASED;

import com.stripe.model.Dispute;
import dev.hookwise.core.state.EntityIdResolver;
import dev.hookwise.core.state.StateMachine;
import dev.hookwise.core.state.StateTransitions;
import dev.hookwise.core.state.TransitionRule;
import dev.hookwise.jdbc.state.JdbcStateStore;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An orders application on the Hookwise starter. What the application writes is this class: the
 * order state machine, its store, and the {@link StateTransitions} handler bean that the starter
 * registers for every rule of the machine. The endpoint ({@code POST /stripe/webhook}), the JDBC
 * event log on the application's DataSource, health, metrics and the {@code hookwise} Actuator
 * endpoint all come from {@code application.properties}.
 *
 * <p>The transitions are transactional: each order moves inside the transaction that marks its
 * event completed in the event log, together with what other transactional handlers of the event
 * write ({@link PaymentLedger}). The event log, the order tables and the ledger share the
 * application's one DataSource, which is what makes that possible.
 *
 * <p>H2 in memory by default; {@code --spring.profiles.active=postgres} uses PostgreSQL on
 * 127.0.0.1:5432 (user postgres, database test).
 */
@SpringBootApplication
public class OrdersApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }

    /** The orders machine: every edge the shop allows, and which Stripe event moves an order where. */
    @Bean
    StateMachine<OrderStatus> orderMachine() {
        return StateMachine.builder("order", OrderStatus.class)
                .initial(PENDING)
                .allow(PENDING, PENDING_PAYMENT, CANCELLED)
                .allow(PENDING_PAYMENT, PAID, PAYMENT_FAILED, CANCELLED)
                .allow(PAYMENT_FAILED, PENDING_PAYMENT, CANCELLED)
                .allow(PAID, READY_FOR_HANDOVER, REFUNDED, DISPUTED)
                .allow(DISPUTED, REFUNDED, RELEASED)
                .terminal(CANCELLED, REFUNDED)
                .entityId(EntityIdResolver.metadata("order_id"))
                .on("payment_intent.created", PENDING_PAYMENT)
                .on("payment_intent.processing", PENDING_PAYMENT)
                .on("payment_intent.succeeded", PAID)          // early: answered 422, Stripe delivers again
                .on("payment_intent.payment_failed", PAYMENT_FAILED)
                .on("payment_intent.canceled", CANCELLED)
                .on("charge.refunded", REFUNDED)
                .on("charge.dispute.created", DISPUTED)
                .rule(TransitionRule.on("charge.dispute.closed", OrderStatus.class, ctx -> {
                    String status = ctx.dataObject(Dispute.class).getStatus();
                    return "won".equals(status) ? Optional.of(RELEASED)
                            : "lost".equals(status) ? Optional.of(REFUNDED) : Optional.empty();
                }))
                .build();
    }

    /** Orders and their transition history, on the event log's DataSource (transactional transitions need that). */
    @Bean
    JdbcStateStore orderStore(DataSource dataSource, ObjectProvider<Clock> clock,
            @Value("${hookwise.store.table-prefix:hookwise_}") String tablePrefix) {
        return JdbcStateStore.builder(dataSource)
                .tablePrefix(tablePrefix)
                .createSchema(true)
                .clock(clock.getIfAvailable(Clock::systemUTC))
                .build();
    }

    /**
     * The handler: the starter registers it for each of the machine's event types. Transactional:
     * an order moves in the event's transaction, so a move and its event's completion (and the
     * ledger's booking) commit together or not at all.
     */
    @Bean
    StateTransitions<OrderStatus> orders(StateMachine<OrderStatus> machine, JdbcStateStore store, ObjectProvider<Clock> clock) {
        return StateTransitions.builder(machine, store)
                .clock(clock.getIfAvailable(Clock::systemUTC))
                .transactional(true)
                .build();
    }
}
