package dev.hookwise.spring.autoconfigure;

import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.StoreTransaction;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.core.spi.TransactionalStore;
import dev.hookwise.core.spi.TransactionalStore.Verdict;
import dev.hookwise.jdbc.JdbcIdempotencyStore;
import dev.hookwise.jdbc.JdbcTransactionRunner;
import dev.hookwise.spring.internal.HandlerBeans;
import dev.hookwise.spring.internal.HandlerTransactions;
import dev.hookwise.spring.internal.SpringTransactionalHandler;
import dev.hookwise.spring.tx.SpringTransactionRunner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.type.MethodMetadata;

/**
 * Transactional handlers in a Spring application: the runner the starter's event log gets, the
 * wrapper that runs handlers in the event log's Spring transaction, and the start-up check that
 * refuses a set-up in which their writes would not commit with the event.
 *
 * <p>Loaded only when spring-tx, spring-jdbc and webhook-jdbc are on the classpath
 * ({@link HookwiseAutoConfiguration#transactionsPresent}).
 */
final class TransactionalHandlers {
    private static final Logger log = LoggerFactory.getLogger(TransactionalHandlers.class);

    private static final String FIX = "Or make the handlers plain (transactional = false, a WebhookHandler instead of a"
            + " TransactionalStripeHandler) and idempotent";

    private TransactionalHandlers() {}

    /** The Spring runner for an event log on {@code dataSource}, if a transaction manager manages it. */
    static Optional<JdbcTransactionRunner> runner(ListableBeanFactory beans, DataSource dataSource) {
        HandlerTransactions transactions = beans.getBeanProvider(HandlerTransactions.class).getIfAvailable();
        if (transactions == null || transactions.dataSource().filter(d -> d == dataSource).isEmpty()) {
            return Optional.empty();
        }
        return transactions.runner().map(r -> r);
    }

    /** Wraps transactional handlers so that they run in the event log's Spring transaction. */
    static HandlerBeans.Transactional wrapper(ListableBeanFactory beans) {
        return (handler, description) -> new SpringTransactionalHandler(handler, description,
                () -> beans.getBean(HandlerTransactions.class));
    }

    /**
     * Refuses to start when the {@code handlers} (descriptions of transactional handlers) could not
     * commit their writes with the event: no transaction manager for the application's
     * {@code DataSource}, a store that is not the JDBC event log, or a store of the application's own
     * whose transactions are not that transaction manager's (found by running one empty transaction).
     */
    static void verify(List<String> handlers, IdempotencyStore store, ConfigurableListableBeanFactory beans) {
        String who = handlers.size() == 1 ? handlers.get(0) : handlers.size() + " transactional handlers (" + String.join(", ", handlers) + ")";
        HandlerTransactions transactions = beans.getBean(HandlerTransactions.class);
        Optional<String> problem = transactions.problem();
        if (problem.isPresent()) {
            throw new TransactionalHandlersException(who + " must commit in the event log's transaction, but "
                    + problem.get() + ". " + FIX);
        }
        if (!(store instanceof TransactionalStore transactional)) {
            throw new TransactionalHandlersException(who + " must commit in the event log's transaction, but the"
                    + " IdempotencyStore " + store.getClass().getSimpleName() + " has no transactions: use the JDBC event"
                    + " log (dev.hookwise:webhook-jdbc and the DataSource, hookwise.store.type unset or jdbc)");
        }
        String storeBean = beanName(beans, store);
        if (builtByTheStarter(beans, storeBean)) {
            // On the application's DataSource, with the runner of that DataSource's transaction manager.
            log.info("Hookwise runs {} in Spring transactions of {} on DataSource {}", who,
                    transactions.transactionManagerName(), transactions.dataSourceName());
            return;
        }
        if (!(store instanceof JdbcIdempotencyStore)) {
            log.warn("Hookwise cannot check that the IdempotencyStore bean '{}' ({}) runs its transactions as Spring"
                    + " transactions of {} on DataSource {}: {} refuse to run (event dead, replayable) if it does not",
                    storeBean, store.getClass().getName(), transactions.transactionManagerName(),
                    transactions.dataSourceName(), who);
            return;
        }
        String fix = "build it on DataSource " + transactions.dataSourceName() + " with .transactionRunner(new"
                + " SpringTransactionRunner(transactionManager)) and the PlatformTransactionManager bean "
                + transactions.transactionManagerName();
        AtomicBoolean joined = new AtomicBoolean();
        try {
            transactional.runInTransaction(List.of(new ClaimToken("hookwise_start_up_check_" + UUID.randomUUID(),
                    "hookwise-start-up-check", 1)), new TransactionalStore.Work() {
                @Override
                public Verdict run(ClaimToken claim, StoreTransaction transaction) {
                    joined.set(transactions.joined());
                    // No event has this id: the fenced completion changes no row and is rolled back.
                    return Verdict.complete(Duration.ZERO);
                }

                @Override
                public Verdict completionFailed(ClaimToken claim, Exception failure) {
                    return Verdict.dead("start-up check");
                }
            });
        } catch (StoreUnavailableException e) {
            if (causedBy(e, SpringTransactionRunner.DataSourceNotManagedException.class)) {
                throw new TransactionalHandlersException(who + " must commit in the event log's transaction, but the"
                        + " IdempotencyStore bean '" + storeBean + "' is on a DataSource its transaction manager does not"
                        + " manage: " + fix + ". " + FIX);
            }
            log.warn("Hookwise could not check that the IdempotencyStore bean '{}' runs its transactions as Spring"
                    + " transactions ({}); {} refuse to run (event dead, replayable) if it does not", storeBean,
                    e.getMessage(), who);
            return;
        }
        if (!joined.get()) {
            throw new TransactionalHandlersException(who + " must commit in the event log's transaction, but the"
                    + " IdempotencyStore bean '" + storeBean + "' runs its transactions outside a Spring transaction on"
                    + " DataSource " + transactions.dataSourceName() + ", so the handlers' JdbcTemplate, JdbcClient or"
                    + " JPA writes would commit on their own: " + fix + ". " + FIX);
        }
        log.info("Hookwise runs {} in Spring transactions of {} on DataSource {} (checked through the IdempotencyStore"
                + " bean '{}')", who, transactions.transactionManagerName(), transactions.dataSourceName(), storeBean);
    }

    private static String beanName(ListableBeanFactory beans, Object store) {
        for (String name : beans.getBeanNamesForType(IdempotencyStore.class, true, false)) {
            if (beans.getBean(name) == store) {
                return name;
            }
        }
        return store.getClass().getSimpleName();
    }

    /** Whether {@code name} is the store {@link StoreConfigurations.Jdbc} declares. */
    private static boolean builtByTheStarter(ConfigurableListableBeanFactory beans, String name) {
        if (!beans.containsBeanDefinition(name)) {
            return false;
        }
        BeanDefinition definition = beans.getBeanDefinition(name);
        MethodMetadata factory = definition instanceof AnnotatedBeanDefinition annotated
                ? annotated.getFactoryMethodMetadata() : null;
        return factory != null && factory.getDeclaringClassName().equals(StoreConfigurations.Jdbc.class.getName());
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

}
