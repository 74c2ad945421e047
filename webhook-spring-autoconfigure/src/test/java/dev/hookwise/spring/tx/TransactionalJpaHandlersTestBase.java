package dev.hookwise.spring.tx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.inbox.InboxWorker;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.spring.StripeWebhookHandler;
import dev.hookwise.spring.scheduling.InboxWorkerLifecycle;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.engine.jdbc.env.spi.JdbcEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A Spring Boot application with JPA (Hibernate, Spring Boot's {@code JpaTransactionManager}) in
 * asynchronous mode: events arrive over real HTTP, answered {@code queued}, and a worker the test
 * drives runs them. A transactional handler persists an entity and writes a row with
 * {@code JdbcTemplate} (which joins the JPA transaction through the connection
 * {@code JpaTransactionManager} exposes): both commit with the event's completion, or neither does;
 * a constraint violation at the flush fails the handler; in a transaction batch a failing event's
 * entity never reaches the others' commit. Subclasses pick the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransactionalJpaHandlersTestBase {
    static final String SECRET = "whsec_transactional_jpa_handlers";
    static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext app;
    private Receipts receipts;
    private MutableClock clock;
    private JdbcTemplate jdbc;
    private String ledger;
    private String receiptTable;
    private StripeEventFactory events;

    abstract TestDatabase db();

    @BeforeAll
    void start() {
        if (!db().reachable()) {
            return;
        }
        db().table("event_log");
        ledger = db().table("ledger");
        receiptTable = db().table("jpa_receipt");
        app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "hookwise.stripe.signing-secrets=" + SECRET,
                        "hookwise.mode=async",
                        "hookwise.store.table-prefix=" + db().prefix(),
                        "spring.jpa.hibernate.ddl-auto=create-drop",
                        "spring.jpa.open-in-view=false",
                        "spring.datasource.hikari.maximum-pool-size=6",
                        "test.prefix=" + db().prefix(),
                        "test.ledger=" + ledger)
                .properties(db().dataSourceProperties())
                .run();
        receipts = app.getBean(Receipts.class);
        clock = app.getBean(MutableClock.class);
        jdbc = app.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE TABLE " + ledger + " (event_id VARCHAR(100) NOT NULL, writer VARCHAR(40) NOT NULL)");
        events = StripeEventFactory.create(clock, 43);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** Each test starts from an empty inbox: what an earlier test left failing must not be claimed into its batches. */
    @BeforeEach
    void reset() {
        receipts.failing.clear();
        jdbc.update("DELETE FROM " + db().prefix() + "event_log");
    }

    @Test
    void theEventLogRunsItsTransactionsThroughTheJpaTransactionManager() {
        assertThat(app.getBean(PlatformTransactionManager.class)).isInstanceOf(JpaTransactionManager.class);
    }

    @Test
    void entityPersistedThenHandlerThrowsPersistsNothingAndTheEventIsRetried() throws Exception {
        TestEvent paid = events.invoicePaymentSucceeded().build();
        receipts.failing.add(paid.id());
        assertThat(deliver(paid).body()).contains("\"outcome\":\"queued\"");

        assertThat(worker(1).drainOnce()).isEqualTo(1);

        assertThat(receiptsOf(paid.id())).as("the persisted entity was rolled back").isEmpty();
        assertThat(ledgerRows(paid.id())).as("so was the JdbcTemplate row beside it").isEmpty();
        EventRecord failed = record(paid.id());
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).contains("fails after persisting"));

        receipts.failing.remove(paid.id());
        clock.advance(Duration.ofHours(2));
        assertThat(worker(1).drainOnce()).isEqualTo(1);

        assertThat(receiptsOf(paid.id())).containsExactly(paid.id());
        assertThat(ledgerRows(paid.id())).containsExactly("jdbc-beside-jpa");
        assertThat(record(paid.id()).status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(record(paid.id()).attempts()).isEqualTo(2);
        assertThat(deliver(paid).body()).contains("\"outcome\":\"duplicate\"");
    }

    @Test
    void constraintViolationAtTheFlushFailsTheHandlerAndUndoesItsOtherWrites() throws Exception {
        TestEvent first = events.invoicePaymentFailed().build();
        TestEvent second = events.invoicePaymentFailed().build();
        deliver(first);
        assertThat(worker(1).drainOnce()).isEqualTo(1);
        assertThat(record(first.id()).status()).isEqualTo(EventStatus.COMPLETED);

        deliver(second); // persists the same receipt id: the flush violates the primary key
        assertThat(worker(1).drainOnce()).isEqualTo(1);

        EventRecord failed = record(second.id());
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        // The database's words differ (duplicate key, unique constraint, primary key violation); the table is named.
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).containsIgnoringCase("jpa_receipt"));
        assertThat(ledgerRows(second.id())).as("the row written before the flush was rolled back").isEmpty();
        assertThat(ledgerRows(first.id())).containsExactly("before-the-flush");
        assertThat(receiptsOf(first.id())).containsExactly(Receipts.ONE_PER_SHOP);
    }

    @Test
    void inATransactionBatchAFailingEventsEntityNeverReachesTheCommit() throws Exception {
        TestEvent a = events.invoicePaymentSucceeded().build();
        TestEvent b = events.invoicePaymentSucceeded().build();
        TestEvent c = events.invoicePaymentSucceeded().build();
        receipts.failing.add(b.id());
        for (TestEvent e : List.of(a, b, c)) {
            assertThat(deliver(e).statusCode()).isEqualTo(200);
        }

        assertThat(worker(3).drainOnce()).isEqualTo(3);

        assertThat(record(a.id()).status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(record(b.id()).status()).isEqualTo(EventStatus.FAILED);
        assertThat(record(c.id()).status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(receiptsOf(a.id())).containsExactly(a.id());
        assertThat(receiptsOf(b.id())).isEmpty();
        assertThat(receiptsOf(c.id())).containsExactly(c.id());
        assertThat(ledgerRows(b.id())).isEmpty();
    }

    /** A worker on the application's processor; one transaction holds up to {@code perTransaction} events. */
    private InboxWorker worker(int perTransaction) {
        return InboxWorker.builder(app.getBean(WebhookProcessor.class))
                .threads(1)
                .batchSize(perTransaction)
                .transactionBatchSize(perTransaction)
                .build();
    }

    private HttpResponse<String> deliver(TestEvent event) throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort()
                + "/stripe/webhook");
        return http.send(HttpRequest.newBuilder(endpoint)
                .header("Stripe-Signature", WebhookSigner.forSecret(SECRET).sign(event, clock.instant()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> receiptsOf(String eventId) {
        return jdbc.queryForList("SELECT id FROM " + receiptTable + " WHERE event_id = ?", String.class, eventId);
    }

    private List<String> ledgerRows(String eventId) {
        return jdbc.queryForList("SELECT writer FROM " + ledger + " WHERE event_id = ?", String.class, eventId);
    }

    private EventRecord record(String eventId) {
        return app.getBean(IdempotencyStore.class).find(eventId).orElseThrow();
    }

    /** The application: full auto-configuration with JPA; the test drives the worker itself. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        MutableClock clock() {
            return MutableClock.at(START);
        }

        /** No background worker: the test drains the inbox itself, deterministically. */
        @Bean
        InboxWorkerLifecycle hookwiseInboxWorker() {
            return InboxWorkerLifecycle.idle();
        }

        /** The test's own table names: {@code <prefix>jpa_receipt}; columns as Spring Boot names them ({@code event_id}). */
        @Bean
        PhysicalNamingStrategy prefixedTables(@Value("${test.prefix}") String prefix) {
            return new CamelCaseToUnderscoresNamingStrategy() { // Spring Boot's default, plus the prefix
                @Override
                public Identifier toPhysicalTableName(Identifier logicalName, JdbcEnvironment context) {
                    return super.toPhysicalTableName(Identifier.toIdentifier(prefix + logicalName.getText()), context);
                }
            };
        }

        @Bean
        Receipts receipts(JdbcTemplate jdbc, @Value("${test.ledger}") String ledger) {
            return new Receipts(jdbc, ledger);
        }
    }

    /** Transactional handlers that persist {@link Receipt}s. */
    static class Receipts {
        static final String ONE_PER_SHOP = "one-receipt-per-shop";

        final Set<String> failing = ConcurrentHashMap.newKeySet();
        private final JdbcTemplate jdbc;
        private final String ledger;

        @PersistenceContext
        private EntityManager entityManager;

        Receipts(JdbcTemplate jdbc, String ledger) {
            this.jdbc = jdbc;
            this.ledger = ledger;
        }

        @StripeWebhookHandler(value = "invoice.payment_succeeded", transactional = true)
        void paid(EventContext context) {
            entityManager.persist(new Receipt(context.eventId(), context.eventId()));
            jdbc.update("INSERT INTO " + ledger + " (event_id, writer) VALUES (?, ?)", context.eventId(), "jdbc-beside-jpa");
            if (failing.contains(context.eventId())) {
                throw new IllegalStateException("handler of " + context.eventId() + " fails after persisting");
            }
        }

        @StripeWebhookHandler(value = "invoice.payment_failed", transactional = true)
        void paymentFailed(EventContext context) {
            jdbc.update("INSERT INTO " + ledger + " (event_id, writer) VALUES (?, ?)", context.eventId(), "before-the-flush");
            entityManager.persist(new Receipt(ONE_PER_SHOP, context.eventId()));
        }
    }
}
