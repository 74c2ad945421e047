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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Actuator side over real HTTP: health, the hookwise endpoint when exposed (failed events,
 * report), replay only with access granted, ids from the URL checked and logged safely, and no
 * endpoint unless exposed.
 */
@ExtendWith(OutputCaptureExtension.class)
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
    void withUnrestrictedAccessTheEndpointListsFailedEventsReportsAndReplays() throws Exception {
        app = start("management.endpoints.web.exposure.include=health,hookwise", "management.endpoint.hookwise.access=unrestricted",
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
        assertThat(badWindow.body()).contains("\"outcome\":\"invalid_window\"").contains("30m, 24h, 7d or PT30M")
                .doesNotContain("at dev.");

        app.getBean(Refunds.class).down.set(false);
        HttpResponse<String> replay = post("/actuator/hookwise/" + event.id(), new byte[0], null);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"replayed\":true").contains("\"outcome\":\"processed\"");
        assertThat(app.getBean(Refunds.class).runs).hasValue(2);
        assertThat(get("/actuator/hookwise").body()).doesNotContain(event.id());

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.body()).contains("\"hookwise\"").contains("\"failureRate\"");
    }

    @Test
    void exposedWithDefaultAccessTheEndpointIsReadOnly() throws Exception {
        app = start("management.endpoints.web.exposure.include=health,hookwise");
        TestEvent event = deliverFailingRefund();

        HttpResponse<String> failed = get("/actuator/hookwise");
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(failed.body()).contains(event.id()).contains("\"status\":\"dead\"");
        assertThat(get("/actuator/hookwise/24h").statusCode()).isEqualTo(200);

        // Boot does not map a write operation the endpoint's access does not allow: the path
        // exists for GET (the report), so POST is 405 and names GET as what is allowed.
        app.getBean(Refunds.class).down.set(false);
        HttpResponse<String> replay = post("/actuator/hookwise/" + event.id(), new byte[0], null);
        assertThat(replay.statusCode()).isEqualTo(405);
        assertThat(replay.headers().allValues("Allow")).containsExactly("GET");
        assertThat(replay.body()).doesNotContain("replayed");

        assertThat(app.getBean(Refunds.class).runs).hasValue(1);
        assertThat(get("/actuator/hookwise").body()).contains(event.id()).contains("\"status\":\"dead\"");
    }

    @Test
    void aUrlIdWithLineBreaksIsAnswered400AndLoggedSanitisedOnMvc(CapturedOutput output) throws Exception {
        refusesAndLogsSafelyAnIdWithLineBreaks(output, "servlet");
    }

    @Test
    void aUrlIdWithLineBreaksIsAnswered400AndLoggedSanitisedOnWebFlux(CapturedOutput output) throws Exception {
        refusesAndLogsSafelyAnIdWithLineBreaks(output, "reactive");
    }

    private void refusesAndLogsSafelyAnIdWithLineBreaks(CapturedOutput output, String webApplicationType) throws Exception {
        app = start("spring.main.web-application-type=" + webApplicationType,
                "management.endpoints.web.exposure.include=hookwise", "management.endpoint.hookwise.access=unrestricted");
        TestEvent event = deliverFailingRefund();
        app.getBean(Refunds.class).down.set(false);

        // A real id with a forged log line after it: %0D%0A decodes to CR LF in the path variable
        // (Tomcat and Netty both pass it through to the endpoint).
        String forged = "FORGED INFO replay of evt_x by admin";
        HttpResponse<String> replay = post("/actuator/hookwise/" + event.id() + "%0D%0A" + forged.replace(" ", "%20"), new byte[0], null);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("\"outcome\":\"invalid_event_id\"").contains("\"replayed\":false")
                .contains("evt_ then letters, digits or _").doesNotContain("\r", "\n", "at dev.");

        HttpResponse<String> tooLong = post("/actuator/hookwise/evt_" + "x".repeat(1_000), new byte[0], null);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("\"outcome\":\"invalid_event_id\"").contains("(+");

        HttpResponse<String> badWindow = get("/actuator/hookwise/24h%0D%0A" + forged.replace(" ", "%20"));
        assertThat(badWindow.statusCode()).isEqualTo(400);
        assertThat(badWindow.body()).contains("\"outcome\":\"invalid_window\"").doesNotContain("\r", "\n");

        assertThat(app.getBean(Refunds.class).runs).hasValue(1); // nothing was replayed
        assertThat(output.getOut()).contains("refused: '" + event.id() + "\\u000d\\u000a" + forged + "' is not a Stripe event id")
                .contains("'evt_" + "x".repeat(96) + "…(+904 chars)' is not a Stripe event id");
        assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith("FORGED")).noneMatch(line -> line.contains("x".repeat(101)));
    }

    @Test
    void endpointIsNotReachableUnlessExposed() throws Exception {
        app = start();
        assertThat(get("/actuator/hookwise").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    }

    private TestEvent deliverFailingRefund() throws Exception {
        TestEvent event = StripeEventFactory.create().chargeRefunded().build();
        HttpResponse<String> delivered = post("/stripe/webhook", event.bytes(), WebhookSigner.forSecret(SECRET).sign(event, Instant.now()));
        assertThat(delivered.body()).contains("failed_permanent");
        assertThat(app.getBean(Refunds.class).runs).hasValue(1);
        return event;
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
        final AtomicInteger runs = new AtomicInteger();

        @StripeWebhookHandler("charge.refunded")
        void refunded(EventContext context) {
            runs.incrementAndGet();
            if (down.get()) {
                throw new PermanentWebhookFailure("refund service down");
            }
        }
    }
}
