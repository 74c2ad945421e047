package dev.hookwise.spring.internal;

import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.spring.tx.SpringTransactionRunner;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.orm.jpa.EntityManagerHolder;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * The transaction manager that runs transactional handlers' transactions: the one that manages the
 * application's {@code DataSource} (the one {@code JdbcTemplate}, {@code JdbcClient} and JPA use,
 * and the one the starter builds the event log on), found once at start-up; or why there is none.
 *
 * <p>Only a {@link DataSourceTransactionManager} (and its {@code JdbcTransactionManager}) or a
 * {@code JpaTransactionManager} says which {@code DataSource} it manages; any other kind (JTA, say)
 * cannot be checked and is not used. With JPA, every transactional handler gets a fresh persistence
 * context: its changes are flushed when it returns (so that a constraint violation fails the
 * handler, not the commit) and the context is cleared, so that nothing of one event of a transaction
 * batch (rolled back to its savepoint, say) lingers into the next.
 */
public final class HandlerTransactions {

    private static final boolean JPA_PRESENT = ClassUtils.isPresent("org.springframework.orm.jpa.JpaTransactionManager",
            HandlerTransactions.class.getClassLoader())
            && ClassUtils.isPresent("jakarta.persistence.EntityManager", HandlerTransactions.class.getClassLoader());

    private final @Nullable DataSource dataSource;
    private final String dataSourceName;
    private final @Nullable PlatformTransactionManager transactionManager;
    private final String transactionManagerName;
    private final @Nullable Object entityManagerFactory;
    private final @Nullable String problem;

    private HandlerTransactions(@Nullable DataSource dataSource, String dataSourceName,
            @Nullable PlatformTransactionManager transactionManager, String transactionManagerName, @Nullable String problem) {
        this.dataSource = dataSource;
        this.dataSourceName = dataSourceName;
        this.transactionManager = transactionManager;
        this.transactionManagerName = transactionManagerName;
        this.problem = problem;
        this.entityManagerFactory = JPA_PRESENT && transactionManager != null ? Jpa.entityManagerFactory(transactionManager) : null;
    }

    /** Looks for the application's {@code DataSource} and the transaction manager that manages it. */
    public static HandlerTransactions find(ListableBeanFactory beans) {
        DataSource dataSource = beans.getBeanProvider(DataSource.class).getIfUnique();
        if (dataSource == null) {
            int count = beans.getBeanNamesForType(DataSource.class, true, false).length;
            return none(null, "", count == 0 ? "the application has no DataSource bean"
                    : "the application has " + count + " DataSource beans and none of them is @Primary, so it is not"
                            + " clear which one the handlers write to: mark the one holding the event log @Primary");
        }
        IdentityHashMap<DataSource, String> dataSourceNames = new IdentityHashMap<>();
        beans.getBeansOfType(DataSource.class, true, false).forEach((name, ds) -> dataSourceNames.putIfAbsent(ds, name));
        String dataSourceName = "'" + dataSourceNames.getOrDefault(dataSource, "dataSource") + "'";

        Map<String, PlatformTransactionManager> managers = new LinkedHashMap<>(
                beans.getBeansOfType(PlatformTransactionManager.class, true, false));
        if (managers.isEmpty()) {
            return none(dataSource, dataSourceName, "the application has no PlatformTransactionManager bean: add"
                    + " spring-boot-starter-jdbc (Spring Boot then declares a DataSourceTransactionManager for DataSource "
                    + dataSourceName + ") or spring-boot-starter-data-jpa (a JpaTransactionManager), or declare one");
        }
        List<String> managing = new ArrayList<>();
        List<String> others = new ArrayList<>();
        managers.forEach((name, manager) -> {
            DataSource managed = managedDataSource(manager);
            if (managed == dataSource) {
                managing.add(name);
            } else {
                others.add("'" + name + "' (" + manager.getClass().getSimpleName() + ") manages "
                        + (managed == null ? "no DataSource Hookwise can tell (only DataSourceTransactionManager,"
                                + " JdbcTransactionManager and JpaTransactionManager say which)"
                                : dataSourceNames.containsKey(managed) ? "DataSource '" + dataSourceNames.get(managed) + "'"
                                : "a DataSource that is not a bean (" + managed.getClass().getName() + ")"));
            }
        });
        if (managing.isEmpty()) {
            return none(dataSource, dataSourceName, "no PlatformTransactionManager manages DataSource " + dataSourceName
                    + ", on which the event log and the handlers' JdbcTemplate, JdbcClient and JPA work: "
                    + String.join("; ", others) + ". Declare a transaction manager for DataSource " + dataSourceName
                    + " (a JpaTransactionManager for the EntityManagerFactory built on it, or a"
                    + " JdbcTransactionManager), or keep the event log and the handlers' tables on the DataSource"
                    + " the transaction manager manages");
        }
        String chosen = managing.get(0);
        if (managing.size() > 1) {
            PlatformTransactionManager primary = beans.getBeanProvider(PlatformTransactionManager.class).getIfUnique();
            chosen = managing.stream().filter(n -> managers.get(n) == primary).findFirst().orElse(null);
            if (chosen == null) {
                return none(dataSource, dataSourceName, "several PlatformTransactionManager beans manage DataSource "
                        + dataSourceName + " (" + String.join(", ", managing) + ") and none of them is @Primary:"
                        + " mark the one the handlers use @Primary");
            }
        }
        return new HandlerTransactions(dataSource, dataSourceName, managers.get(chosen), "'" + chosen + "'", null);
    }

