package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.StoreUnavailableException;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code /actuator/health} answers an orchestrator: 200 with {@code DEGRADED} when events
 * failed (the instance still receives them), 503 with {@code DOWN} when the event store is
 * unreachable, and DOWN overall when another component is DOWN while Hookwise is DEGRADED.
 */
class HealthOverHttpTest {
    static final String SECRET = "whsec_health_over_http";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void quietIsUpAnd200() throws Exception {
        app = start();
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(status(health)).isEqualTo("UP");
        assertThat(hookwise(health).path("status").asString()).isEqualTo("UP");
    }

    @Test
    void aDeadEventIsDegradedAndStill200() throws Exception {
        app = start();
        deliverFailingRefund();

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(status(health)).isEqualTo("DEGRADED");
        JsonNode hookwise = hookwise(health);
        assertThat(hookwise.path("status").asString()).isEqualTo("DEGRADED");
        assertThat(hookwise.path("details").path("deadInWindow").asLong()).isEqualTo(1);
        assertThat(hookwise.path("details").path("failedInWindow").asLong()).isEqualTo(1);
        assertThat(hookwise.path("details").path("problems").toString()).contains("became dead", "failure rate 1.0000");
        assertThat(get("/actuator/health/hookwise").statusCode()).isEqualTo(200);
    }

    @Test
    void anUnreachableStoreIsDownAnd503() throws Exception {
        app = start();
        app.getBean(Switches.class).storeDown.set(true);

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(status(health)).isEqualTo("DOWN");
        assertThat(hookwise(health).path("status").asString()).isEqualTo("DOWN");
        assertThat(hookwise(health).path("details").path("store").asString()).isEqualTo("unreachable");
        assertThat(health.body()).contains("event store unreachable: StoreUnavailableException").doesNotContain("\tat ");
        assertThat(get("/actuator/health/hookwise").statusCode()).isEqualTo(503);

        app.getBean(Switches.class).storeDown.set(false);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anotherComponentDownWinsOverDegraded() throws Exception {
        app = start();
        deliverFailingRefund();
        app.getBean(Switches.class).ledgerDown.set(true);

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(status(health)).isEqualTo("DOWN");
        assertThat(hookwise(health).path("status").asString()).isEqualTo("DEGRADED");
    }

    @Test
    void anOrderSetByTheApplicationIsLeftAlone() throws Exception {
        app = start("management.endpoint.health.status.order=DEGRADED,DOWN,OUT_OF_SERVICE,UP,UNKNOWN");
        deliverFailingRefund();
        app.getBean(Switches.class).ledgerDown.set(true);

        HttpResponse<String> health = get("/actuator/health");
        assertThat(status(health)).as("the application ranked DEGRADED first").isEqualTo("DEGRADED");
        assertThat(health.statusCode()).isEqualTo(200);
    }

    private void deliverFailingRefund() throws Exception {
        TestEvent event = StripeEventFactory.create().chargeRefunded().build();
        HttpResponse<String> delivered = http.send(HttpRequest.newBuilder(uri("/stripe/webhook"))
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", WebhookSigner.forSecret(SECRET).sign(event, Instant.now()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delivered.statusCode()).isEqualTo(200);
        assertThat(delivered.body()).contains("failed_permanent");
    }

    private static String status(HttpResponse<String> health) throws Exception {
        return JSON.readTree(health.body()).path("status").asString();
    }

    private static JsonNode hookwise(HttpResponse<String> health) throws Exception {
        return JSON.readTree(health.body()).path("components").path("hookwise");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort() + path);
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(Switches.class)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "hookwise.stripe.signing-secrets=" + SECRET, "hookwise.mode=sync",
                        "management.endpoint.health.show-components=always", "management.endpoint.health.show-details=always")
                .properties(properties)
                .run();
    }

    /** A refund handler that always fails permanently, a store and a second component the test switches off. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Switches {
        final AtomicBoolean storeDown = new AtomicBoolean();
        final AtomicBoolean ledgerDown = new AtomicBoolean();

        @Bean
        IdempotencyStore switchableStore() {
            InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
            return (IdempotencyStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {IdempotencyStore.class},
                    (proxy, method, args) -> {
                        if (storeDown.get()) {
                            throw new StoreUnavailableException("connection refused");
                        }
                        try {
                            return method.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Bean
        HealthIndicator ledgerHealthIndicator() {
            return () -> ledgerDown.get() ? Health.down().build() : Health.up().build();
        }

        @StripeWebhookHandler("charge.refunded")
        void refunded(EventContext context) {
            throw new PermanentWebhookFailure("refund service down");
        }
    }
}
