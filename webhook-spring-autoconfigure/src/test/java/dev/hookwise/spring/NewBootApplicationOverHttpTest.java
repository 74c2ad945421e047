package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A brand-new Spring Boot application — the starter, one property, one annotated handler — started
 * on a random loopback port, answering signed events over real HTTP; once on Spring MVC (Tomcat),
 * once on WebFlux (Netty).
 */
class NewBootApplicationOverHttpTest {
    static final String SECRET = "whsec_brand_new_application";

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void springMvcApplicationAnswersASignedEvent() throws Exception {
        app = start(WebApplicationType.SERVLET);
        exchangeSignedEvents();
    }

    @Test
    void webFluxApplicationAnswersASignedEvent() throws Exception {
        app = start(WebApplicationType.REACTIVE);
        exchangeSignedEvents();
    }

    @Test
    void springMvcPassesThePeerAddressAndForwardedForToTheAllowList() throws Exception {
        app = start(WebApplicationType.SERVLET, ALLOW_LIST);
        allowListSeesPeerAndProxy();
    }

    @Test
    void webFluxPassesThePeerAddressAndForwardedForToTheAllowList() throws Exception {
        app = start(WebApplicationType.REACTIVE, ALLOW_LIST);
        allowListSeesPeerAndProxy();
    }

    private static final String[] ALLOW_LIST = {
            "hookwise.sources.allow=203.0.113.0/24", "hookwise.sources.trusted-proxies=127.0.0.1/32"};

    private void allowListSeesPeerAndProxy() throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + port() + "/stripe/webhook");
        TestEvent event = StripeEventFactory.create().paymentIntentSucceeded().metadata("order_id", "ord_7").build();
        String signature = WebhookSigner.forSecret(SECRET).sign(event, Instant.now());

        HttpResponse<String> direct = post(endpoint, event.bytes(), signature);
        assertThat(direct.statusCode()).isEqualTo(403);
        assertThat(direct.body()).contains("forbidden_source");

        HttpResponse<String> proxied = http.send(HttpRequest.newBuilder(endpoint)
                .header("Stripe-Signature", signature)
                .header("X-Forwarded-For", "203.0.113.7")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.bytes())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(proxied.body()).contains("\"outcome\":\"queued\"");
    }

    private void exchangeSignedEvents() throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + port() + "/stripe/webhook");
        TestEvent event = StripeEventFactory.create().paymentIntentSucceeded().metadata("order_id", "ord_42").build();
        String signature = WebhookSigner.forSecret(SECRET).sign(event, Instant.now());

        HttpResponse<String> first = post(endpoint, event.bytes(), signature);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        // With a DataSource on the classpath the default is asynchronous: answered at once, then the
        // application's worker pool runs the handler.
        assertThat(first.body()).isEqualTo("{\"outcome\":\"queued\",\"event_id\":\"" + event.id() + "\"}");
        assertThat(app.getBean(Shop.class).paidOnce.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(app.getBean(Shop.class).paid).containsExactly("ord_42");

        HttpResponse<String> again = post(endpoint, event.bytes(), signature);
        assertThat(again.body()).contains("\"outcome\":\"duplicate\"");
        assertThat(app.getBean(Shop.class).paid).containsExactly("ord_42");

        HttpResponse<String> forged = post(endpoint, event.bytes(),
                WebhookSigner.forSecret("whsec_someone_else").sign(event, Instant.now()));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("signature_no_match").doesNotContain("Exception").doesNotContain("at dev.");

        HttpResponse<String> unsigned = post(endpoint, event.bytes(), null);
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(unsigned.body()).contains("signature_missing");

        byte[] huge = new byte[1024 * 1024 + 1024]; // just over the 1 MiB default
        java.util.Arrays.fill(huge, (byte) ' ');
        HttpResponse<String> tooLarge = post(endpoint, huge, signature);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("payload_too_large");
    }

    private HttpResponse<String> post(URI endpoint, byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int port() {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    private static ConfigurableApplicationContext start(WebApplicationType type, String... more) {
        return new SpringApplicationBuilder(Shop.class)
                .web(type)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "hookwise.stripe.signing-secrets=" + SECRET)
                .properties(more)
                .run();
    }

    /** The whole application: auto-configuration and one handler method. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Shop {
        final List<String> paid = new CopyOnWriteArrayList<>();
        final CountDownLatch paidOnce = new CountDownLatch(1);

        @StripeWebhookHandler("payment_intent.succeeded")
        void paid(PaymentIntent intent) {
            paid.add(intent.getMetadata().get("order_id"));
            paidOnce.countDown();
        }

        @Bean
        String unrelated() {
            return "the application's own beans";
        }
    }
}
