package dev.hookwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwise.core.HandlerRegistry;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.RetryLaterException;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.http.WebhookServer;
import dev.hookwise.core.policy.RetryPolicy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeliverySimulatorTest {
    private static final String SECRET = "whsec_delivery_simulator_test";
    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = MutableClock.at(START);
    private final StripeEventFactory events = StripeEventFactory.create(clock, 5);
    private final WebhookSigner signer = WebhookSigner.forSecret(SECRET);
    private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    private final List<String> handledOrder = new CopyOnWriteArrayList<>();

    private WebhookProcessor processor(HandlerRegistry handlers) {
        return WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).retryPolicy(RetryPolicy.none())
                .handlers(handlers).build();
    }

    private WebhookProcessor countingProcessor() {
        return processor(HandlerRegistry.builder().onAny(ctx -> {
            handled.computeIfAbsent(ctx.eventId(), k -> new AtomicInteger()).incrementAndGet();
            handledOrder.add(ctx.eventId());
        }).build());
    }

    private DeliverySimulator simulator(WebhookProcessor processor) {
        return DeliverySimulator.toProcessor(processor).signer(signer).clock(clock).build();
    }

    private List<TestEvent> threeEvents() {
        return List.of(events.paymentIntentSucceeded().build(), events.chargeRefunded().build(),
                events.invoicePaymentSucceeded().build());
    }

    @Test
    void deliversEachEventOnceInOrder() {
        List<TestEvent> list = threeEvents();

        DeliveryLog log = simulator(countingProcessor()).deliver(list);

        assertThat(log.size()).isEqualTo(3);
        assertThat(log.deliveries()).extracting(Delivery::eventId).containsExactlyElementsOf(ids(list));
        assertThat(log.deliveries()).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(Delivery.Status.ACKNOWLEDGED);
            assertThat(d.httpStatus()).isEqualTo(200);
            assertThat(d.outcome()).isEqualTo(Outcome.PROCESSED);
            assertThat(d.at()).isEqualTo(START);
        });
        assertThat(handledOrder).containsExactlyElementsOf(ids(list));
    }

    @Test
    void duplicatesAreAcknowledgedButHandledOnce() {
        List<TestEvent> list = threeEvents();

        DeliveryLog log = simulator(countingProcessor()).deliver(list, DeliveryPlan.builder().duplicates(2).build());

        assertThat(log.size()).isEqualTo(9);
        assertThat(log.count(Outcome.PROCESSED)).isEqualTo(3);
        assertThat(log.count(Outcome.DUPLICATE)).isEqualTo(6);
        assertThat(log.deliveries()).extracting(Delivery::copy).containsExactly(1, 2, 3, 1, 2, 3, 1, 2, 3);
        assertThat(handled.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
    }

    @Test
    void concurrentCopiesAreHandledExactlyOnce() {
        List<TestEvent> list = threeEvents();
        DeliverySimulator simulator = DeliverySimulator.toProcessor(countingProcessor()).signer(signer).clock(clock)
                .maxThreads(4).build();

        DeliveryLog log = simulator.deliver(list, DeliveryPlan.builder().concurrentCopies(16).build());

        assertThat(log.size()).isEqualTo(48);
        assertThat(log.count(Outcome.PROCESSED)).isEqualTo(3);
        assertThat(log.deliveries()).filteredOn(d -> d.outcome() != Outcome.PROCESSED)
                .extracting(Delivery::outcome).isSubsetOf(Outcome.DUPLICATE, Outcome.IN_PROGRESS);
        assertThat(handled).hasSize(3).allSatisfy((id, c) -> assertThat(c.get()).isEqualTo(1));
    }

    @Test
    void concurrentCopiesAnsweredInProgressAreRedeliveredUntilAcknowledged() {
        TestEvent event = events.paymentIntentSucceeded().build();

        DeliveryLog log = simulator(countingProcessor()).deliver(List.of(event),
                DeliveryPlan.builder().concurrentCopies(8).redeliverFailures(3).build());

        assertThat(log.unacknowledgedEventIds()).isEmpty();
        assertThat(log.count(Outcome.PROCESSED)).isEqualTo(1);
        assertThat(log.redeliveries()).allSatisfy(d -> assertThat(d.outcome()).isEqualTo(Outcome.DUPLICATE));
        assertThat(handled.get(event.id()).get()).isEqualTo(1);
    }

    @Test
    void shuffleIsSeededAndReproducible() {
        List<TestEvent> list = IntStream.range(0, 20).mapToObj(i -> events.paymentIntentSucceeded().build()).toList();
        DeliveryPlan plan = DeliveryPlan.builder().shuffle(99).build();

        List<String> first = simulator(countingProcessor()).deliver(list, plan).deliveries().stream()
                .map(Delivery::eventId).toList();
        List<String> second = simulator(countingProcessor()).deliver(list, plan).deliveries().stream()
                .map(Delivery::eventId).toList();

        assertThat(first).containsExactlyInAnyOrderElementsOf(ids(list)).isNotEqualTo(ids(list));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void reverseDeliversLaterEventsFirst() {
        List<TestEvent> list = threeEvents();

        DeliveryLog log = simulator(countingProcessor()).deliver(list, DeliveryPlan.builder().reverse().build());

        List<String> expected = new ArrayList<>(ids(list));
        java.util.Collections.reverse(expected);
        assertThat(log.deliveries()).extracting(Delivery::eventId).containsExactlyElementsOf(expected);
    }

    @Test
    void droppedEventsAreLoggedButNeverSent() {
        List<TestEvent> list = threeEvents();
        String lost = list.get(1).id();

        DeliveryLog log = simulator(countingProcessor()).deliver(list,
                DeliveryPlan.builder().dropIds(lost).duplicates(1).build());

        assertThat(log.dropped()).hasSize(2).allSatisfy(d -> {
            assertThat(d.eventId()).isEqualTo(lost);
            assertThat(d.httpStatus()).isZero();
            assertThat(d.responseBody()).isNull();
        });
        assertThat(log.sent()).hasSize(4);
        assertThat(log.unacknowledgedEventIds()).containsExactly(lost);
        assertThat(handled).doesNotContainKey(lost).hasSize(2);
    }

    @Test
    void failedDeliveryIsRedeliveredAfterVirtualBackoff() {
        AtomicInteger calls = new AtomicInteger();
        WebhookProcessor processor = processor(HandlerRegistry.builder().onAny(ctx -> {
            if (calls.incrementAndGet() < 3) {
                throw new RetryLaterException("order not created yet");
            }
        }).build());
        TestEvent event = events.paymentIntentSucceeded().build();

        DeliveryLog log = simulator(processor).deliver(List.of(event),
                DeliveryPlan.builder().redeliverFailures(5).build());

        assertThat(log.deliveries()).extracting(Delivery::attempt).containsExactly(1, 2, 3);
        assertThat(log.outcomes(event.id())).containsExactly(Outcome.RETRY_LATER, Outcome.RETRY_LATER, Outcome.PROCESSED);
        assertThat(log.deliveries()).extracting(Delivery::at)
                .containsExactly(START, START.plus(Duration.ofMinutes(1)), START.plus(Duration.ofMinutes(6)));
        assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofMinutes(6)));
        assertThat(log.unacknowledgedEventIds()).isEmpty();
    }

    @Test
    void redeliveryStopsAfterMaxAttempts() {
        WebhookProcessor processor = processor(HandlerRegistry.builder()
                .onAny(ctx -> { throw new RetryLaterException("never ready"); }).build());
        TestEvent event = events.invoicePaymentFailed().build();

        DeliveryLog log = simulator(processor).deliver(List.of(event), DeliveryPlan.builder().redeliverFailures(4).build());

        assertThat(log.size()).isEqualTo(4);
        assertThat(log.deliveries()).allSatisfy(d -> assertThat(d.httpStatus()).isEqualTo(422));
        assertThat(log.unacknowledgedEventIds()).containsExactly(event.id());
    }

    @Test
    void redeliveryStopsAtTheRetryWindow() {
        WebhookProcessor processor = processor(HandlerRegistry.builder()
                .onAny(ctx -> { throw new RetryLaterException("never ready"); }).build());
        List<Duration> waits = new ArrayList<>();
        DeliverySimulator simulator = DeliverySimulator.toProcessor(processor).signer(signer).clock(clock)
                .waiter(d -> {
                    waits.add(d);
                    clock.advance(d);
                }).build();

        DeliveryLog log = simulator.deliver(List.of(events.paymentIntentSucceeded().build()),
                DeliveryPlan.builder().redeliverFailures(10).retryWindow(Duration.ofMinutes(10)).build());

        assertThat(log.size()).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5));
    }

    @Test
    void redeliveriesInterleaveWithLaterEventsByVirtualTime() {
        AtomicInteger calls = new AtomicInteger();
        TestEvent early = events.paymentIntentSucceeded().build();
        TestEvent late = events.chargeRefunded().build();
        WebhookProcessor processor = processor(HandlerRegistry.builder().onAny(ctx -> {
            if (ctx.eventId().equals(early.id()) && calls.incrementAndGet() == 1) {
                throw new RetryLaterException("first try fails");
            }
        }).build());

        DeliveryLog log = simulator(processor).deliver(List.of(early, late),
                DeliveryPlan.builder().spacing(Duration.ofSeconds(30)).redeliverFailures(3).build());

        assertThat(log.deliveries()).extracting(d -> d.eventId() + "#" + d.attempt())
                .containsExactly(early.id() + "#1", late.id() + "#1", early.id() + "#2");
        assertThat(log.deliveries().get(2).at()).isEqualTo(START.plus(Duration.ofMinutes(1)));
    }

    @Test
    void wrongSignatureIsRejectedAndLogged() {
        DeliverySimulator simulator = DeliverySimulator.toProcessor(countingProcessor()).signer(signer).clock(clock)
                .signatureOptions(WebhookSigner.Options.defaults().wrongSecret()).build();

        DeliveryLog log = simulator.deliver(events.paymentIntentSucceeded().build());

        assertThat(log.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(Delivery.Status.REJECTED);
            assertThat(d.httpStatus()).isEqualTo(400);
            assertThat(d.outcome()).isEqualTo(Outcome.SIGNATURE_NO_MATCH);
        });
        assertThat(handled).isEmpty();
    }

    @Test
    void deliversOverHttpWithDuplicatesAndConcurrency() throws Exception {
        List<TestEvent> list = threeEvents();
        try (WebhookServer server = WebhookServer.builder().processor(countingProcessor())
                .address(new InetSocketAddress("127.0.0.1", 0)).path("/stripe/webhook").threads(4).start();
                DeliverySimulator simulator = DeliverySimulator.toUrl(server.uri()).signer(signer).clock(clock)
                        .maxThreads(4).build()) {

            DeliveryLog sequential = simulator.deliver(list, DeliveryPlan.builder().duplicates(1).build());
            DeliveryLog concurrent = simulator.deliver(List.of(events.customerSubscriptionUpdated().build()),
                    DeliveryPlan.builder().concurrentCopies(6).build());

            assertThat(sequential.outcomes(list.get(0).id())).containsExactly(Outcome.PROCESSED, Outcome.DUPLICATE);
            assertThat(sequential.deliveries()).allSatisfy(d -> {
                assertThat(d.httpStatus()).isEqualTo(200);
                assertThat(d.responseBody()).contains("\"event_id\":\"" + d.eventId() + "\"");
            });
            assertThat(concurrent.count(Outcome.PROCESSED)).isEqualTo(1);
            assertThat(concurrent.size()).isEqualTo(6);
            assertThat(handled.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        }
    }

    @Test
    void unreachableEndpointIsLoggedAsFailedAndRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (DeliverySimulator simulator = DeliverySimulator.toUrl(URI.create("http://127.0.0.1:" + closedPort + "/hook"))
                .signer(signer).clock(clock).build()) {

            DeliveryLog log = simulator.deliver(List.of(events.paymentIntentSucceeded().build()),
                    DeliveryPlan.builder().redeliverFailures(2).build());

            assertThat(log.deliveries()).hasSize(2).allSatisfy(d -> {
                assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
                assertThat(d.error()).isNotBlank();
            });
        }
    }

    @Test
    void planRejectsNonsense() {
        assertThatThrownBy(() -> DeliveryPlan.builder().duplicates(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> DeliveryPlan.builder().duplicates(1).concurrentCopies(2).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeliverySimulator.toProcessor(countingProcessor()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("signer");
        assertThatThrownBy(() -> DeliverySimulator.toUrl(URI.create("ftp://x/")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> ids(List<TestEvent> list) {
        return list.stream().map(TestEvent::id).toList();
    }
}
