package dev.hookwise.spring.tx;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import dev.hookwise.core.EventContext;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.spring.StripeWebhookHandler;
import dev.hookwise.spring.TransactionalStripeHandler;
import dev.hookwise.testkit.MutableClock;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A Spring Boot application with JDBC only (Spring Boot's {@code DataSourceTransactionManager}), in
 * synchronous mode, answering signed events over real HTTP: transactional handlers written with
 * {@code JdbcTemplate}, {@code JdbcClient} and a {@link TransactionalStripeHandler} bean commit
 * their rows with the event's completion, or not at all; a plain handler's rows stay when it fails.
 * Subclasses pick the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransactionalJdbcHandlersTestBase {
    static final String SECRET = "whsec_transactional_jdbc_handlers";
    static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext app;
    private Shop shop;
    private MutableClock clock;
    private JdbcTemplate jdbc;
    private String ledger;
    private StripeEventFactory events;

    abstract TestDatabase db();

    @BeforeAll
    void start() {
        if (!db().reachable()) {
            return;
        }
        db().table("event_log");
        ledger = db().table("ledger");
        app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "hookwise.stripe.signing-secrets=" + SECRET,
                        "hookwise.mode=sync",
                        "hookwise.store.table-prefix=" + db().prefix(),
                        // One in-process retry: each try is a transaction of its own.
                        "hookwise.retry.max-attempts=2", "hookwise.retry.initial-interval=10ms",
                        "spring.datasource.hikari.maximum-pool-size=6",
                        "test.ledger=" + ledger)
                .properties(db().dataSourceProperties())
                .run();
        shop = app.getBean(Shop.class);
        clock = app.getBean(MutableClock.class);
        jdbc = app.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE TABLE " + ledger + " (event_id VARCHAR(100) NOT NULL, writer VARCHAR(40) NOT NULL)");
        events = StripeEventFactory.create(clock, 42);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void reset() {
        shop.failing.clear();
        shop.calls.clear();
    }

    @Test
    void theApplicationsTransactionManagerRunsTheEventLogsTransactions() {
        assertThat(app.getBean(PlatformTransactionManager.class)).isInstanceOf(DataSourceTransactionManager.class);
        assertThat(app.getBeansOfType(PlatformTransactionManager.class)).hasSize(1);
    }

    @Test
    void jdbcTemplateHandlerThatThrowsLeavesNoRowAndTheEventIsRetried() throws Exception {
        TestEvent paid = events.paymentIntentSucceeded().metadata("order_id", "ord_1").build();
        shop.failing.add(paid.id());

        HttpResponse<String> failed = deliver(paid);

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).contains("\"outcome\":\"failed_transient\"");
        assertThat(shop.calls(paid.id())).as("two tries, each in a transaction of its own").isEqualTo(2);
        assertThat(rows(paid.id())).as("both tries rolled back their row").isEmpty();
        EventRecord record = record(paid.id());
        assertThat(record.status()).isEqualTo(EventStatus.FAILED);
        assertThat(record.attempts()).isEqualTo(1);
        assertThat(record.error()).hasValueSatisfying(e -> assertThat(e).contains("fails after its write"));

        // Stripe delivers again later; the handler works now.
        shop.failing.remove(paid.id());
        clock.advance(Duration.ofHours(2));
        HttpResponse<String> processed = deliver(paid);

        assertThat(processed.statusCode()).isEqualTo(200);
        assertThat(processed.body()).contains("\"outcome\":\"processed\"");
        assertThat(rows(paid.id())).containsExactly("jdbcTemplate");
        assertThat(record(paid.id()).status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(record(paid.id()).attempts()).isEqualTo(2);

        HttpResponse<String> duplicate = deliver(paid);
        assertThat(duplicate.body()).contains("\"outcome\":\"duplicate\"");
        assertThat(rows(paid.id())).containsExactly("jdbcTemplate");
    }

    @Test
    void jdbcClientHandlerThatThrowsLeavesNoRowAndTheEventIsRetried() throws Exception {
        TestEvent refunded = events.chargeRefunded().build();
        shop.failing.add(refunded.id());

        assertThat(deliver(refunded).statusCode()).isEqualTo(500);
        assertThat(rows(refunded.id())).isEmpty();
        assertThat(record(refunded.id()).status()).isEqualTo(EventStatus.FAILED);

        shop.failing.remove(refunded.id());
        clock.advance(Duration.ofHours(2));
        HttpResponse<String> processed = deliver(refunded);

        assertThat(processed.body()).contains("\"outcome\":\"processed\"");
        assertThat(rows(refunded.id())).containsExactly("jdbcClient");
        assertThat(record(refunded.id()).status()).isEqualTo(EventStatus.COMPLETED);
    }

    @Test
    void transactionalStripeHandlerBeanWritesExactlyOneRowWithTheCompletion() throws Exception {
        TestEvent customer = events.customerCreated().build();

        HttpResponse<String> processed = deliver(customer);

        assertThat(processed.statusCode()).isEqualTo(200);
        assertThat(processed.body()).isEqualTo("{\"outcome\":\"processed\",\"event_id\":\"" + customer.id() + "\"}");
        assertThat(rows(customer.id())).containsExactly("TransactionalStripeHandler");
        assertThat(record(customer.id()).status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(deliver(customer).body()).contains("\"outcome\":\"duplicate\"");
        assertThat(rows(customer.id())).hasSize(1);
    }

    @Test
    void plainHandlerRowsStayWhenItFailsAndEachTryWritesAgain() throws Exception {
        TestEvent failedPayment = events.paymentIntentPaymentFailed().build();
        shop.failing.add(failedPayment.id());

        assertThat(deliver(failedPayment).statusCode()).isEqualTo(500);

        // The contrast: outside the event's transaction every try's write committed on its own.
        assertThat(rows(failedPayment.id())).containsExactly("plain", "plain");
        assertThat(record(failedPayment.id()).status()).isEqualTo(EventStatus.FAILED);
    }

    @Test
    void badDeliveriesAreAnsweredAsBeforeAndWriteNothing() throws Exception {
        TestEvent paid = events.paymentIntentSucceeded().build();
        URI endpoint = endpoint();

        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(endpoint)
                .header("Stripe-Signature", WebhookSigner.forSecret("whsec_someone_else").sign(paid, clock.instant()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(paid.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofByteArray(paid.bytes())).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("signature_no_match").doesNotContain("Exception");
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(unsigned.body()).contains("signature_missing");
        assertThat(rows(paid.id())).isEmpty();
        assertThat(shop.calls(paid.id())).isZero();
    }

    private HttpResponse<String> deliver(TestEvent event) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint())
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", WebhookSigner.forSecret(SECRET).sign(event, clock.instant()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort() + "/stripe/webhook");
    }

    private List<String> rows(String eventId) {
        return jdbc.queryForList("SELECT writer FROM " + ledger + " WHERE event_id = ?", String.class, eventId);
    }

    private EventRecord record(String eventId) {
        return app.getBean(IdempotencyStore.class).find(eventId).orElseThrow();
    }

    /** The application: auto-configuration without JPA, and its handlers. */
    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
    static class App {
        @Bean
        MutableClock clock() {
            return MutableClock.at(START);
        }

        @Bean
        Shop shop(JdbcTemplate jdbc, JdbcClient client, @Value("${test.ledger}") String ledger) {
            return new Shop(jdbc, client, ledger);
        }

        @Bean
        CustomerLedger customerLedger(JdbcTemplate jdbc, @Value("${test.ledger}") String ledger) {
            return new CustomerLedger(jdbc, ledger);
        }
    }

    /** Handler methods: two transactional ones, one plain. */
    static class Shop {
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        private final JdbcTemplate jdbc;
        private final JdbcClient client;
        private final String ledger;

        Shop(JdbcTemplate jdbc, JdbcClient client, String ledger) {
            this.jdbc = jdbc;
            this.client = client;
            this.ledger = ledger;
        }

        @StripeWebhookHandler(value = "payment_intent.succeeded", transactional = true)
        void paid(PaymentIntent intent, EventContext context) {
            jdbc.update("INSERT INTO " + ledger + " (event_id, writer) VALUES (?, ?)", context.eventId(), "jdbcTemplate");
            failIfAsked(context);
        }

        @StripeWebhookHandler(value = "charge.refunded", transactional = true)
        void refunded(EventContext context) {
            client.sql("INSERT INTO " + ledger + " (event_id, writer) VALUES (:event, :writer)")
                    .param("event", context.eventId())
                    .param("writer", "jdbcClient")
                    .update();
            failIfAsked(context);
        }

        @StripeWebhookHandler("payment_intent.payment_failed")
        void plain(EventContext context) {
            jdbc.update("INSERT INTO " + ledger + " (event_id, writer) VALUES (?, ?)", context.eventId(), "plain");
            failIfAsked(context);
        }

        private void failIfAsked(EventContext context) {
            calls.computeIfAbsent(context.eventId(), id -> new AtomicInteger()).incrementAndGet();
            if (failing.contains(context.eventId())) {
                throw new IllegalStateException("handler of " + context.eventId() + " fails after its write");
            }
        }

        int calls(String eventId) {
            AtomicInteger n = calls.get(eventId);
            return n == null ? 0 : n.get();
        }
    }

    /** A {@link TransactionalStripeHandler} bean, its types on the class. */
    @StripeWebhookHandler("customer.created")
    static class CustomerLedger implements TransactionalStripeHandler {
        private final JdbcTemplate jdbc;
        private final String ledger;

        CustomerLedger(JdbcTemplate jdbc, String ledger) {
            this.jdbc = jdbc;
            this.ledger = ledger;
        }

        @Override
        public void handle(EventContext context) {
            jdbc.update("INSERT INTO " + ledger + " (event_id, writer) VALUES (?, ?)", context.eventId(),
                    "TransactionalStripeHandler");
        }
    }
}
