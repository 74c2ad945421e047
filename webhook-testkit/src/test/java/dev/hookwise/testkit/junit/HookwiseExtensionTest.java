package dev.hookwise.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.testkit.FakeStripeApi;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class HookwiseExtensionTest {

    @Nested
    @ExtendWith(HookwiseExtension.class)
    class Defaults {
        private MutableClock beforeEachClock;

        @BeforeEach
        void setUp(MutableClock clock) {
            beforeEachClock = clock;
        }

        @Test
        void injectsToolsThatShareOneClock(StripeEventFactory events, WebhookSigner signer, MutableClock clock) {
            WebhookProcessor processor = WebhookProcessor.builder().signingSecrets(signer.secret()).clock(clock)
                    .handlers(HandlerRegistry.builder().onAny(ctx -> { }).build()).build();
            clock.advance(Duration.ofHours(2));

            TestEvent event = events.paymentIntentSucceeded().build();

            assertThat(clock).isSameAs(beforeEachClock);
            assertThat(event.created()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            assertThat(signer.secret()).isEqualTo(HookwiseExtension.DEFAULT_SECRET);
            assertThat(processor.process(signer.request(event)).outcome()).isEqualTo(Outcome.PROCESSED);
        }

        @Test
        void defaultClockStartsNowSoSystemClockProcessorsVerify(StripeEventFactory events, WebhookSigner signer) {
            WebhookProcessor systemClock = WebhookProcessor.builder().signingSecrets(signer.secret())
                    .handlers(HandlerRegistry.builder().onAny(ctx -> { }).build()).build();

            assertThat(systemClock.process(signer.request(events.invoicePaymentSucceeded().build())).outcome())
                    .isEqualTo(Outcome.PROCESSED);
        }

        @Test
        void sameFakeWithinOneTest(FakeStripeApi first, FakeStripeApi second) throws Exception {
            assertThat(first).isSameAs(second);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(first.baseUrl() + "/v1/events")).header("Authorization", "Bearer " + first.apiKey())
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Configured {
        static final AtomicReference<FakeStripeApi> STARTED = new AtomicReference<>();

        @RegisterExtension
        static HookwiseExtension hookwise = HookwiseExtension.builder()
                .secret("whsec_configured_secret")
                .start(Instant.parse("2026-04-01T09:00:00Z"))
                .seed(42)
                .build();

        @Test
        void usesTheConfiguredSecretStartAndSeed(StripeEventFactory events, WebhookSigner signer, MutableClock clock,
                FakeStripeApi fake) {
            STARTED.set(fake);
            TestEvent expected = StripeEventFactory.create(MutableClock.at(Instant.parse("2026-04-01T09:00:00Z")), 42)
                    .chargeRefunded().build();

            assertThat(clock.instant()).isEqualTo(Instant.parse("2026-04-01T09:00:00Z"));
            assertThat(signer.secret()).isEqualTo("whsec_configured_secret").isEqualTo(hookwise.secret());
            assertThat(events.chargeRefunded().build().bytes()).isEqualTo(expected.bytes());
        }

        @AfterAll
        static void fakeWasStoppedAfterTheTest() {
            FakeStripeApi fake = STARTED.get();
            assertThat(fake).isNotNull();
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(fake.baseUrl() + "/v1/events")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void rejectsANonWhsecSecret() {
        assertThatThrownBy(() -> HookwiseExtension.builder().secret("sk_test_x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("sk_test_x");
    }
}
