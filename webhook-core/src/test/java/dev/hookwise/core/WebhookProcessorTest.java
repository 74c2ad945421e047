package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.stripe.model.PaymentIntent;
import dev.hookwise.core.policy.EventAgePolicy;
import dev.hookwise.core.policy.EventFilter;
import dev.hookwise.core.policy.RetryPolicy;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import dev.hookwise.core.spi.StoreUnavailableException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebhookProcessorTest {

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create(clock);
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private static final RetryPolicy FAST_RETRY = RetryPolicy.builder()
            .maxAttempts(3).initialInterval(Duration.ofMillis(1)).maxInterval(Duration.ofMillis(2)).build();

    private WebhookProcessor.Builder base(HandlerRegistry handlers) {
        return WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).store(store)
                .handlers(handlers).retryPolicy(FAST_RETRY);
    }

    private WebhookProcessor processor(HandlerRegistry handlers) {
        return base(handlers).build();
    }

    private static WebhookRequest signed(byte[] body) {
        return WebhookRequest.of(body, header(SECRET, NOW, body));
    }

    private static byte[] pi(String id) {
        return TestEvents.event(id, "payment_intent.succeeded", NOW.minusSeconds(10));
    }

    private HandlerRegistry recording() {
        return HandlerRegistry.builder()
                .on("payment_intent.succeeded", PaymentIntent.class, (intent, ctx) -> seen.add(ctx.eventId() + ":" + intent.getId()))
                .build();
    }

    @Test
    void processesSignedEventOnceAndAnswersDuplicateAfterwards() {
        WebhookProcessor p = processor(recording());

        WebhookResponse first = p.process(signed(pi("evt_a")));
        WebhookResponse second = p.process(signed(pi("evt_a")));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(first.body()).isEqualTo("{\"outcome\":\"processed\",\"event_id\":\"evt_a\"}");
        assertThat(second.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(second.status()).isEqualTo(200);
        assertThat(seen).containsExactly("evt_a:pi_123");
        EventRecord row = store.find("evt_a").orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.COMPLETED);
        assertThat(row.payload()).isEqualTo(pi("evt_a"));
    }

    @Test
    void badSignatureIs400WithReasonAndNothingRecorded() {
        WebhookProcessor p = processor(recording());
        byte[] body = pi("evt_bad");

        WebhookResponse r = p.process(WebhookRequest.of(body, header(TestEvents.OTHER_SECRET, NOW, body)));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.outcome()).isEqualTo(Outcome.SIGNATURE_NO_MATCH);
        assertThat(r.body()).startsWith("{\"outcome\":\"signature_no_match\"").doesNotContain(SECRET);
        assertThat(store.size()).isZero();
        assertThat(seen).isEmpty();
    }

    @Test
    void oversizedBodyIs413() {
        WebhookProcessor p = base(recording()).maxPayloadBytes(64).build();
        WebhookResponse r = p.process(signed(pi("evt_big")));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.outcome()).isEqualTo(Outcome.PAYLOAD_TOO_LARGE);
    }

    @Test
    void signedButMalformedBodyIs400MalformedEvent() {
        byte[] body = "{\"object\":\"event\"}".getBytes();
        WebhookResponse r = processor(recording()).process(signed(body));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.outcome()).isEqualTo(Outcome.MALFORMED_EVENT);
    }

    @Test
    void unhandledTypeIsIgnoredAndRecorded() {
        byte[] body = TestEvents.event("evt_u", "customer.created", NOW, "{\"id\":\"cus_1\",\"object\":\"customer\"}");
        WebhookResponse r = processor(recording()).process(signed(body));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(store.find("evt_u").orElseThrow().status()).isEqualTo(EventStatus.IGNORED);
    }

    @Test
    void filteredEventsAreIgnoredWithTheirReason() {
        WebhookProcessor p = base(recording()).filter(EventFilter.builder().livemode(true).build()).build();
        WebhookResponse r = p.process(signed(pi("evt_test_mode")));
        assertThat(r.outcome()).isEqualTo(Outcome.IGNORED_LIVEMODE);
        assertThat(seen).isEmpty();

        WebhookProcessor typed = base(recording()).filter(EventFilter.builder().types(List.of("charge.*")).build()).build();
        assertThat(typed.process(signed(pi("evt_type"))).outcome()).isEqualTo(Outcome.IGNORED_TYPE);

        byte[] connect = new String(pi("evt_acct")).replace("\"livemode\"", "\"account\":\"acct_other\",\"livemode\"").getBytes();
        WebhookProcessor accounts = base(recording()).filter(EventFilter.builder().accounts(Set.of("acct_mine")).build()).build();
        assertThat(accounts.process(signed(connect)).outcome()).isEqualTo(Outcome.IGNORED_ACCOUNT);
        assertThat(accounts.process(signed(pi("evt_platform"))).outcome()).isEqualTo(Outcome.PROCESSED);
    }

    @Test
    void staleEventIsAcknowledgedAndRecordedAsSkipped() {
        WebhookProcessor p = base(recording()).eventAgePolicy(EventAgePolicy.maxAge(Duration.ofSeconds(3600))).build();
        byte[] old = TestEvents.event("evt_old", "payment_intent.succeeded", NOW.minusSeconds(3601));

        WebhookResponse r = p.process(signed(old));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED_STALE);
        assertThat(store.find("evt_old").orElseThrow().status()).isEqualTo(EventStatus.SKIPPED_STALE);
        assertThat(seen).isEmpty();
    }

    @Test
    void defaultAgePolicyAcceptsEventsRedeliveredWithinStripesRetryWindow() {
        byte[] threeDaysOld = TestEvents.event("evt_3d", "payment_intent.succeeded", NOW.minus(Duration.ofHours(72)));
        assertThat(processor(recording()).process(signed(threeDaysOld)).outcome()).isEqualTo(Outcome.PROCESSED);
    }

    @Test
    void handlerFailingOnceIsRetriedInProcessAndSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        WebhookProcessor p = processor(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("connection reset");
            }
        }).build());

        WebhookResponse r = p.process(signed(pi("evt_flaky")));

        assertThat(r.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(calls).hasValue(2);
        assertThat(store.find("evt_flaky").orElseThrow().status()).isEqualTo(EventStatus.COMPLETED);
    }

    @Test
    void succeededHandlersAreNotRunAgainWhenALaterOneIsRetried() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        WebhookProcessor p = processor(HandlerRegistry.builder()
                .on("payment_intent.succeeded", ctx -> first.incrementAndGet())
                .on("payment_intent.*", ctx -> {
                    if (second.incrementAndGet() < 3) {
                        throw new IllegalStateException("not yet");
                    }
                }).build());

        assertThat(p.process(signed(pi("evt_two"))).outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(first).hasValue(1);
        assertThat(second).hasValue(3);
    }

    @Test
    void transientFailureAfterRetriesIs500AndRecordedForRedelivery() {
        AtomicInteger calls = new AtomicInteger();
        WebhookProcessor p = processor(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
            calls.incrementAndGet();
            throw new IllegalStateException("downstream down");
        }).build());

        WebhookResponse r = p.process(signed(pi("evt_down")));

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED_TRANSIENT);
        assertThat(r.body()).doesNotContain("downstream down").doesNotContain("Exception");
        assertThat(calls).hasValue(3);
        EventRecord row = store.find("evt_down").orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.FAILED);
        assertThat(row.lastError()).contains("downstream down");

        // Stripe's redelivery claims it again and, once the handler works, completes it.
        calls.set(0);
        WebhookProcessor fixed = processor(recording());
        assertThat(fixed.process(signed(pi("evt_down"))).outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(store.find("evt_down").orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void permanentFailureIsAcknowledgedAndKeptDead() {
        AtomicInteger calls = new AtomicInteger();
        WebhookProcessor p = processor(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
            calls.incrementAndGet();
            throw new PermanentWebhookFailure("order ord_1 does not exist");
        }).build());

        WebhookResponse r = p.process(signed(pi("evt_perm")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED_PERMANENT);
        assertThat(calls).hasValue(1);
        EventRecord row = store.find("evt_perm").orElseThrow();
        assertThat(row.status()).isEqualTo(EventStatus.DEAD);
        assertThat(row.payload()).isNotNull();
        assertThat(p.process(signed(pi("evt_perm"))).outcome()).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void earlyEventIs422AndClaimableAgain() {
        AtomicInteger calls = new AtomicInteger();
        WebhookProcessor p = processor(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
            if (calls.incrementAndGet() == 1) {
                throw new RetryLaterException("order ord_1 is not pending_payment yet");
            }
        }).build());

        WebhookResponse early = p.process(signed(pi("evt_early")));
        assertThat(early.status()).isEqualTo(422);
        assertThat(early.outcome()).isEqualTo(Outcome.RETRY_LATER);
        assertThat(calls).hasValue(1);

        assertThat(p.process(signed(pi("evt_early"))).outcome()).isEqualTo(Outcome.PROCESSED);
    }

    @Test
    void wrongTypedRegistrationIsAPermanentFailure() {
        WebhookProcessor p = processor(HandlerRegistry.builder()
                .on("payment_intent.succeeded", com.stripe.model.Charge.class, (c, ctx) -> {}).build());
        assertThat(p.process(signed(pi("evt_wrongclass"))).outcome()).isEqualTo(Outcome.FAILED_PERMANENT);
        assertThat(store.find("evt_wrongclass").orElseThrow().lastError()).contains("not a Charge");
    }

    @Test
    void payloadStripeJavaCannotReadIsAPermanentFailure() {
        AtomicInteger calls = new AtomicInteger();
        WebhookProcessor p = processor(HandlerRegistry.builder()
                .on("payment_intent.succeeded", PaymentIntent.class, (pi, ctx) -> calls.incrementAndGet()).build());
        byte[] body = TestEvents.event("evt_unreadable", "payment_intent.succeeded", NOW,
                "{\"id\":\"pi_1\",\"object\":\"payment_intent\",\"amount\":\"not a number\"}");

        WebhookResponse r = p.process(signed(body));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED_PERMANENT);
        assertThat(calls).hasValue(0);
        assertThat(store.find("evt_unreadable").orElseThrow().status()).isEqualTo(EventStatus.DEAD);
    }

    @Test
    void storeDownIs503WithRetryAfterAndNoStackTrace() {
        IdempotencyStore down = mock(IdempotencyStore.class);
        when(down.claim(any(), any(), any())).thenThrow(new StoreUnavailableException("connection refused"));
        WebhookProcessor p = base(recording()).store(down).build();

        WebhookResponse r = p.process(signed(pi("evt_outage")));

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.outcome()).isEqualTo(Outcome.STORE_UNAVAILABLE);
        assertThat(r.headers()).containsEntry("Retry-After", "30");
        assertThat(r.body()).doesNotContain("connection refused").doesNotContain("at dev.");
        assertThat(seen).isEmpty();
    }

    @Test
    void staleEventIsNotAcknowledgedWhenItCannotBeRecorded() {
        IdempotencyStore down = mock(IdempotencyStore.class);
        when(down.recordFinal(any(), any(), any())).thenThrow(new StoreUnavailableException("down"));
        WebhookProcessor p = base(recording()).store(down).eventAgePolicy(EventAgePolicy.maxAge(Duration.ofMinutes(1))).build();

        assertThat(p.process(signed(TestEvents.event("evt_s", "payment_intent.succeeded", NOW.minusSeconds(120)))).status())
                .isEqualTo(503);
    }

    @Test
    void processVerifiedBypassesAgePolicyForReplays() {
        WebhookProcessor p = base(recording()).eventAgePolicy(EventAgePolicy.maxAge(Duration.ofMinutes(1))).build();
        EventEnvelope old = EventEnvelope.parse(TestEvents.event("evt_rec", "payment_intent.succeeded", NOW.minus(Duration.ofDays(10))));

        WebhookResponse r = p.processVerified(old, dev.hookwise.core.spi.EventSource.RECOVERY);

        assertThat(r.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(store.find("evt_rec").orElseThrow().source()).isEqualTo(dev.hookwise.core.spi.EventSource.RECOVERY);
    }

    @Test
    void handlersSeeTheAttemptNumber() {
        List<Integer> attempts = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        WebhookProcessor p = base(HandlerRegistry.builder().on("payment_intent.succeeded", ctx -> {
            attempts.add(ctx.attempt());
            if (calls.incrementAndGet() == 1) {
                throw new RetryLaterException("later");
            }
        }).build()).build();

        p.process(signed(pi("evt_att")));
        p.process(signed(pi("evt_att")));

        assertThat(attempts).containsExactly(1, 2);
    }

    @Test
    void payloadsAreNotKeptWhenSwitchedOff() {
        WebhookProcessor p = base(recording()).keepPayloads(false).build();
        p.process(signed(pi("evt_nopayload")));
        assertThat(store.find("evt_nopayload").orElseThrow().payload()).isNull();
    }

    @Test
    void configurationMistakesFailAtBuildTimeWithAdvice() {
        assertThatThrownBy(() -> WebhookProcessor.builder().build())
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("signingSecrets");
        assertThatThrownBy(() -> WebhookProcessor.builder().signingSecrets("pk_live_123"))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("whsec_");
        assertThatThrownBy(() -> WebhookProcessor.builder().leaseDuration(Duration.ofSeconds(-1)))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("leaseDuration must be positive, but was PT-1S");
        assertThatThrownBy(() -> EventAgePolicy.maxAge(Duration.ofHours(-1)))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("maxAge must be positive");
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("maxAttempts must be >= 1, but was 0");
        assertThatThrownBy(() -> WebhookProcessor.builder().signingSecrets(SECRET).leaseDuration(Duration.ofMillis(10)).build())
                .isInstanceOf(HookwiseConfigurationException.class).hasMessageContaining("longer than the retry policy");
    }

    @Test
    void responseBodyEscapesJson() {
        WebhookResponse r = WebhookResponse.rejected(Outcome.MALFORMED_EVENT, "evt_\"x", "line\nbreak \\ \u0001");
        assertThat(r.body()).isEqualTo("{\"outcome\":\"malformed_event\",\"event_id\":\"evt_\\\"x\",\"detail\":\"line\\nbreak \\\\ \\u0001\"}");
    }

    @Test
    void timestampOutsideToleranceIs400() {
        byte[] body = pi("evt_replayed");
        WebhookRequest replayed = WebhookRequest.of(body, header(SECRET, NOW.minus(Duration.ofMinutes(10)), body));
        WebhookResponse r = processor(recording()).process(replayed);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.outcome()).isEqualTo(Outcome.SIGNATURE_TOO_OLD);
    }

    @Test
    void staleCheckUsesEventCreatedNotSignatureTime() {
        // A fresh signature on an old event: the signature passes, the age policy decides.
        Instant created = NOW.minus(Duration.ofHours(80));
        WebhookResponse r = processor(recording()).process(signed(TestEvents.event("evt_80h", "payment_intent.succeeded", created)));
        assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED_STALE);
    }
}
