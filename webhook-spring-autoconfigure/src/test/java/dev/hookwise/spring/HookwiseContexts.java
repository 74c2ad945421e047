package dev.hookwise.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import dev.hookwise.core.EventContext;
import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.InMemoryIdempotencyStore;
import dev.hookwise.core.WebhookHandler;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.Reconciler;
import dev.hookwise.core.spi.ReconciliationReport;
import dev.hookwise.spring.autoconfigure.HookwiseAutoConfiguration;
import dev.hookwise.spring.autoconfigure.HookwiseSchedulingAutoConfiguration;
import dev.hookwise.testkit.WebhookSigner;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the auto-configuration tests share: the context runners, the secret, and the beans they register. */
final class HookwiseContexts {
    static final String SECRET = "whsec_autoconfig_test_secret";

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private HookwiseContexts() {}

    /** The core and scheduling auto-configurations with a signing secret. */
    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HookwiseAutoConfiguration.class, HookwiseSchedulingAutoConfiguration.class))
                .withPropertyValues("hookwise.stripe.signing-secrets=" + SECRET);
    }

    /** {@link #runner()} with an H2 database of its own. */
    static ApplicationContextRunner withDataSource() {
        return runner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:hookwise-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    static WebhookSigner signer() {
        return WebhookSigner.forSecret(SECRET);
    }

    static Throwable rootCause(Throwable t) {
        assertThat(t).as("start-up failure").isNotNull();
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final IdempotencyStore STORE = InMemoryIdempotencyStore.create();
        static final HandlerRegistry HANDLERS = HandlerRegistry.empty();
        static final StripeClient CLIENT = new StripeClient("sk_test_own");

        @Bean
        IdempotencyStore myStore() {
            return STORE;
        }

        @Bean
        HandlerRegistry myHandlers() {
            return HANDLERS;
        }

        @Bean
        StripeClient myClient() {
            return CLIENT;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnProcessor {
        static final WebhookProcessor PROCESSOR = WebhookProcessor.builder().signingSecrets(SECRET).build();

        @Bean
        WebhookProcessor myProcessor() {
            return PROCESSOR;
        }
    }

    /** Every handler style at once, recording calls in order. */
    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        HookwiseHandlerRegistration registration() {
            return HookwiseHandlerRegistration.of("payment_intent.succeeded", ctx -> calls.add("registration:" + ctx.eventId()));
        }

        @Bean
        AnnotatedBean annotatedBean() {
            return new AnnotatedBean(calls);
        }

        @StripeWebhookHandler("payment_intent.succeeded")
        void onPaid(PaymentIntent intent, EventContext context, Event event) {
            calls.add("method:" + intent.getMetadata().get("order_id") + ":" + context.eventId() + ":" + event.getId());
        }

        @StripeWebhookHandler("payment_intent.*")
        void wildcard(EventContext context) {
            calls.add("wildcard:" + context.eventType());
        }
    }

    @StripeWebhookHandler("payment_intent.succeeded")
    static final class AnnotatedBean implements WebhookHandler {
        private final List<String> calls;

        AnnotatedBean(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public void handle(EventContext context) {
            calls.add("bean:" + context.eventId());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadHandler {
        @StripeWebhookHandler("charge.refunded")
        void wrong(String what) {
        }
    }

    /** Records the windows it was asked to reconcile. */
    static final class CountingReconciler implements Reconciler {
        final List<String> windows = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public ReconciliationReport reconcile(Instant from, Instant to) {
            windows.add(from + ".." + to);
            return new ReconciliationReport(name(), from, to, 0, 0, 0, List.of(), to);
        }
    }
}
