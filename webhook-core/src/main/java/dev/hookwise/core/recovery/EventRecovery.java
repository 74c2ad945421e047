package dev.hookwise.core.recovery;

import com.google.gson.JsonObject;
import com.stripe.StripeClient;
import com.stripe.model.Event;
import com.stripe.model.StripeCollection;
import com.stripe.param.EventListParams;
import dev.hookwise.core.EventEnvelope;
import dev.hookwise.core.HookwiseConfigurationException;
import dev.hookwise.core.MalformedEventException;
import dev.hookwise.core.Outcome;
import dev.hookwise.core.StripeApiException;
import dev.hookwise.core.WebhookProcessor;
import dev.hookwise.core.WebhookResponse;
import dev.hookwise.core.internal.StripeObjectFetcher;
import dev.hookwise.core.spi.EventRecord;
import dev.hookwise.core.spi.EventSource;
import dev.hookwise.core.spi.EventStatus;
import dev.hookwise.core.spi.IdempotencyStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds events Stripe created that never reached the endpoint (an outage longer than Stripe's
 * retry window, a wrong secret, a dropped request), and processes them through the same pipeline
 * with source {@link EventSource#RECOVERY}.
 *
 * <p>It lists {@code /v1/events} since a point in time through stripe-java, page by page (100 per
 * page), compares each with the event log, and processes the missing ones with
 * {@link WebhookProcessor#processVerified}: the events come from the API with the secret key, so
 * the signature check does not apply; the idempotency store still does, so a second run recovers
 * nothing. Events the log recorded as skipped-stale are recovered too. Stripe's 429 and 5xx are
 * retried with backoff. Stripe keeps events for 30 days, so the lookback is at most that.
 *
 * <pre>{@code
 * StripeClient stripe = StripeClient.builder().setApiKey(System.getenv("STRIPE_SECRET_KEY")).build();
 * RecoveryReport report = EventRecovery.builder(processor, stripe).lookback(Duration.ofHours(72)).build().run();
 * }</pre>
 */
public final class EventRecovery {
    private static final Logger log = LoggerFactory.getLogger(EventRecovery.class);

    public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(3);
    /** How long Stripe keeps events. */
    public static final Duration MAX_LOOKBACK = Duration.ofDays(30);
    private static final long PAGE_SIZE = 100;

    private final WebhookProcessor processor;
    private final IdempotencyStore store;
    private final StripeClient client;
    private final Duration lookback;
    private final boolean dryRun;
    private final StripeApiRetry retry;
    private final Clock clock;
    private final int maxEvents;

    private EventRecovery(Builder b) {
        this.processor = b.processor;
        this.store = b.processor.store();
        this.client = b.client;
        this.lookback = b.lookback;
        this.dryRun = b.dryRun;
        this.retry = b.retry;
        this.clock = b.clock;
        this.maxEvents = b.maxEvents;
    }

    public static Builder builder(WebhookProcessor processor, StripeClient client) {
        return new Builder(processor, client);
    }

    /** Lists the window and recovers what is missing. Never throws for Stripe's answers: errors are in the report. */
    public RecoveryReport run() {
        Instant since = clock.instant().minus(lookback);
        int listed = 0;
        int known = 0;
        int recovered = 0;
        int failed = 0;
        List<RecoveryReport.Item> items = new ArrayList<>();
        String startingAfter = null;
        String error = null;
        try {
            while (listed < maxEvents) {
                StripeCollection<Event> page = listPage(since, startingAfter);
                List<Event> events = page.getData() == null ? List.of() : page.getData();
                for (Event event : events) {
                    listed++;
                    startingAfter = event.getId();
                    Optional<EventRecord> existing = Optional.ofNullable(event.getId()).flatMap(store::find);
                    if (existing.isPresent() && existing.get().status() != EventStatus.SKIPPED_STALE) {
                        known++;
                        continue;
                    }
                    if (dryRun) {
                        recovered++;
                        items.add(new RecoveryReport.Item(event.getId(), event.getType(), "missing"));
                        continue;
                    }
                    String result = recover(event, existing.isPresent());
                    if (result.equals(Outcome.PROCESSED.code()) || result.equals(Outcome.IGNORED.code())
                            || result.equals(Outcome.QUEUED.code()) || result.startsWith("ignored_")) {
                        recovered++;
                    } else {
                        failed++;
                    }
                    items.add(new RecoveryReport.Item(event.getId(), event.getType(), result));
                }
                if (!Boolean.TRUE.equals(page.getHasMore()) || events.isEmpty()) {
                    break;
                }
            }
        } catch (StripeApiException e) {
            error = e.getMessage();
            log.warn("event recovery stopped: {}", e.getMessage());
        }
        RecoveryReport report = new RecoveryReport(since, dryRun, listed, known, recovered, failed, items, error);
        log.info("event recovery since {}{}: listed {}, already known {}, recovered {}, failed {}", since,
                dryRun ? " (dry run)" : "", listed, known, recovered, failed);
        return report;
    }

    private StripeCollection<Event> listPage(Instant since, @Nullable String startingAfter) {
        EventListParams.Builder params = EventListParams.builder()
                .setLimit(PAGE_SIZE)
                .setCreated(EventListParams.Created.builder().setGte(since.getEpochSecond()).build());
        if (startingAfter != null) {
            params.setStartingAfter(startingAfter);
        }
        EventListParams built = params.build();
        return retry.call(() -> StripeObjectFetcher.call("list events", () -> client.v1().events().list(built)));
    }

    private String recover(Event event, boolean wasSkipped) {
        try {
            JsonObject raw = event.getRawJsonObject();
            String json = raw != null ? raw.toString() : event.toJson();
            EventEnvelope envelope = EventEnvelope.parse(json.getBytes(StandardCharsets.UTF_8));
            // A skipped (stale) event is in the log already: run it from there, leaving it as it was
            // if it cannot run now.
            WebhookResponse response = wasSkipped
                    ? processor.processRecorded(envelope, EventSource.RECOVERY)
                    : processor.processVerified(envelope, EventSource.RECOVERY);
            return response.outcome().code();
        } catch (MalformedEventException e) {
            log.warn("recovered event {} cannot be read: {}", event.getId(), e.getMessage());
            return "unreadable: " + e.getMessage();
        }
    }

    /** Builder for {@link EventRecovery}. */
    public static final class Builder {
        private final WebhookProcessor processor;
        private final StripeClient client;
        private Duration lookback = DEFAULT_LOOKBACK;
        private boolean dryRun;
        private StripeApiRetry retry = StripeApiRetry.defaults();
        private Clock clock = Clock.systemUTC();
        private int maxEvents = 100_000;

        private Builder(WebhookProcessor processor, StripeClient client) {
            this.processor = Objects.requireNonNull(processor, "processor");
            this.client = Objects.requireNonNull(client, "client");
        }

        /** How far back to list (default 72 h, Stripe's retry window; at most 30 days). */
        public Builder lookback(Duration value) {
            Objects.requireNonNull(value, "lookback");
            if (value.isZero() || value.isNegative() || value.compareTo(MAX_LOOKBACK) > 0) {
                throw new HookwiseConfigurationException("recovery lookback must be positive and at most 30 days"
                        + " (Stripe keeps events that long), but was " + value);
            }
            this.lookback = value;
            return this;
        }

        /** Report what is missing without processing anything. */
        public Builder dryRun(boolean value) {
            this.dryRun = value;
            return this;
        }

        public Builder retry(StripeApiRetry value) {
            this.retry = Objects.requireNonNull(value, "retry");
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Upper bound of events listed per run. */
        public Builder maxEvents(int value) {
            if (value < 1) {
                throw new HookwiseConfigurationException("recovery maxEvents must be >= 1, but was " + value);
            }
            this.maxEvents = value;
            return this;
        }

        public EventRecovery build() {
            return new EventRecovery(this);
        }
    }
}
