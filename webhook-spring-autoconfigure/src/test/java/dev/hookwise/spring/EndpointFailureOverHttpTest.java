package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import dev.hookwise.testkit.WebhookSigner;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** A failure nobody expected (a store bug) is answered 500 with no stack trace and no detail, on MVC and WebFlux. */
class EndpointFailureOverHttpTest {
    static final String SECRET = "whsec_endpoint_failure";

    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void springMvcAnswersInternalErrorWithoutDetails() throws Exception {
        assertBareInternalError(WebApplicationType.SERVLET);
    }

    @Test
    void webFluxAnswersInternalErrorWithoutDetails() throws Exception {
        assertBareInternalError(WebApplicationType.REACTIVE);
    }

    private void assertBareInternalError(WebApplicationType type) throws Exception {
        app = new SpringApplicationBuilder(BrokenStore.class).web(type)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "hookwise.stripe.signing-secrets=" + SECRET, "hookwise.retention.enabled=false")
                .run();
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        TestEvent event = StripeEventFactory.create().paymentIntentSucceeded().build();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stripe/webhook"))
                        .header("Stripe-Signature", WebhookSigner.forSecret(SECRET).sign(event, Instant.now()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(event.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.body()).isEqualTo("{\"outcome\":\"internal_error\"}");
    }

    /** An application whose event store has a bug: claim throws something the pipeline does not expect. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BrokenStore {
        @Bean
        IdempotencyStore brokenStore() {
            IdempotencyStore real = InMemoryIdempotencyStore.create();
            return (IdempotencyStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {IdempotencyStore.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("claim")) {
                            throw new IllegalStateException("internal detail that must not leak");
                        }
                        return method.invoke(real, args);
                    });
        }

        @StripeWebhookHandler("payment_intent.succeeded")
        void paid(dev.hookwise.core.EventContext context) {
        }
    }
}
