package dev.hookwise.spring.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.TestEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The console over real HTTP (Tomcat), without a browser: behind Spring Security the page and its
 * JSON need a login and a replay needs the CSRF token the page was rendered with; served
 * unauthenticated ({@code allow-unauthenticated}) a replay still needs the console's header; bad and
 * unknown ids are answered 400 and 404 with a JSON reason.
 */
class ConsoleOverHttpTest {
    private static final Pattern META = Pattern.compile("<meta name=\"hookwise-csrf-(header|token)\" content=\"([^\"]*)\">");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void behindSpringSecurityReplayNeedsALoginAndTheCsrfToken() throws Exception {
        app = ConsoleTestApp.start(SecuredConsoleTestApp.class);
        TestEvent event = ConsoleTestApp.refund(Instant.now().minus(Duration.ofMinutes(30)));
        ConsoleTestApp.seedDead(store(), event, "refund service down: 503 from refunds API");

        HttpResponse<String> anonymous = send(get("/hookwise/api/summary").build());
        assertThat(anonymous.statusCode()).isIn(302, 401);
        assertThat(anonymous.body()).doesNotContain(event.id());

        HttpResponse<String> summary = send(get("/hookwise/api/summary").header("Authorization", basic()).build());
        assertThat(summary.statusCode()).isEqualTo(200);
        assertThat(summary.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(summary.body()).contains(event.id()).contains("\"status\":\"dead\"").contains("refund service down: 503 from refunds API")
                .contains("\"hours\":[");

        // The page carries the CSRF token (and the session that holds it) for its POSTs.
        HttpResponse<String> page = send(get("/hookwise").header("Authorization", basic()).build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
        String header = meta(page.body(), "header");
        String token = meta(page.body(), "token");
        assertThat(header).isEqualTo("X-CSRF-TOKEN");
        assertThat(token).isNotBlank();
        String session = page.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

        HttpResponse<String> withoutToken = send(post(event.id()).header("Authorization", basic()).header("Cookie", session)
                .header(HookwiseConsole.CONSOLE_HEADER, "1").build());
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        HttpResponse<String> withoutConsoleHeader = send(post(event.id()).header("Authorization", basic()).header("Cookie", session)
                .header(header, token).build());
        assertThat(withoutConsoleHeader.statusCode()).isEqualTo(403);
        assertThat(withoutConsoleHeader.body()).contains("\"outcome\":\"console_header_missing\"");
        assertThat(store().find(event.id()).orElseThrow().status()).isEqualTo(EventStatus.DEAD);
        assertThat(app.getBean(ConsoleTestApp.class).refunds).hasValue(0);

        HttpResponse<String> replay = send(post(event.id()).header("Authorization", basic()).header("Cookie", session)
                .header(header, token).header(HookwiseConsole.CONSOLE_HEADER, "1").build());
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"replayed\":true").contains("\"outcome\":\"queued\"");
        EventRecord done = awaitFinal(event.id());
        assertThat(done.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(done.source()).isEqualTo(EventSource.REPLAY);
        assertThat(app.getBean(ConsoleTestApp.class).refunds).hasValue(1);
    }

    @Test
    void servedUnauthenticatedAReplayStillNeedsTheConsoleHeaderAndAStripeEventId() throws Exception {
        app = ConsoleTestApp.start(ConsoleTestApp.class, "hookwise.console.allow-unauthenticated=true");
        TestEvent event = ConsoleTestApp.refund(Instant.now().minus(Duration.ofHours(2)));
        ConsoleTestApp.seedDead(store(), event, "refund service down");

        HttpResponse<String> page = send(get("/hookwise").build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Hookwise console</title>").contains("src=\"/hookwise/console.js\"");
        assertThat(meta(page.body(), "token")).isEmpty();
        assertThat(send(get("/hookwise/console.js").build()).body()).contains("X-Hookwise-Console");

        HttpResponse<String> noHeader = send(post(event.id()).build());
        assertThat(noHeader.statusCode()).isEqualTo(403);
        assertThat(noHeader.body()).contains("console_header_missing");

        HttpResponse<String> badId = send(post("evt_x%0D%0AFORGED").header(HookwiseConsole.CONSOLE_HEADER, "1").build());
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).contains("\"outcome\":\"invalid_event_id\"").doesNotContain("\r", "\n", "at dev.");

        HttpResponse<String> unknown = send(post("evt_unknown").header(HookwiseConsole.CONSOLE_HEADER, "1").build());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"outcome\":\"unknown_event\"");
        assertThat(send(get("/hookwise/api/events/evt_unknown").build()).statusCode()).isEqualTo(404);
        assertThat(store().find(event.id()).orElseThrow().status()).isEqualTo(EventStatus.DEAD);

        HttpResponse<String> replay = send(post(event.id()).header(HookwiseConsole.CONSOLE_HEADER, "1").build());
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"replayed\":true");
        assertThat(awaitFinal(event.id()).status()).isEqualTo(EventStatus.COMPLETED);

        HttpResponse<String> again = send(post(event.id()).header(HookwiseConsole.CONSOLE_HEADER, "1").build());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"replayed\":false").contains("not replayed: the event is completed");
        assertThat(app.getBean(ConsoleTestApp.class).refunds).hasValue(1);
    }

    /** Waits (bounded) for the worker to finish a queued replay; the worker polls every 100 ms in these tests. */
    private EventRecord awaitFinal(String id) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> store().find(id).orElseThrow(), r -> r.status().isFinal());
    }

    private IdempotencyStore store() {
        return app.getBean(IdempotencyStore.class);
    }

    private static String meta(String html, String which) {
        Matcher m = META.matcher(html);
        while (m.find()) {
            if (m.group(1).equals(which)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no hookwise-csrf-" + which + " meta tag in the page");
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((ConsoleTestApp.USER + ":" + ConsoleTestApp.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private HttpRequest.Builder post(String eventId) {
        return HttpRequest.newBuilder(uri("/hookwise/api/events/" + eventId + "/replay")).POST(HttpRequest.BodyPublishers.noBody());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort() + path);
    }
}
