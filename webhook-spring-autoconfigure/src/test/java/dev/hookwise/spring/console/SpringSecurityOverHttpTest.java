package dev.hookwise.spring.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Security application over real HTTP (Tomcat) whose own chain requires a login for
 * everything and checks CSRF tokens ({@link StrictSecurityTestApp}): the starter's chain lets a signed
 * Stripe POST through (200, no session), while the application's endpoints, the webhook path's other
 * methods and the console still need a login; switched off, the webhook is refused 403 again.
 */
class SpringSecurityOverHttpTest {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void signedWebhookGetsThroughWhileEverythingElseStillNeedsALogin() throws Exception {
        app = ConsoleTestApp.start(StrictSecurityTestApp.class);
        TestEvent event = ConsoleTestApp.refund(Instant.now());

        HttpResponse<String> webhook = send(signed(event));
        assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(200);
        assertThat(webhook.headers().allValues("Set-Cookie")).as("stateless: no session for Stripe").isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> store().find(event.id()).map(r -> r.status() == EventStatus.COMPLETED).orElse(false));
        assertThat(app.getBean(ConsoleTestApp.class).refunds).hasValue(1);

        // The application's own endpoints and the console: its chain, unchanged.
        assertThat(send(request("/orders").GET().build()).statusCode()).isIn(302, 401);
        assertThat(send(request("/orders").POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode()).isIn(302, 401, 403);
        assertThat(send(request("/hookwise").GET().build()).statusCode()).isIn(302, 401);
        assertThat(send(request("/hookwise/api/summary").GET().build()).statusCode()).isIn(302, 401);
        // Only POST to the webhook path is the starter's.
        assertThat(send(request("/stripe/webhook").GET().build()).statusCode()).isIn(302, 401);

        HttpResponse<String> loggedIn = send(request("/orders").header("Authorization", basic()).GET().build());
        assertThat(loggedIn.statusCode()).isEqualTo(200);
        assertThat(loggedIn.body()).isEqualTo("orders");
        assertThat(send(request("/hookwise/api/summary").header("Authorization", basic()).GET().build()).statusCode()).isEqualTo(200);
    }

    @Test
    void switchedOffTheApplicationsChainRefusesTheWebhook() throws Exception {
        app = ConsoleTestApp.start(StrictSecurityTestApp.class, "hookwise.security.enabled=false");
        TestEvent event = ConsoleTestApp.refund(Instant.now());

        HttpResponse<String> webhook = send(signed(event));
        assertThat(webhook.statusCode()).isEqualTo(403);
        assertThat(store().find(event.id())).isEmpty();
        assertThat(app.getBean(ConsoleTestApp.class).refunds).hasValue(0);
    }

    private HttpRequest signed(TestEvent event) {
        return request("/stripe/webhook")
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", WebhookSigner.forSecret(ConsoleTestApp.SECRET).sign(event, Instant.now()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.bytes()))
                .build();
    }

    private HttpRequest.Builder request(String path) {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private IdempotencyStore store() {
        return app.getBean(IdempotencyStore.class);
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((ConsoleTestApp.USER + ":" + ConsoleTestApp.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }
}
