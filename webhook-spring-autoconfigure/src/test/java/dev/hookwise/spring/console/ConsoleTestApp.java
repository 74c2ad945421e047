package dev.hookwise.spring.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwise.core.EventContext;
import dev.hookwise.core.spi.ClaimResult;
import dev.hookwise.core.spi.ClaimToken;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.NewEvent;
import dev.hookwise.spring.StripeWebhookHandler;
import dev.hookwise.testkit.StripeEventFactory;
import dev.hookwise.testkit.TestEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A small Boot application for the console's HTTP and browser tests: the starter on an H2 event log
 * (asynchronous mode, the default with JDBC), a refund handler that now works, and, in
 * {@link SecuredConsoleTestApp}, Spring Security with a login form, HTTP Basic and CSRF protection on.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ConsoleTestApp {
    static final String SECRET = "whsec_console_test";
    static final String USER = "ops";
    static final String PASSWORD = "console-test-password";

    final AtomicInteger refunds = new AtomicInteger();

    @StripeWebhookHandler("charge.refunded")
    void refunded(EventContext context) {
        refunds.incrementAndGet();
    }

    static ConfigurableApplicationContext start(Class<?> app, String... properties) {
        return new SpringApplicationBuilder(app)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "spring.datasource.url=jdbc:h2:mem:console-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "hookwise.stripe.signing-secrets=" + SECRET, "hookwise.console.enabled=true",
                        "hookwise.worker.poll-interval=100ms")
                .properties(properties)
                .run();
    }

    /** Records {@code event} as dead after one attempt, with {@code reason}, as the worker would have. */
    static void seedDead(IdempotencyStore store, TestEvent event, String reason) {
        store.markDead(claim(store, event), reason);
    }

    /** Records {@code event} as failed (retrying at {@code next}). */
    static void seedFailed(IdempotencyStore store, TestEvent event, String reason, Instant next) {
        store.retryAt(claim(store, event), reason, next);
    }

    /** Records {@code event} as completed in {@code processingTime}. */
    static void seedCompleted(IdempotencyStore store, TestEvent event, Duration processingTime) {
        store.complete(claim(store, event), processingTime);
    }

    private static ClaimToken claim(IdempotencyStore store, TestEvent event) {
        ClaimResult claim = store.claim(new NewEvent(event.id(), event.type(), event.created(), false, null, null,
                EventSource.WEBHOOK, event.bytes()), "seed", Duration.ofMinutes(5));
        assertThat(claim.isClaimed()).as("seeding %s", event.id()).isTrue();
        return new ClaimToken(event.id(), "seed", claim.attempt());
    }

    static TestEvent refund(Instant created) {
        return StripeEventFactory.create().chargeRefunded().created(created).build();
    }
}
