package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.PermanentWebhookFailure;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
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
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The Actuator side over real HTTP: health, the hookwise endpoint when exposed (failed events, report, replay), and not otherwise. */
class ActuatorOverHttpTest {
    static final String SECRET = "whsec_actuator_over_http";

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void exposedEndpointListsFailedEventsReportsAndReplays() throws Exception {
        app = start("management.endpoints.web.exposure.include=health,hookwise",
                "management.endpoint.health.show-components=always", "management.endpoint.health.show-details=always");
        TestEvent event = StripeEventFactory.create().chargeRefunded().build();
        HttpResponse<String> delivered = post("/stripe/webhook", event.bytes(), WebhookSigner.forSecret(SECRET).sign(event, Instant.now()));
        assertThat(delivered.body()).contains("failed_permanent");

        HttpResponse<String> failed = get("/actuator/hookwise");
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(failed.body()).contains(event.id()).contains("\"status\":\"dead\"").contains("refund service down");

        HttpResponse<String> report = get("/actuator/hookwise/24h");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"total\":1").contains("charge.refunded");

        HttpResponse<String> badWindow = get("/actuator/hookwise/forever");
        assertThat(badWindow.statusCode()).isEqualTo(400);
        assertThat(badWindow.body()).doesNotContain("at dev.");

        app.getBean(Refunds.class).down.set(false);
        HttpResponse<String> replay = post("/actuator/hookwise/" + event.id(), new byte[0], null);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"replayed\":true").contains("\"outcome\":\"processed\"");
        assertThat(get("/actuator/hookwise").body()).doesNotContain(event.id());

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.body()).contains("\"hookwise\"").contains("\"failureRate\"");
    }

    @Test
    void endpointIsNotReachableUnlessExposed() throws Exception {
        app = start();
        assertThat(get("/actuator/hookwise").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort() + path);
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(Refunds.class)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "hookwise.stripe.signing-secrets=" + SECRET, "hookwise.mode=sync")
                .properties(properties)
                .run();
    }

    /** A refund handler whose downstream service is down until the test says otherwise. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Refunds {
        final AtomicBoolean down = new AtomicBoolean(true);

        @StripeWebhookHandler("charge.refunded")
        void refunded(EventContext context) {
            if (down.get()) {
                throw new PermanentWebhookFailure("refund service down");
            }
        }
    }
}
