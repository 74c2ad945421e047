package dev.hookwise.core;

import static dev.hookwise.core.TestEvents.NOW;
import static dev.hookwise.core.TestEvents.SECRET;
import static dev.hookwise.core.TestEvents.header;

import dev.hookwise.core.inbox.InboxWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loaded by {@link WithoutMicrometerTest} in a class loader that has no Micrometer: builds and runs
 * processors the way an application without Micrometer does, and reports what they answered.
 */
public final class WithoutMicrometerScenario {

    private WithoutMicrometerScenario() {}

    /** Outcome codes of a synchronous delivery, its redelivery, an asynchronous delivery, then the worker's runs. */
    public static List<String> run() {
        TestClock clock = new TestClock(NOW);
        AtomicInteger runs = new AtomicInteger();
        HandlerRegistry handlers = HandlerRegistry.builder().on("invoice.paid", ctx -> runs.incrementAndGet()).build();
        List<String> outcomes = new ArrayList<>();

        WebhookProcessor sync = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).handlers(handlers).build();
        outcomes.add(sync.process(signed("evt_plain_sync")).outcome().code());
        outcomes.add(sync.process(signed("evt_plain_sync")).outcome().code());

        WebhookProcessor async = WebhookProcessor.builder().signingSecrets(SECRET).clock(clock).handlers(handlers)
                .mode(ProcessingMode.ASYNC).allowInMemoryInbox(true).build();
        outcomes.add(async.process(signed("evt_plain_async")).outcome().code());
        outcomes.add("drained " + InboxWorker.builder(async).build().drainOnce());
        outcomes.add("runs " + runs.get());
        return outcomes;
    }

    private static WebhookRequest signed(String id) {
        byte[] body = TestEvents.event(id, "invoice.paid", NOW);
        return WebhookRequest.of(body, header(SECRET, NOW, body));
    }
}