    private static HandlerTransactions none(@Nullable DataSource dataSource, String dataSourceName, String problem) {
        return new HandlerTransactions(dataSource, dataSourceName, null, "", problem);
    }

    /** The {@code DataSource} {@code manager} binds connections for, if it says. */
    static @Nullable DataSource managedDataSource(PlatformTransactionManager manager) {
        if (manager instanceof DataSourceTransactionManager jdbc) {
            return jdbc.getDataSource();
        }
        return JPA_PRESENT ? Jpa.dataSource(manager) : null;
    }

    /** Why transactional handlers cannot run in Spring transactions here; empty when they can. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The runner for the event log's store, when a transaction manager manages the application's {@code DataSource}. */
    public Optional<SpringTransactionRunner> runner() {
        return transactionManager == null ? Optional.empty() : Optional.of(new SpringTransactionRunner(transactionManager));
    }

    /** The application's {@code DataSource}, if it has exactly one (or a primary one). */
    public Optional<DataSource> dataSource() {
        return Optional.ofNullable(dataSource);
    }

    /** Its bean name, quoted, for messages. */
    public String dataSourceName() {
        return dataSourceName;
    }

    /** The transaction manager's bean name, quoted, for messages; empty without one. */
    public String transactionManagerName() {
        return transactionManagerName;
    }

    /**
     * Whether the calling thread is inside a Spring transaction that has bound a connection for the
     * application's {@code DataSource}: the store's transaction, run by a {@link SpringTransactionRunner}.
     */
    public boolean joined() {
        return dataSource != null && TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder;
    }

    /**
     * Refuses to run {@code handler} outside the store's Spring transaction, where its writes would
     * commit on their own: the event is dead (replayable once the store is fixed).
     */
    public void requireJoined(Object handler) {
        if (!joined()) {
            throw new PermanentWebhookFailure(handler + " is transactional, but the event log's transaction is not a"
                    + " Spring transaction on DataSource " + dataSourceName + " that its JdbcTemplate, JdbcClient or JPA"
                    + " could join: build the IdempotencyStore on that DataSource with"
                    + " .transactionRunner(new SpringTransactionRunner(transactionManager))"
                    + (problem == null ? "" : " (" + problem + ")") + "; replay the event afterwards");
        }
    }

    /**
     * After a transactional handler: with JPA, flushes its changes when it succeeded (a flush failure
     * is thrown as the handler's failure) and clears the persistence context either way.
     */
    public void afterHandler(boolean succeeded) {
        if (entityManagerFactory != null) {
            Jpa.afterHandler(entityManagerFactory, succeeded);
        }
    }

    @Override
    public String toString() {
        return problem != null ? "HandlerTransactions[none: " + problem + "]"
                : "HandlerTransactions[" + transactionManagerName + " on DataSource " + dataSourceName + "]";
    }

    /** Everything that needs spring-orm and the JPA API, loaded only when both are present. */
    private static final class Jpa {
        private Jpa() {}

        static @Nullable DataSource dataSource(PlatformTransactionManager manager) {
            return manager instanceof JpaTransactionManager jpa ? jpa.getDataSource() : null;
        }

        static @Nullable Object entityManagerFactory(PlatformTransactionManager manager) {
            return manager instanceof JpaTransactionManager jpa ? jpa.getEntityManagerFactory() : null;
        }

        static void afterHandler(Object factory, boolean succeeded) {
            EntityManagerFactory emf = (EntityManagerFactory) factory;
            if (!(TransactionSynchronizationManager.getResource(emf) instanceof EntityManagerHolder holder)) {
                return;
            }
            EntityManager entityManager = holder.getEntityManager();
            try {
                if (succeeded) {
                    entityManager.flush();
                }
            } catch (RuntimeException e) {
                DataAccessException translated = EntityManagerFactoryUtils.convertJpaAccessExceptionIfPossible(e);
                throw translated != null ? translated : e;
            } finally {
                entityManager.clear();
            }
        }
    }
}
